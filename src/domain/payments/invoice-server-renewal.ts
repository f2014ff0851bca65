import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { TERM_HOURS } from '../billing/pricing.ts'
import type { OrderMeta } from '../orders/execute-order.ts'
import { extendServer } from '../orders/extend-server.ts'
import { latestOrderPayment } from './create-invoice.ts'

/**
 * `POST /API/invoice` with `server_id` (0xhost-api §3.18): the docs give no way to say what the
 * invoice is for, so it renews the server for one 720-hour term, priced like an extension (the
 * plan's price), as a crypto order — with the order's idempotency, and its invoice in the answer.
 */
export async function invoiceServerRenewal(
  deps: Deps,
  meta: OrderMeta,
  input: { userId: string; serverId: string },
): Promise<Payment> {
  const result = await extendServer(deps, meta, {
    userId: input.userId,
    serverId: input.serverId,
    hours: TERM_HOURS,
    paymentMethod: 'crypto',
  })
  const orderId = (result.body as { order_id: string }).order_id
  const payment = await latestOrderPayment(deps.db, orderId)
  if (!payment) throw new Error(`order ${orderId} has no payment`)
  return payment
}
