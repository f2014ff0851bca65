import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { lockService, noun } from './cancel-service.ts'
import { serviceKindOf, type CancellableKind } from './service-of.ts'

export interface UndoCancellationInput {
  principal: Principal
  requestId: string
  userId?: string
  serviceId: string
}

/**
 * Withdraws a pending cancellation at the end of the term: only while the service is `active` (an
 * addon `assigned`) and `cancel_at` is still in the future (from then on the lifecycle may be
 * deleting it), else 409 `invalid_state`. An immediate cancellation is never pending: its
 * `cancel_at` is its own moment. Auto-renew
 * stays off: turning it back on is the customer's own choice (`POST /API/services/auto_renew`).
 */
export async function undoServiceCancellation(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: UndoCancellationInput,
): Promise<{ service_id: string; service_kind: CancellableKind; cancel_at: null }> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  return deps.db.transaction().execute(async trx => {
    const now = deps.clock.now()
    const kind = await serviceKindOf(trx, input.serviceId, user.id)
    const s =
      kind === 'addon'
        ? await lockAddon(trx, input.principal, input.serviceId, user.id)
        : await lockService(trx, input.principal, kind, input.serviceId, user)
    if (s.cancel_at === null) {
      throw new AppError('invalid_state', `${noun(kind)} '${s.id}' has no cancellation pending`, {
        details: { status: s.status, cancel_at: null },
      })
    }
    // An immediate cancellation is past undoing from its first moment (cancel_at = then).
    if (s.status !== (kind === 'addon' ? 'assigned' : 'active') || s.cancel_at <= now) {
      throw new AppError(
        'invalid_state',
        `the cancellation of ${noun(kind)} '${s.id}' took effect at ${s.cancel_at.toISOString()}; it cannot be undone`,
        { details: { status: s.status, cancel_at: s.cancel_at.toISOString() } },
      )
    }
    const table = kind === 'server' ? 'servers' : kind === 'addon' ? 'server_addons' : 'plesk_subscriptions'
    await trx.updateTable(table).set({ cancel_at: null, updated_at: now }).where('id', '=', s.id).execute()
    await writeAudit(trx, {
      actor: actorOf(input.principal),
      requestId: input.requestId,
      action: 'service.cancel_undo',
      targetType: kind === 'server' ? 'server' : kind === 'addon' ? 'server_addon' : 'plesk_subscription',
      targetId: s.id,
      details: { user_id: s.user_id, cancel_at_was: s.cancel_at.toISOString() },
    })
    return { service_id: s.id, service_kind: kind, cancel_at: null }
  })
}

/** An addon under lock, its server's row locked first (the order every writer of addons takes). */
async function lockAddon(trx: Db, principal: Principal, id: string, owner: string) {
  const opts = { access: 'use' as const, owner }
  const { server_id: serverId } = await requireOwned(trx, principal, 'server_addons', id, opts)
  await trx.selectFrom('servers').select('id').where('id', '=', serverId).forUpdate().execute()
  return requireOwned(trx, principal, 'server_addons', id, { ...opts, forUpdate: true })
}
