import type { Db } from '../../db/connect.ts'
import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { cmpDec, parseDec, addDec, formatDec, ZERO } from '../../lib/money.ts'
import { isPaidStatus } from '../../integrations/oxapay/map.ts'
import { newId } from '../../lib/ids.ts'
import { credit } from '../billing/ledger.ts'
import { formatAmount } from '../../lib/money.ts'
import { releasePaidOrder } from '../orders/release-paid-order.ts'
import { dedupeKey, isOpenStatus, nextStatus, type Observation } from './observation.ts'
import { movePayment } from '../state/payments.ts'
import { recordEvent as recordDomainEvent } from '../events/record-event.ts'

export interface SettleInput {
  obs: Observation
  /** Value of the confirmed transactions in cents, rounded down; null when not computable. */
  receivedCents: bigint | null
  /** The callback's stored event; a poll is stored here, and only when it takes effect or is flagged. */
  eventId?: string
  rawBody: string
}

export interface SettleResult {
  outcome: string
  credited: bigint
  /** Jobs released by a paid order: the caller pokes the runner after commit. */
  jobIds: string[]
  flagged: boolean
}

/**
 * The one settlement function, used by callbacks and by reconciliation polls, in one transaction
 * under the payment's row lock:
 * 1. unknown track id, or amount/currency/order reference unlike the payment → stored, flagged,
 *    nothing credited;
 * 2. an observation already applied (same track id, status and confirmed txs) → nothing;
 * 3. credit the balance with what arrived above `credited_cents` (`payment_credit`); when OxaPay
 *    says `paid`/`manual_accept` (it applied the invoice's under_paid_coverage) the credit is
 *    topped up to the invoice amount; when the value is not computable and OxaPay does not vouch
 *    for it, nothing is credited and the payment is flagged for review;
 * 4. if settled — OxaPay says paid, or the full amount arrived while the invoice was still open —
 *    and the order is still `pending_payment`, the order is paid from that balance and released.
 * Overpayments and late payments (invoice expired, order cancelled) stay on the balance.
 */
export async function settlePayment(deps: Pick<Deps, 'db' | 'clock'>, input: SettleInput): Promise<SettleResult> {
  const { obs } = input
  const key = dedupeKey(obs)
  const now = deps.clock.now()
  return deps.db.transaction().execute(async trx => {
    const p = await trx
      .selectFrom('payments')
      .selectAll()
      .where('track_id', '=', obs.trackId)
      .forUpdate()
      .executeTakeFirst()
    const done = async (r: SettleResult & { applied: boolean; paymentId: string | null }): Promise<SettleResult> => {
      await recordEvent(trx, input, key, r)
      return { outcome: r.outcome, credited: r.credited, jobIds: r.jobIds, flagged: r.flagged }
    }
    const none = { credited: 0n, jobIds: [] as string[] }
    if (!p) {
      return done({
        ...none,
        outcome: 'flagged: unknown track_id; nothing credited',
        flagged: true,
        applied: false,
        paymentId: null,
      })
    }
    const mismatch = mismatchOf(p, obs)
    if (mismatch !== null) {
      // A poll that keeps seeing the same mismatch is recorded once.
      if (input.eventId === undefined && p.flag_reason === mismatch) {
        return { outcome: `flagged: ${mismatch}`, credited: 0n, jobIds: [], flagged: true }
      }
      await trx
        .updateTable('payments')
        .set({ flagged: true, flag_reason: mismatch, updated_at: now })
        .where('id', '=', p.id)
        .execute()
      return done({
        ...none,
        outcome: `flagged: ${mismatch}; nothing credited`,
        flagged: true,
        applied: false,
        paymentId: p.id,
      })
    }
    const seen = await trx
      .selectFrom('payment_events')
      .select('id')
      .where('dedupe_key', '=', key)
      .where('applied', '=', true)
      .executeTakeFirst()
    if (seen) {
      return done({ ...none, outcome: 'duplicate: already applied', flagged: false, applied: false, paymentId: p.id })
    }
    if (obs.status === null) {
      return done({
        ...none,
        outcome: `ignored: unknown status '${obs.rawStatus}'`,
        flagged: false,
        applied: false,
        paymentId: p.id,
      })
    }

    const paidByOxaPay = isPaidStatus(obs.status)
    let flag: string | null = null
    let target = input.receivedCents
    if (paidByOxaPay) target = target !== null && target > p.amount_cents ? target : p.amount_cents
    else if (target === null) {
      flag =
        "the value received is not computable from OxaPay's report (a coin without a price); review and credit by hand"
    }
    const delta = target !== null && target > p.credited_cents ? target - p.credited_cents : 0n
    if (delta > 0n) {
      await credit(trx, {
        userId: p.user_id,
        amount: delta,
        kind: 'payment_credit',
        paymentId: p.id,
        reason: `crypto payment ${p.track_id} (${obs.status})`,
        actor: 'oxapay',
      })
    }
    const parts = [delta > 0n ? `credited ${formatAmount(delta)}` : 'nothing new to credit']
    const inTime = isOpenStatus(obs.status) && (p.expired_at === null || now <= p.expired_at)
    const settles = paidByOxaPay || (input.receivedCents !== null && input.receivedCents >= p.amount_cents && inTime)
    const jobIds: string[] = []
    if (settles && p.type === 'ORDER' && p.order_id !== null) {
      const r = await releasePaidOrder(trx, p.order_id, 'oxapay', now)
      if (r.released) {
        jobIds.push(...r.jobIds)
        parts.push('order paid')
      } else parts.push(`order not paid (${r.reason}): the money stays on the balance`)
      if (!r.released && r.reason.startsWith('the balance')) flag = `settled but not applied: ${r.reason}`
    }
    if ((obs.status === 'refunding' || obs.status === 'refunded') && p.credited_cents + delta > 0n) {
      flag = `OxaPay reports ${obs.status} for a payment already credited; review the balance`
    }
    // Read under its lock above: `from` is its status now.
    await movePayment(trx, p.id, {
      from: p.status,
      to: nextStatus(p.status, obs.status),
      set: {
        credited_cents: p.credited_cents + delta,
        ...payFields(p, obs),
        ...(obs.underPaidCoverage !== null ? { under_paid_coverage: obs.underPaidCoverage } : {}),
        ...(flag !== null ? { flagged: true, flag_reason: flag } : {}),
        ...(settles && p.settled_at === null ? { settled_at: now } : {}),
      },
      now,
    })
    if (flag !== null) parts.push(`flagged: ${flag}`)
    const paymentRef = {
      id: p.id,
      track_id: p.track_id,
      amount: formatAmount(p.amount_cents),
      currency: p.currency,
      order_id: p.order_id,
    }
    if (delta > 0n) {
      await recordDomainEvent(trx, {
        type: 'payment.received',
        userId: p.user_id,
        data: { payment: paymentRef, credited: formatAmount(delta) },
        now,
      })
    }
    if (flag !== null && !p.flagged) {
      await recordDomainEvent(trx, {
        type: 'payment.flagged',
        userId: p.user_id,
        data: { payment: paymentRef, reason: flag },
        now,
      })
    }
    return done({
      outcome: parts.join('; '),
      credited: delta,
      jobIds,
      flagged: flag !== null,
      applied: true,
      paymentId: p.id,
    })
  })
}

