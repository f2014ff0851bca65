import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { assertNoOpenOrder } from '../orders/open-orders.ts'
import { recordServiceEvent } from '../events/record-object-event.ts'
import { serviceKindOf, type CancellableKind } from './service-of.ts'

export interface CancelServiceInput {
  principal: Principal
  requestId: string
  userId?: string
  serviceId: string
  when: 'end_of_term'
}

export interface Cancellation {
  service_id: string
  service_kind: CancellableKind
  when: 'end_of_term'
  effective_at: string
}

/** What a cancellation reads and writes of either kind of service. */
interface Row {
  id: string
  user_id: string
  status: string
  auto_renew: boolean
  expiry: Date
  cancel_at: Date | null
}

/**
 * Cancels a server or a Plesk subscription at the end of its term (contract "Cancel at end of
 * term"): `cancel_at` = the expiry now, auto-renew off, and `service.cancelled` {effective:
 * 'end_of_term'}, in one transaction under the service row's lock. At `cancel_at` the lifecycle
 * deletes it instead of suspending it.
 *
 * Open orders: refused while any order on the service is open (409 `invalid_state` with
 * `pending_order_id`, the same rule as orders): an extension paid after the cancellation must not
 * buy time the termination then throws away. While the cancellation is pending, new orders on it
 * are refused too (`lockServerForOrder`, `lockSubscriptionForOrder`), so `cancel_at` always equals
 * the expiry. Cancelling again while pending answers the same cancellation.
 */
export async function cancelService(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: CancelServiceInput,
): Promise<Cancellation> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  return deps.db.transaction().execute(async trx => {
    const now = deps.clock.now()
    const kind = await serviceKindOf(trx, input.serviceId, user.id)
    const read = () => lockService(trx, input.principal, kind, input.serviceId, user)
    let s = await read()
    if (s.status === 'active' && s.cancel_at !== null) return cancellation(kind, s.id, s.cancel_at)
    // An unpaid order past its deadline is cancelled here; the service may then be back in another status.
    const ref = kind === 'server' ? { kind: 'server' as const, id: s.id } : { kind: 'subscription' as const, id: s.id }
    if (await assertNoOpenOrder(trx, ref, now)) s = await read()
    if (s.status !== 'active') {
      throw new AppError(
        'invalid_state',
        `${noun(kind)} '${s.id}' is ${s.status}; only an active one can be cancelled`,
        {
          details: { status: s.status },
        },
      )
    }
    if (kind === 'server') {
      await trx
        .updateTable('servers')
        .set({ cancel_at: s.expiry, auto_renew: false, updated_at: now })
        .where('id', '=', s.id)
        .execute()
    } else {
      await trx
        .updateTable('plesk_subscriptions')
        .set({ cancel_at: s.expiry, auto_renew: false, updated_at: now })
        .where('id', '=', s.id)
        .execute()
    }
    const eventKind = kind === 'server' ? 'server' : 'plesk_subscription'
    await recordServiceEvent(trx, 'service.cancelled', { kind: eventKind, id: s.id }, now, { effective: 'end_of_term' })
    await writeAudit(trx, {
      actor: actorOf(input.principal),
      requestId: input.requestId,
      action: 'service.cancel',
      targetType: eventKind,
      targetId: s.id,
      details: {
        user_id: s.user_id,
        when: input.when,
        cancel_at: s.expiry.toISOString(),
        auto_renew_was: s.auto_renew,
      },
    })
    return cancellation(kind, s.id, s.expiry)
  })
}

/** The service row under lock, with its owner re-checked (`requireOwned`), in one shape for both kinds. */
export async function lockService(
  trx: Db,
  principal: Principal,
  kind: CancellableKind,
  id: string,
  owner: Parameters<typeof requireOwned>[4]['owner'],
): Promise<Row> {
  const opts = { access: 'use' as const, owner, forUpdate: true }
  if (kind === 'server') {
    const s = await requireOwned(trx, principal, 'servers', id, opts)
    return { ...s, expiry: s.expire_date }
  }
  const p = await requireOwned(trx, principal, 'plesk_subscriptions', id, opts)
  return { ...p, expiry: p.expires_at }
}

export const noun = (kind: CancellableKind): string => (kind === 'server' ? 'server' : 'subscription')

function cancellation(kind: CancellableKind, id: string, at: Date): Cancellation {
  return { service_id: id, service_kind: kind, when: 'end_of_term', effective_at: at.toISOString() }
}
