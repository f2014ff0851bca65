import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'

export interface UndoCancellationInput {
  principal: Principal
  requestId: string
  userId?: string
  serviceId: string
}

/**
 * Withdraws a pending cancellation: only while the server is `active` and `cancel_at` is still in
 * the future (from then on the lifecycle may be deleting it), else 409 `invalid_state`. Auto-renew
 * stays off: turning it back on is the customer's own choice (`POST /API/services/auto_renew`).
 */
export async function undoServiceCancellation(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: UndoCancellationInput,
): Promise<{ service_id: string; service_kind: 'server'; cancel_at: null }> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  return deps.db.transaction().execute(async trx => {
    const now = deps.clock.now()
    const server = await requireOwned(trx, input.principal, 'servers', input.serviceId, {
      access: 'use',
      owner: user,
      forUpdate: true,
    })
    if (server.cancel_at === null) {
      throw new AppError('invalid_state', `server '${server.id}' has no cancellation pending`, {
        details: { status: server.status, cancel_at: null },
      })
    }
    if (server.status !== 'active' || server.cancel_at <= now) {
      throw new AppError(
        'invalid_state',
        `the cancellation of server '${server.id}' took effect at ${server.cancel_at.toISOString()}; it cannot be undone`,
        { details: { status: server.status, cancel_at: server.cancel_at.toISOString() } },
      )
    }
    await trx.updateTable('servers').set({ cancel_at: null, updated_at: now }).where('id', '=', server.id).execute()
    await writeAudit(trx, {
      actor: input.principal.apiKeyId,
      requestId: input.requestId,
      action: 'service.cancel_undo',
      targetType: 'server',
      targetId: server.id,
      details: { user_id: server.user_id, cancel_at_was: server.cancel_at.toISOString() },
    })
    return { service_id: server.id, service_kind: 'server' as const, cancel_at: null }
  })
}
