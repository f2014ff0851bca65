/**
 * Money is integer euro cents held in `bigint`. Amounts cross the API edge as decimal strings
 * ("3.99"), or as JSON numbers only where the documented response uses a number.
 * Prices round in exactly one place: `divRoundUp` (the customer never receives more than they
 * paid for); `divRoundHalfUp` is for converting amounts received in another unit.
 */

export type Cents = bigint

const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,2}))?$/

/** Parses "12.99", "12.9", "12" (or a finite number with at most 2 decimals) into cents; null if malformed. */
export function parseAmount(input: string | number): Cents | null {
  const text = typeof input === 'number' ? numberToPlainString(input) : input.trim()
  if (text === null) return null
  const m = DECIMAL.exec(text)
  if (!m) return null
  const [, sign, whole, frac = ''] = m
  const cents = BigInt(whole!) * 100n + BigInt(frac.padEnd(2, '0'))
  return sign ? -cents : cents
}

function numberToPlainString(n: number): string | null {
  if (!Number.isFinite(n)) return null
  // toString is exact for the short decimals we accept; anything longer fails the regex.
  return n.toString()
}

/** Formats cents as a decimal string with two places: 1299n → "12.99", -5n → "-0.05". */
export function formatAmount(cents: Cents): string {
  const neg = cents < 0n
  const abs = neg ? -cents : cents
  const whole = abs / 100n
  const frac = (abs % 100n).toString().padStart(2, '0')
  return `${neg ? '-' : ''}${whole}.${frac}`
}

/** Cents as a JSON number, for the documented fields that carry money as numbers (amount, upgrade_difference). */
export function amountAsNumber(cents: Cents): number {
  return Number(formatAmount(cents))
}

/**
 * The one rounding point: numerator / denominator, rounded half away from zero to whole cents.
 * Every prorated or hourly price goes through here exactly once.
 */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): Cents {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  const neg = numerator < 0n
  const abs = neg ? -numerator : numerator
  const q = abs / denominator
  const r = abs % denominator
  const rounded = r * 2n >= denominator ? q + 1n : q
  return neg ? -rounded : rounded
}

/**
 * The one rounding point of prices: numerator / denominator rounded up (toward +∞) to whole
 * cents. Every prorated or hourly price goes through here exactly once, so a charge is never
 * below the value delivered and a downgrade's credit never above it: no sequence of small
 * orders can turn rounding into free service.
 */
export function divRoundUp(numerator: bigint, denominator: bigint): Cents {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  const q = numerator / denominator
  return numerator % denominator > 0n ? q + 1n : q
}

export function minCents(a: Cents, b: Cents): Cents {
  return a < b ? a : b
}
export function maxCents(a: Cents, b: Cents): Cents {
  return a > b ? a : b
}
