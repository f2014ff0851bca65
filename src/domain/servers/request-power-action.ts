import type { Deps } from '../../deps.ts'
import type { ServerActionKind } from '../../db/states.ts'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { isUniqueViolation } from '../admin/db-errors.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { checkInitial } from '../state/transition.ts'
import { SERVER_ACTION } from '../state/servers.ts'
import { viewServerAction, type ServerActionView } from './action-view.ts'

export interface PowerActionInput {
  principal: Principal
  requestId: string
  userId?: string
  serverId: string
  action: ServerActionKind
}

/**
 * Queues a power action (start, stop = power off, shutdown = graceful, reboot) on an active
 * server: the action row and its `server.power` job commit together, and the job calls SolusVM
 * after the commit. One action at a time per server: under the server row's lock an open one
 * refuses with 409 `action_pending` naming it, and the partial unique index
 * `server_actions_one_open` refuses the same should two requests ever pass that check together.
 */
export async function requestPowerAction(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'runner'>,
  input: PowerActionInput,
): Promise<ServerActionView> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  let view: ServerActionView
  try {
    view = await deps.db.transaction().execute(async trx => {
      const server = await requireOwned(trx, input.principal, 'servers', input.serverId, {
        access: 'use',
        owner: user,
        forUpdate: true,
        usable: s => {
          // Suspended, provisioning, being resized or ended: the panel's power buttons are off.
          if (s.status !== 'active' || s.id_solusvm === null) {
            throw new AppError('invalid_state', `server '${s.id}' is ${s.status}; power actions need it active`, {
              details: { status: s.status },
            })
          }
        },
      })
      await refuseIfPending(trx, server.id)
      const now = deps.clock.now()
      const id = newId('serverAction')
      const jobId = await enqueueJob(trx, {
        kind: JobKind.serverPower,
        payload: { actionId: id, serverId: server.id },
        maxAttempts: deps.config.jobMaxAttempts,
      })
      const row = await trx
        .insertInto('server_actions')
        .values({
          id,
          server_id: server.id,
          user_id: server.user_id,
          action: input.action,
          status: checkInitial(SERVER_ACTION, 'queued'),
          job_id: jobId,
          requested_by: actorOf(input.principal),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await writeAudit(trx, {
        actor: actorOf(input.principal),
        requestId: input.requestId,
        action: 'server.power',
        targetType: 'server',
        targetId: server.id,
        details: { user_id: server.user_id, action: input.action, server_action_id: id },
      })
      return viewServerAction(row)
    })
  } catch (err) {
    // Two requests that both passed the check: the index let one through; name it to the other.
    if (isUniqueViolation(err)) await refuseIfPending(deps.db, input.serverId)
    throw err
  }
  deps.runner.poke()
  return view
}

async function refuseIfPending(db: Db, serverId: string): Promise<void> {
  const open = await db
    .selectFrom('server_actions')
    .select(['id', 'action', 'status'])
    .where('server_id', '=', serverId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst()
  if (open) {
    throw new AppError(
      'action_pending',
      `power action ${open.id} (${open.action}) on this server is ${open.status}; ask again once it is done`,
      { details: { pending_action_id: open.id, pending_action: open.action, pending_action_status: open.status } },
    )
  }
}
