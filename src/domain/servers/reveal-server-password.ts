import type { Deps } from '../../deps.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { actorOf } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import type { ServerActionRequest } from './queue-server-action.ts'

export interface RevealInput extends ServerActionRequest {
  actionId: string
}

/**
 * Shows the root password a finished reset got from SolusVM, once: the sealed copy is erased in
 * the transaction that reads it (under the action row's lock, so two calls cannot both get it),
 * and a second call is 409 `invalid_state`. An action of another server, or of another customer's
 * server, is a 404 like a missing one. The audit row records that it was shown, never the value.
 */
export async function revealServerPassword(
  deps: Pick<Deps, 'db' | 'secretBox' | 'clock'>,
  input: RevealInput,
): Promise<string> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  return deps.db.transaction().execute(async trx => {
    const server = await requireOwned(trx, input.principal, 'servers', input.serverId, { access: 'use', owner: user })
    const action = await trx
      .selectFrom('server_actions')
      .select(['id', 'action', 'status', 'password_sealed', 'password_delivery'])
      .where('id', '=', input.actionId)
      .where('server_id', '=', server.id)
      .forUpdate()
      .executeTakeFirst()
    if (!action) throw notFound('server action', input.actionId)
    if (action.password_sealed === null || action.status !== 'done') {
      const why =
        action.password_delivery === 'email'
          ? 'SolusVM e-mailed the password to the owner instead'
          : action.status === 'queued' || action.status === 'running'
            ? `the action is still ${action.status}`
            : action.password_delivery === 'shown'
              ? 'the password was already shown'
              : 'the action has no password to show'
      throw new AppError('invalid_state', `no password to reveal on action ${action.id}: ${why}`, {
        details: { status: action.status, password_delivery: action.password_delivery },
      })
    }
    const password = deps.secretBox.open(action.password_sealed)
    await trx
      .updateTable('server_actions')
      .set({ password_sealed: null, updated_at: deps.clock.now() })
      .where('id', '=', action.id)
      .execute()
    await writeAudit(trx, {
      actor: actorOf(input.principal),
      requestId: input.requestId,
      action: 'server.password_revealed',
      targetType: 'server',
      targetId: server.id,
      details: { user_id: server.user_id, server_action_id: action.id },
    })
    return password
  })
}
