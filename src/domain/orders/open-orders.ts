import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { cancelUnpaidOrder } from './cancel-unpaid-order.ts'
import { PENDING_PAYMENT } from './charge.ts'

/** The service an order acts on: a server (its addons included) or a Plesk subscription. */
export type ServiceRef = { kind: 'server'; id: string } | { kind: 'subscription'; id: string }

/** Order statuses that hold a service: paid and being applied, or awaiting payment. */
export const OPEN_ORDER_STATUSES = ['processing', PENDING_PAYMENT] as const

/**
 * Quote, then apply — on the state that was quoted: one open order per service. Called inside
 * the order transaction after the service row is locked, so two orders cannot both pass. An
 * unpaid order past its payment deadline is cancelled here rather than blocking (the lifecycle
 * would cancel it on its next run anyway); any other open order refuses with 409 naming it.
 * Returns true when it cancelled one (the caller re-reads the service row).
 */
export async function assertNoOpenOrder(trx: Db, service: ServiceRef, now: Date): Promise<boolean> {
  const column = service.kind === 'server' ? 'server_id' : 'subscription_id'
  const open = await trx
    .selectFrom('orders')
    .select(['id', 'order_number', 'status', 'pay_by', 'order_type'])
    .where(column, '=', service.id)
    .where('status', 'in', [...OPEN_ORDER_STATUSES])
    .orderBy('created_at')
    .execute()
  let cancelled = false
  for (const o of open) {
    if (o.status === PENDING_PAYMENT && o.pay_by !== null && o.pay_by <= now) {
      cancelled = (await cancelUnpaidOrder(trx, o.id, 'the payment deadline passed', now)) || cancelled
      continue
    }
    // A new service's own order is open while it is provisioned: the service is not usable yet either.
    throw new AppError(
      'invalid_state',
      `order ${o.order_number} (${o.id}) on this ${service.kind} is ${o.status}; place a new order on it once that one is ${o.status === PENDING_PAYMENT ? 'paid or cancelled' : 'done'}`,
      {
        details: {
          pending_order_id: o.id,
          pending_order_number: o.order_number,
          pending_order_status: o.status,
          pay_by: o.pay_by?.toISOString() ?? null,
        },
      },
    )
  }
  // True when an overdue order was cancelled: the service row may be back in another status.
  return cancelled
}

/** Whether another order holds the service (the lifecycle skips it rather than fail). */
export async function hasOpenOrder(trx: Db, service: ServiceRef, now: Date): Promise<boolean> {
  try {
    await assertNoOpenOrder(trx, service, now)
    return false
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid_state') return true
    throw err
  }
}
