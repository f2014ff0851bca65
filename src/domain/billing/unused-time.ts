import type { ServicePeriodKind } from '../../db/states.ts'
import { divRoundDown, type Cents } from '../../lib/money.ts'

/** What the proration reads of one `service_periods` row. */
export interface PaidPeriod {
  kind: ServicePeriodKind
  starts_at: Date
  ends_at: Date
  amount_cents: bigint
}

/** An exact non-negative amount of cents, n / d (no rounding until `refundOfUnusedTime`). */
interface Fraction {
  n: bigint
  d: bigint
}

/** Paid time of one uniform value: `value` cents spread evenly over [start, end) (whole seconds). */
interface Segment {
  start: bigint
  end: bigint
  value: Fraction
}

const sec = (d: Date): bigint => BigInt(Math.floor(d.getTime() / 1000))
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b))
function add(a: Fraction, b: Fraction): Fraction {
  const n = a.n * b.d + b.n * a.d
  const d = a.d * b.d
  const g = gcd(n < 0n ? -n : n, d) || 1n
  return { n: n / g, d: d / g }
}

/** The value of `s` after second `t`: its value × the share of its seconds that lie after t. */
function valueAfter(s: Segment, t: bigint): Fraction {
  const len = s.end - s.start
  if (len <= 0n || s.end <= t) return { n: 0n, d: 1n }
  const from = t > s.start ? t : s.start
  return { n: s.value.n * (s.end - from), d: s.value.d * len }
}

/**
 * The value of a service's paid time after `at`, exact, replaying its periods in the order they
 * were applied (the delivery audit's order): a term (or opening) adds its price spread over its
 * seconds; a plan change converts the value left at its start, plus what it cost, into new-plan
 * time spread over [start, end); a cancellation's cut ends everything after it (refunded or
 * forfeited). Time between a lapse and a renewal was neither paid nor given, so it is worth nothing.
 */
export function unusedValue(periods: readonly PaidPeriod[], at: Date): Fraction {
  let segments: Segment[] = []
  for (const p of periods) {
    const start = sec(p.starts_at)
    const end = sec(p.ends_at)
    if (p.kind === 'term' || p.kind === 'opening') {
      segments.push({ start, end, value: { n: p.amount_cents < 0n ? 0n : p.amount_cents, d: 1n } })
    } else if (p.kind === 'plan_change') {
      const carried = segments.reduce((v, s) => add(v, valueAfter(s, start)), { n: 0n, d: 1n })
      segments = segments.map(s => ({ ...s, end: s.end < start ? s.end : start, value: truncated(s, start) }))
      segments.push({ start, end, value: add(carried, { n: p.amount_cents < 0n ? 0n : p.amount_cents, d: 1n }) })
    } else {
      segments = segments.map(s => ({ ...s, end: s.end < start ? s.end : start, value: truncated(s, start) }))
    }
  }
  return segments.reduce((v, s) => add(v, valueAfter(s, sec(at))), { n: 0n, d: 1n })
}

/** A segment's value up to second t (what stays when the time after t is taken away). */
function truncated(s: Segment, t: bigint): Fraction {
  if (s.end <= t) return s.value
  const after = valueAfter(s, t)
  return add(s.value, { n: -after.n, d: after.d })
}

/**
 * What an immediate cancellation at `at` refunds when CANCEL_REFUND_UNUSED is on: the unused paid
 * time's value, prorated to the second, rounded down once (`divRoundDown`), so never more than
 * what is left of what was paid.
 */
export function refundOfUnusedTime(periods: readonly PaidPeriod[], at: Date): Cents {
  const v = unusedValue(periods, at)
  return divRoundDown(v.n, v.d)
}
