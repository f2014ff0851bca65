import { createHash } from 'node:crypto'
import type { OxaCallback, OxaPayStatus, OxaPayment, OxaTx } from '../../integrations/oxapay/types.ts'

/**
 * One report of a payment's state, from a callback or from a poll (`GET /v1/payment/{id}`): what
 * the settlement function consumes, whichever way it came.
 */
export interface Observation {
  source: 'callback' | 'poll'
  trackId: string
  /** Normalised; null for a status oxbill does not know (acknowledged, ignored). */
  status: OxaPayStatus | null
  rawStatus: string
  /** Invoice amount and currency as OxaPay reports them; compared with the payment row. */
  amount: string | null
  currency: string | null
  /** OxaPay's `order_id`: our payment id, echoed. */
  orderRef: string | null
  underPaidCoverage: string | null
  txs: OxaTx[]
}

/** Statuses in which OxaPay may still receive money for the invoice. */
export const OPEN_STATUSES = ['new', 'waiting', 'paying'] as const

/** True while OxaPay may still receive money for the invoice (new, waiting, paying). */
export const isOpenStatus = (s: string): boolean => (OPEN_STATUSES as readonly string[]).includes(s)

/** The observation a verified, parsed callback makes. */
export function fromCallback(c: OxaCallback): Observation {
  return {
    source: 'callback',
    trackId: c.trackId,
    status: c.status,
    rawStatus: c.rawStatus,
    amount: c.amount,
    currency: c.currency,
    orderRef: c.orderId,
    underPaidCoverage: c.underPaidCoverage,
    txs: c.txs,
  }
}

/** The observation a Payment Information lookup (a reconciliation poll) makes. */
export function fromLookup(p: OxaPayment): Observation {
  return {
    source: 'poll',
    trackId: p.trackId,
    status: p.status,
    rawStatus: p.status,
    amount: p.amount,
    currency: p.currency,
    orderRef: p.orderId,
    underPaidCoverage: p.underPaidCoverage,
    txs: p.txs,
  }
}

/**
 * Idempotency key of an observation: (track id, status) as OxaPay's retries repeat them, plus the
 * set of confirmed transactions, so that new money under an unchanged status (a second late
 * payment to an expired invoice) is not mistaken for a retry. A retry or replay of a callback,
 * and a poll that sees nothing new, produce a key that has already taken effect.
 */
export function dedupeKey(obs: Observation): string {
  const confirmed = obs.txs
    .filter(t => t.status === 'confirmed')
    .map(t => `${t.currency}:${t.sentAmount}:${t.txHash ?? ''}`)
    .sort()
    .join('|')
  const digest = createHash('sha256').update(confirmed).digest('hex').slice(0, 32)
  return `${obs.trackId}:${obs.status ?? `?${obs.rawStatus.toLowerCase()}`}:${digest}`
}

const RANK: Record<OxaPayStatus, number> = {
  new: 0,
  waiting: 1,
  paying: 2,
  expired: 3,
  underpaid: 3,
  paid: 4,
  manual_accept: 4,
  refunding: 5,
  refunded: 6,
}

/**
 * The payment's status after an observation: statuses only move forward (new → waiting → paying
 * → expired/underpaid → paid/manual_accept → refunding → refunded), so a late or replayed
 * `Paying` never undoes `paid`; a `paid` after `expired` wins (OxaPay decided it was paid).
 */
export function nextStatus(current: OxaPayStatus, observed: OxaPayStatus): OxaPayStatus {
  const cur = RANK[current] ?? 0
  return RANK[observed] > cur ? observed : current
}
