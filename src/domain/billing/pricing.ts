import { divRoundUp, type Cents } from '../../lib/money.ts'

/**
 * oxbill's pricing rules, as pure functions (property-tested in test/properties/pricing.test.ts).
 * A VPS plan's price buys one 720-hour term; Plesk plans are priced per month, and their
 * proration uses the same 30-day (720-hour) month.
 */
export const TERM_HOURS = 720
export const TERM_SECONDS = BigInt(TERM_HOURS * 3600)

/** Price of `hours` of a plan: price × hours / 720, rounded up once, at least one cent for a paid plan. */
export function hourlyExtensionPrice(planPrice: Cents, hours: number): Cents {
  const cents = divRoundUp(planPrice * BigInt(hours), BigInt(TERM_HOURS))
  return planPrice > 0n && cents === 0n ? 1n : cents
}

export interface PlanChangeQuote {
  /** Value of the remaining time at the new price minus its value at the old price (negative on a downgrade). */
  upgradeDifference: Cents
  /** What is debited: new price × terms + difference, never below zero. */
  amount: Cents
  /** What a downgrade credits back when the difference exceeds the new term's price. */
  credit: Cents
}

/**
 * Change of plan (docs/0xhost-compat.md 3.11): the remaining time (exact to the second) is re-valued at the new
 * price (rounded up: a downgrade's negative difference toward zero), and `terms` fresh terms are
 * bought at the new price. 29.99 + 24.76 = 54.75 in the docs.
 * A downgrade's negative difference first reduces the amount; what is left over is credited.
 */
export function quotePlanChange(opts: {
  oldPrice: Cents
  newPrice: Cents
  remainingSeconds: bigint
  terms?: number
}): PlanChangeQuote {
  const remaining = opts.remainingSeconds > 0n ? opts.remainingSeconds : 0n
  const upgradeDifference = divRoundUp((opts.newPrice - opts.oldPrice) * remaining, TERM_SECONDS)
  const gross = opts.newPrice * BigInt(opts.terms ?? 1) + upgradeDifference
  return gross >= 0n
    ? { upgradeDifference, amount: gross, credit: 0n }
    : { upgradeDifference, amount: 0n, credit: -gross }
}

export interface PlanChangeSettlement {
  /** The quote on the remaining time at the moment the change takes effect. */
  quote: PlanChangeQuote
  /** Paid back now: what was paid above that quote (and a downgrade's credit). */
  refund: Cents
  /** When less was paid than that quote asks (a downgrade applied later): new-plan time withheld instead. */
  shortenSeconds: bigint
}

/**
 * Settles a plan change when it takes effect, which may be later than its quote (a crypto
 * payment, a job that retried, an operator retry). The time that passed in between ran on the old
 * plan, so the quote is made again on the remaining time now: what was paid above it is refunded;
 * what falls short of it (only possible on a downgrade) is taken as new-plan time, rounded up to
 * the second, so the customer never gains from the delay. Exact when applied at the quote's time.
 */
export function settlePlanChange(opts: {
  oldPrice: Cents
  newPrice: Cents
  remainingSeconds: bigint
  terms?: number
  paid: Cents
}): PlanChangeSettlement {
  const quote = quotePlanChange(opts)
  const refund = opts.paid - (quote.amount - quote.credit)
  if (refund >= 0n) return { quote, refund, shortenSeconds: 0n }
  // refund < 0 implies amount > 0, so newPrice > 0.
  const owed = -refund
  const perTerm = opts.newPrice
  return { quote, refund: 0n, shortenSeconds: (owed * TERM_SECONDS + perTerm - 1n) / perTerm }
}

/** Plesk: monthly price × months. */
export function pleskPrice(monthlyPrice: Cents, months: number): Cents {
  return monthlyPrice * BigInt(months)
}

/** Adds calendar months in UTC, clamping the day (Jan 31 + 1 month = Feb 28/29), as Plesk's billing does. */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime())
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d
}

export const addHours = (date: Date, hours: number): Date => new Date(date.getTime() + hours * 3600_000)

/** Whole seconds from `now` until `until` (0 when already past). */
export function secondsUntil(until: Date, now: Date): bigint {
  const ms = until.getTime() - now.getTime()
  return ms > 0 ? BigInt(Math.floor(ms / 1000)) : 0n
}