/** Why an observation cannot be about this payment, or null. */
function mismatchOf(p: Payment, obs: Observation): string | null {
  const amount = obs.amount === null ? null : parseDec(obs.amount)
  if (amount === null || cmpDec(amount, { units: p.amount_cents, scale: 2 }) !== 0) {
    return `amount ${obs.amount ?? '(none)'} does not match the invoice amount ${formatAmount(p.amount_cents)}`
  }
  if ((obs.currency ?? '').toUpperCase() !== p.currency) {
    return `currency ${obs.currency ?? '(none)'} does not match the invoice currency ${p.currency}`
  }
  if (obs.orderRef !== null && obs.orderRef !== p.id) {
    return `order_id ${obs.orderRef} does not match the payment ${p.id}`
  }
  return null
}

/**
 * What the latest transaction tells: its hash; and for a hosted invoice (the payer picked the coin
 * there) the coin, the amount sent in it, its network and address. A white-label payment's coin,
 * amount due, network and address were fixed when it was created and stay as they are.
 */
function payFields(
  p: Payment,
  obs: Observation,
): Pick<Partial<Payment>, 'pay_amount' | 'pay_currency' | 'network' | 'address' | 'tx_hash'> {
  const last = obs.txs[obs.txs.length - 1]
  if (!last) return {}
  if (p.oxapay_type === 'white_label') return { tx_hash: last.txHash }
  const sum = obs.txs
    .filter(t => t.currency === last.currency)
    .reduce((s, t) => addDec(s, parseDec(t.sentAmount) ?? ZERO), ZERO)
  return {
    pay_amount: formatDec(sum),
    pay_currency: last.currency || null,
    network: last.network || null,
    address: last.address,
    tx_hash: last.txHash,
  }
}

async function recordEvent(
  trx: Db,
  input: SettleInput,
  key: string,
  r: SettleResult & { applied: boolean; paymentId: string | null },
): Promise<void> {
  const fields = {
    payment_id: r.paymentId,
    processed: true,
    applied: r.applied,
    outcome: r.outcome.slice(0, 1000),
    flagged: r.flagged,
    credited_cents: r.credited,
    dedupe_key: key,
    status: input.obs.status,
  }
  if (input.eventId !== undefined) {
    await trx.updateTable('payment_events').set(fields).where('id', '=', input.eventId).execute()
  } else if (r.applied || r.flagged) {
    // Polls that change nothing are not kept: the job polls every open payment every minute.
    await trx
      .insertInto('payment_events')
      .values({
        id: newId('event'),
        source: 'poll',
        track_id: input.obs.trackId,
        raw_status: input.obs.rawStatus,
        raw_body: input.rawBody,
        signature_valid: null,
        ...fields,
      })
      .execute()
  }
}
