import type { Deps } from '../../deps.ts'
import { cancelUnpaidOrder } from './cancel-unpaid-order.ts'
import { PENDING_PAYMENT } from './charge.ts'

/**
 * Cancels every unpaid order past its payment deadline (`orders.pay_by`), whatever invoices it
 * still has open: a hold on a service or a domain lasts one invoice lifetime at most, however
 * often its invoice is re-issued. One short transaction per order, re-checked under its lock.
 * Run by the reconciliation and by the lifecycle (before suspensions, so an expired service held
 * by an unpaid order is back in its own status and suspended in the same run).
 */
export async function cancelOverdueOrders(deps: Pick<Deps, 'db' | 'clock'>, batchSize = 100): Promise<number> {
  let cancelled = 0
  for (;;) {
    const now = deps.clock.now()
    const due = await deps.db
      .selectFrom('orders')
      .select('id')
      .where('status', '=', PENDING_PAYMENT)
      .where('pay_by', '<=', now)
      .orderBy('pay_by')
      .limit(batchSize)
      .execute()
    for (const { id } of due) {
      if (await deps.db.transaction().execute(trx => cancelUnpaidOrder(trx, id, 'the payment deadline passed', now))) {
        cancelled++
      }
    }
    if (due.length < batchSize) return cancelled
  }
}
