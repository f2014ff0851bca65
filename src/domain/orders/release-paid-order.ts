import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { debit } from '../billing/ledger.ts'
import { addHours, addMonths, TERM_HOURS } from '../billing/pricing.ts'
import { PENDING_PAYMENT } from './charge.ts'
import { cancelUnpaidOrder } from './cancel-unpaid-order.ts'
import { moveOrder } from '../state/orders.ts'
import { moveServer, moveServerAddon } from '../state/servers.ts'
import { movePleskSubscription } from '../state/plesk.ts'
import { moveJobs } from '../state/jobs.ts'

export type ReleaseResult = { released: true; jobIds: string[] } | { released: false; reason: string }

/**
 * Pays a `pending_payment` order from the balance its crypto payment was just credited to, in the
 * caller's (settlement) transaction: one `order_debit` with the order id, the order `processing`,
 * its new service row in the status a balance order starts with, and its blocked job `pending`.
 * From there it provisions exactly as a balance order does (and a failure refunds the debit). A
 * new server's or subscription's term starts now, when it is paid, not when it was ordered.
 * Not released: an order no longer pending (cancelled at expiry: the money stays as credit), one
 * past its payment deadline (cancelled now, likewise), or a
 * balance that no longer covers the order (earlier partial credits were spent meanwhile).
 */
export async function releasePaidOrder(trx: Db, orderId: string, actor: string, now: Date): Promise<ReleaseResult> {
  const order = await trx
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  if (order.status !== PENDING_PAYMENT) return { released: false, reason: `the order is ${order.status}` }
  // Past its deadline the quote no longer holds (the lifecycle would cancel it): the money stays as credit.
  if (order.pay_by !== null && order.pay_by < now) {
    await cancelUnpaidOrder(trx, orderId, 'paid after the payment deadline; the payment stays on the balance', now)
    return { released: false, reason: 'the payment deadline had passed' }
  }
  if (order.amount_cents > 0n) {
    try {
      await debit(trx, {
        userId: order.user_id,
        amount: order.amount_cents,
        kind: 'order_debit',
        orderId,
        reason: `${order.order_number}: paid by crypto`,
        actor,
      })
    } catch (err) {
      // A conditional UPDATE that matched nothing: no SQL error, the transaction goes on.
      if (err instanceof AppError && err.code === 'insufficient_balance') {
        return { released: false, reason: 'the balance no longer covers the order' }
      }
      throw err
    }
  }
  if (order.order_type === 'new_server' && order.server_id !== null) {
    await moveServer(trx, order.server_id, {
      from: PENDING_PAYMENT,
      to: 'provisioning',
      set: { expire_date: addHours(now, order.hours ?? TERM_HOURS) },
      now,
    })
  } else if (order.order_type === 'addon' && order.server_addon_id !== null) {
    await moveServerAddon(trx, order.server_addon_id, { from: PENDING_PAYMENT, to: 'unassigned', now })
  } else if (order.order_type === 'plesk' && order.subscription_id !== null) {
    await movePleskSubscription(trx, order.subscription_id, {
      from: PENDING_PAYMENT,
      to: 'provisioning',
      set: { expires_at: addMonths(now, order.months ?? 1) },
      now,
    })
  }
  const termStart = order.order_type === 'new_server' || order.order_type === 'plesk' ? { term_starts_at: now } : {}
  const jobIds = await moveJobs(trx, eb => eb('order_id', '=', orderId), {
    from: 'blocked',
    to: 'pending',
    set: { run_at: now },
    now,
  })
  // The order was read under its lock as pending_payment above.
  await moveOrder(trx, orderId, { from: PENDING_PAYMENT, to: 'processing', set: termStart, now })
  return { released: true, jobIds }
}
