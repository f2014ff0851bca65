import { systemClock } from '../deps.ts'
import { createSecretBox } from '../lib/secret-box.ts'
import { resolveSecretsKey } from '../app/secrets-key.ts'
import { notFound, validation } from '../lib/errors.ts'
import { POWER_ACTION_KINDS, type PowerActionKind } from '../db/states.ts'
import type { Principal } from '../domain/auth/api-keys.ts'
import type { JobQueue } from '../outbox/types.ts'
import type { DbHandle } from '../db/connect.ts'
import type { Config } from '../config.ts'
import { requestPowerAction } from '../domain/servers/request-power-action.ts'
import { reinstallServer } from '../domain/servers/reinstall-server.ts'
import { resetServerPassword } from '../domain/servers/reset-server-password.ts'
import { flags, printJson, required, withDb } from './context.ts'

/**
 * `oxbill servers power|reinstall|reset-password ID`: an operator's server actions, through the
 * same use-cases as the API (same refusals, one audit row each, actor `cli`). They only enqueue:
 * the serving process's runner (or `oxbill worker`) runs the job; follow it in
 * GET /API/servers/actions or `oxbill jobs show`.
 */

// The CLI has no worker of its own: the job waits for the serving process's runner to poll it.
const NO_WORKER: JobQueue = {
  poke() {},
  async runNow() {},
  definitions: () => [],
}

async function operatorOn(h: DbHandle, config: Readonly<Config>, serverId: string) {
  const server = await h.db.selectFrom('servers').select('user_id').where('id', '=', serverId).executeTakeFirst()
  if (!server) throw notFound('server', serverId)
  // An operator acting for the owner, as an admin key naming user_id would.
  const principal: Principal = { userId: server.user_id, apiKeyId: 'cli', scopes: ['admin'], isAdmin: true }
  const deps = {
    db: h.db,
    clock: systemClock,
    config,
    runner: NO_WORKER,
    secretBox: createSecretBox(resolveSecretsKey(config.secretsKey, config.dataDir)),
  }
  return { deps, input: { principal, requestId: `cli_${Date.now().toString(36)}`, serverId } }
}

/** `oxbill servers power ID --action start|stop|shutdown|reboot` */
export async function serversPower(argv: string[]): Promise<number> {
  const { values, positionals } = flags(argv, { action: { type: 'string' } })
  const id = required(positionals[0], 'server id (positional)')
  const action = required(values.action, 'action')
  if (!(POWER_ACTION_KINDS as readonly string[]).includes(action)) {
    throw validation(`--action must be one of ${POWER_ACTION_KINDS.join(', ')}`, 'action')
  }
  return withDb(argv, async (h, config) => {
    const { deps, input } = await operatorOn(h, config, id)
    printJson({ action: await requestPowerAction(deps, { ...input, action: action as PowerActionKind }) })
    return 0
  })
}

/** `oxbill servers reinstall ID --os OS`: prints the new root password (shown only here). */
export async function serversReinstall(argv: string[]): Promise<number> {
  const { values, positionals } = flags(argv, { os: { type: 'string' } })
  const id = required(positionals[0], 'server id (positional)')
  const osId = required(values.os, 'os')
  return withDb(argv, async (h, config) => {
    const { deps, input } = await operatorOn(h, config, id)
    const res = await reinstallServer(deps, { ...input, osId })
    printJson({ action: res.action, root_password: res.rootPassword })
    return 0
  })
}

/** `oxbill servers reset-password ID`: the customer reveals the new password (or SolusVM e-mails it). */
export async function serversResetPassword(argv: string[]): Promise<number> {
  const { positionals } = flags(argv, {})
  const id = required(positionals[0], 'server id (positional)')
  return withDb(argv, async (h, config) => {
    const { deps, input } = await operatorOn(h, config, id)
    printJson({ action: await resetServerPassword(deps, input) })
    return 0
  })
}
