import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { newUuid } from '../../lib/ids.ts'
import type { Principal } from '../auth/api-keys.ts'
import { actingUser } from '../catalog/lookups.ts'
import { AppError, notFound, validation } from '../errors.ts'
import { invoiceMinutesUntil, PENDING_PAYMENT } from '../orders/charge.ts'
import { ensureInvoice, latestOrderPayment } from './create-invoice.ts'
import { isOpenStatus } from './observation.ts'

export interface ReissueInput { userId: string, orderId: string, currency: string }

/**
 * `POST /API/invoice` with `order_id` (0xhost-api §3.19): the invoice of the caller's own
 * `pending_payment` crypto order. Its open invoice is returned as it is; a missing one (OxaPay
 * failed when the order was placed) is created; an expired one is replaced by a new invoice for
 * the order amount, which lives until the order's payment deadline at most (never past it: an
 * unpaid order cannot be kept alive by re-issuing its invoice). Invoices are in EUR only.
 * `pay_currency` and `network` are accepted for compatibility: on OxaPay's hosted invoice the
 * payer picks the coin, so they are not forwarded.
 */
export async function reissueInvoice (deps: Deps, caller: { principal: Principal, ip?: string }, input: ReissueInput): Promise<Payment> {
  const user = await actingUser(deps.db, caller.principal, input.userId)
  if (input.currency.toUpperCase() !== 'EUR') throw validation('currency must be EUR: orders are priced and invoiced in EUR', 'currency')
  const order = await deps.db.selectFrom('orders').selectAll().where('id', '=', input.orderId).where('user_id', '=', user.id).executeTakeFirst()
  if (!order) throw notFound('order', input.orderId)
  const latest = await latestOrderPayment(deps.db, order.id)
  if (order.payment_method !== 'crypto' || order.status !== PENDING_PAYMENT || !latest) {
    throw new AppError('invalid_state', `the order is ${order.status} (${order.payment_method}); only a pending_payment crypto order has an invoice to issue`, { details: { status: order.status } })
  }
  const now = deps.clock.now()
  if (latest.track_id === null) return ensureInvoice(deps, latest.id)
  if (isOpenStatus(latest.status) && (latest.expired_at === null || latest.expired_at > now)) return latest
  // A new invoice never extends the order's life: it ends at the order's payment deadline.
  if (order.pay_by !== null && order.pay_by <= now) {
    throw new AppError('invalid_state', `the order's payment deadline passed at ${order.pay_by.toISOString()}; place a new order`, { details: { status: order.status, pay_by: order.pay_by.toISOString() } })
  }
  const lifetime = order.pay_by !== null ? invoiceMinutesUntil(order.pay_by, now, deps.config.invoiceLifetimeMinutes) : deps.config.invoiceLifetimeMinutes
  const id = newUuid()
  await deps.db.transaction().execute(async trx => {
    // Under the order's lock: reconciliation cancels an order only after the same check.
    const locked = await trx.selectFrom('orders').select('status').where('id', '=', order.id).forUpdate().executeTakeFirstOrThrow()
    if (locked.status !== PENDING_PAYMENT) throw new AppError('invalid_state', `the order is ${locked.status}`, { details: { status: locked.status } })
    await trx.insertInto('payments').values({
      id, user_id: order.user_id, order_id: order.id, type: 'ORDER', amount_cents: order.amount_cents,
      lifetime_minutes: lifetime, description: latest.description, ip_address: caller.ip ?? null,
    }).execute()
  })
  return ensureInvoice(deps, id)
}
