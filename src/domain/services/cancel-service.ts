import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { assertNoOpenOrder } from '../orders/open-orders.ts'
import { recordServiceEvent } from '../events/record-object-event.ts'

export interface CancelServiceInput {
  principal: Principal
  requestId: string
  userId?: string
  serviceId: string
  when: 'end_of_term'
}

export interface Cancellation {
  service_id: string
  service_kind: 'server' | 'plesk'
  when: 'end_of_term'
  effective_at: string
}

/**
 * Cancels a server at the end of its term (contract "Cancel at end of term"): `cancel_at` = the
 * expiry now, auto-renew off, and `service.cancelled` {effective: 'end_of_term'}, in one
 * transaction under the server row's lock. At `cancel_at` the lifecycle deletes it instead of
 * suspending it.
 *
 * Open orders: refused while any order on the server is open (409 `invalid_state` with
 * `pending_order_id`, the same rule as orders): an extension paid after the cancellation must not
 * buy time the termination then throws away. While the cancellation is pending, new orders on the
 * server (extension, plan change, addon) are refused too (`lockServerForOrder`), so `cancel_at`
 * always equals the expiry. Cancelling again while pending answers the same cancellation.
 */
export async function cancelService(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: CancelServiceInput,
): Promise<Cancellation> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  return deps.db.transaction().execute(async trx => {
    const now = deps.clock.now()
    const read = () =>
      requireOwned(trx, input.principal, 'servers', input.serviceId, { access: 'use', owner: user, forUpdate: true })
    let server = await read()
    if (server.status === 'active' && server.cancel_at !== null) return cancellation(server.id, server.cancel_at)
    // An unpaid order past its deadline is cancelled here; the server may then be back in another status.
    if (await assertNoOpenOrder(trx, { kind: 'server', id: server.id }, now)) server = await read()
    if (server.status !== 'active') {
      throw new AppError(
        'invalid_state',
        `server '${server.id}' is ${server.status}; only an active server can be cancelled`,
        {
          details: { status: server.status },
        },
      )
    }
    await trx
      .updateTable('servers')
      .set({ cancel_at: server.expire_date, auto_renew: false, updated_at: now })
      .where('id', '=', server.id)
      .execute()
    await recordServiceEvent(trx, 'service.cancelled', { kind: 'server', id: server.id }, now, {
      effective: 'end_of_term',
    })
    await writeAudit(trx, {
      actor: input.principal.apiKeyId,
      requestId: input.requestId,
      action: 'service.cancel',
      targetType: 'server',
      targetId: server.id,
      details: {
        user_id: server.user_id,
        when: input.when,
        cancel_at: server.expire_date.toISOString(),
        auto_renew_was: server.auto_renew,
      },
    })
    return cancellation(server.id, server.expire_date)
  })
}

function cancellation(id: string, at: Date): Cancellation {
  return { service_id: id, service_kind: 'server', when: 'end_of_term', effective_at: at.toISOString() }
}
