import { sql } from 'kysely'
import type { Payment } from '../../db/schema.ts'
import { wallClock, type Deps } from '../../deps.ts'
import { cancelUnpaidOrder } from '../orders/cancel-unpaid-order.ts'
import { fromLookup, OPEN_STATUSES } from './observation.ts'
import { priceSource } from './price-list.ts'
import { receivedCents } from './received-value.ts'
import { settlePayment, type SettleResult } from './settle-payment.ts'
import { movePayments } from '../state/payments.ts'

type ReconcileDeps = Pick<Deps, 'db' | 'oxapay' | 'logger' | 'clock'>

/** Open payments are polled for this long after they were created; then they are given up. */
export const POLL_MAX_AGE_DAYS = 7
/** Payments polled per round; with more open, every one is still polled within ⌈open / BATCH⌉ rounds. */
export const BATCH = 500

export interface ReconcileReport {
  polled: number
  failed: number
  /** Payments whose invoice was never created and whose lifetime passed. */
  expiredWithoutInvoice: number
  /** Payments still open at OxaPay after POLL_MAX_AGE_DAYS: closed and flagged. */
  givenUp: number
  cancelledOrders: number
  releasedJobs: string[]
}

/** Asks OxaPay for one payment's state and settles it (the path for missed callbacks). */
export async function pollPayment(deps: ReconcileDeps, p: Payment): Promise<SettleResult> {
  const info = await deps.oxapay.getPayment(p.track_id!)
  const obs = fromLookup(info)
  const cents = await receivedCents(obs.txs, p.currency, priceSource(deps.oxapay))
  return settlePayment(deps, { obs, receivedCents: cents, rawBody: JSON.stringify(info) })
}

/**
 * The reconciliation round (job `payments.reconcile`): polls up to BATCH open payments younger
 * than POLL_MAX_AGE_DAYS, the least recently polled first, through the settlement function, so a
 * lost callback costs a round or a few, not a payment; closes intents whose invoice could never be created; and cancels every
 * `pending_payment` order that has no open payment left (its invoice expired, or ended underpaid
 * — what did arrive stays on the balance). One failed poll does not stop the round.
 */
export async function reconcilePayments(deps: ReconcileDeps): Promise<ReconcileReport> {
  const db = deps.db
  const report: ReconcileReport = {
    polled: 0,
    failed: 0,
    expiredWithoutInvoice: 0,
    givenUp: 0,
    cancelledOrders: 0,
    releasedJobs: [],
  }
  // Polling age, poll order and invoice claims are infrastructure time: they compare against
  // `created_at` (the database's now()) and other requests' leases, so they read the wall clock.
  const wall = wallClock.now()
  const now = deps.clock.now()
  const cutoff = new Date(wall.getTime() - POLL_MAX_AGE_DAYS * 86_400_000)
  // Least recently polled first (never polled: counted from creation), and the batch is marked
  // polled before it is polled, whatever each poll's outcome: a payment polled now goes to the
  // back of the queue, so none waits longer than ⌈open payments / BATCH⌉ rounds, however many
  // idle invoices others hold (and those are capped per customer: open-invoice-cap.ts).
  const open = await db
    .selectFrom('payments')
    .selectAll()
    .where('status', 'in', [...OPEN_STATUSES])
    .where('track_id', 'is not', null)
    .where('created_at', '>', cutoff)
    .orderBy(sql`coalesce(last_polled_at, created_at)`)
    .orderBy('id')
    .limit(BATCH)
    .execute()
  if (open.length > 0) {
    await db
      .updateTable('payments')
      .set({ last_polled_at: wall })
      .where(
        'id',
        'in',
        open.map(p => p.id),
      )
      .execute()
  }
  for (const p of open) {
    try {
      const r = await pollPayment(deps, p)
      report.polled++
      report.releasedJobs.push(...r.jobIds)
    } catch (err) {
      report.failed++
      deps.logger.warn(
        { paymentId: p.id, trackId: p.track_id, error: err instanceof Error ? err.message : String(err) },
        'payment poll failed',
      )
    }
  }
  report.expiredWithoutInvoice = await movePayments(
    db,
    eb =>
      eb.and([
        eb('track_id', 'is', null),
        sql<boolean>`created_at + make_interval(mins => lifetime_minutes) < now()`,
        eb.or([eb('invoice_claimed_until', 'is', null), eb('invoice_claimed_until', '<', wall)]),
      ]),
    { from: OPEN_STATUSES, to: 'expired', now },
  )
  report.givenUp = await movePayments(db, eb => eb('created_at', '<=', cutoff), {
    from: OPEN_STATUSES,
    to: 'expired',
    set: { flagged: true, flag_reason: `no final status from OxaPay within ${POLL_MAX_AGE_DAYS} days` },
    now,
  })
  report.cancelledOrders = await cancelExpiredOrders(deps)
  return report
}

/** Cancels pending orders without an open payment; the check is repeated under the order's lock. */
async function cancelExpiredOrders(deps: ReconcileDeps): Promise<number> {
  const candidates = await deps.db
    .selectFrom('orders')
    .select('id')
    .where('status', '=', 'pending_payment')
    .where(eb =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('payments')
            .select('payments.id')
            .whereRef('payments.order_id', '=', 'orders.id')
            .where('payments.status', 'in', [...OPEN_STATUSES]),
        ),
      ),
    )
    .limit(BATCH)
    .execute()
  let n = 0
  for (const { id } of candidates) {
    const cancelled = await deps.db.transaction().execute(async trx => {
      await trx.selectFrom('orders').select('id').where('id', '=', id).forUpdate().execute()
      const open = await trx
        .selectFrom('payments')
        .select('id')
        .where('order_id', '=', id)
        .where('status', 'in', [...OPEN_STATUSES])
        .executeTakeFirst()
      return open ? false : cancelUnpaidOrder(trx, id, 'the crypto invoice expired unpaid', deps.clock.now())
    })
    if (cancelled) n++
  }
  return n
}
