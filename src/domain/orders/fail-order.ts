import type { Db } from '../../db/connect.ts'
import { credit } from '../billing/ledger.ts'
import { moveOrder } from '../state/orders.ts'
import { recordOrderEvent } from '../events/record-object-event.ts'
import { formatAmount } from '../../lib/money.ts'

/**
 * Ends an order that could not be delivered: refunds exactly what the order took (the net of its
 * ledger rows) and marks it failed, in the caller's transaction. Idempotent: a second call finds
 * the order no longer `processing` and does nothing.
 */
export async function failAndRefundOrder(trx: Db, orderId: string, reason: string, now: Date): Promise<void> {
  const order = await trx
    .selectFrom('orders')
    .select(['id', 'user_id', 'status', 'order_number'])
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst()
  if (!order || order.status !== 'processing') return
  const rows = await trx.selectFrom('ledger_entries').select('delta_cents').where('order_id', '=', orderId).execute()
  const net = rows.reduce((sum, r) => sum + r.delta_cents, 0n)
  if (net < 0n) {
    const refund = await credit(trx, {
      userId: order.user_id,
      amount: -net,
      kind: 'refund',
      orderId,
      reason: `refund of ${order.order_number}: ${reason}`.slice(0, 500),
      actor: 'worker',
    })
    await recordOrderEvent(trx, 'order.refunded', orderId, now, {
      extra: { refunded: formatAmount(-net), balance: formatAmount(refund.balanceAfter) },
    })
  }
  await moveOrder(trx, orderId, {
    from: 'processing',
    to: 'failed',
    set: { failure_reason: reason.slice(0, 1000) },
    now,
  })
}
