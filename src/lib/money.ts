/**
 * Money is integer euro cents held in `bigint`. Amounts cross the API edge as decimal strings
 * ("3.99"), or as JSON numbers only where the documented response uses a number.
 * Prices round in exactly one place: `divRoundUp` (the customer never receives more than they
 * paid for); refunds of unused time in `divRoundDown`, for the same reason; `divRoundHalfUp` is
 * for converting amounts received in another unit.
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

/**
 * The one rounding point of refunds of unused paid time (an immediate cancellation): numerator /
 * denominator rounded down (toward 0 for the non-negative values it takes) to whole cents, so a
 * refund never exceeds the value left.
 */
export function divRoundDown(numerator: bigint, denominator: bigint): Cents {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  if (numerator < 0n) throw new RangeError('a refund is never negative')
  return numerator / denominator
}

export function minCents(a: Cents, b: Cents): Cents {
  return a < b ? a : b
}
export function maxCents(a: Cents, b: Cents): Cents {
  return a > b ? a : b
}

// ---- Exact decimals (crypto amounts) ----

/**
 * Exact decimals for OxaPay amounts. Crypto amounts carry up to 8+ places, so cents (above)
 * cannot hold them; values live as `units / 10^scale` with bigint units instead of floats.
 */
export interface Dec {
  units: bigint
  scale: number
}

const DEC_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/
const DEC_EXPONENT = /^([+-])?(\d+)(?:\.(\d+))?e([+-]?\d+)$/i

/** Parses "12.99", "-0.5", "10" (no exponent) into a Dec; null if malformed. */
export function parseDec(text: string): Dec | null {
  const m = DEC_TEXT.exec(text.trim())
  if (!m) return null
  const [, sign, whole, frac = ''] = m
  const units = BigInt(whole! + frac)
  return { units: sign === '-' ? -units : units, scale: frac.length }
}

/** Canonical text of a Dec: no exponent, no trailing fractional zeros ("15", "0.00613418"). */
export function formatDec(d: Dec): string {
  if (d.units === 0n) return '0'
  const neg = d.units < 0n
  let digits = (neg ? -d.units : d.units).toString()
  let scale = d.scale
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1)
    scale--
  }
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0')
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  }
  return neg ? `-${digits}` : digits
}

/** Brings a Dec to a larger scale without changing its value. */
function rescale(d: Dec, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale)
}

/** a + b, exact. */
export function addDec(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale)
  return { units: rescale(a, scale) + rescale(b, scale), scale }
}

/** a − b, exact. */
export function subDec(a: Dec, b: Dec): Dec {
  return addDec(a, { units: -b.units, scale: b.scale })
}

/** a × b, exact. */
export function mulDec(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale }
}

/** a ÷ b rounded half away from zero to `scale` places; b must not be zero. */
export function divDec(a: Dec, b: Dec, scale: number): Dec {
  if (b.units === 0n) throw new RangeError('division by zero')
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale); shift so the quotient lands on `scale`.
  let num = a.units * 10n ** BigInt(scale + b.scale)
  let den = b.units * 10n ** BigInt(a.scale)
  if (den < 0n) {
    num = -num
    den = -den
  }
  return { units: divRoundHalfUp(num, den), scale }
}

/** a ÷ b rounded up (towards +∞) to `scale` places; b must be positive. What a payer must send is never short. */
export function divDecUp(a: Dec, b: Dec, scale: number): Dec {
  if (b.units <= 0n) throw new RangeError('divisor must be positive')
  const num = a.units * 10n ** BigInt(scale + b.scale)
  const den = b.units * 10n ** BigInt(a.scale)
  const q = num / den
  return { units: num % den > 0n ? q + 1n : q, scale }
}

/** Rounds half away from zero to `scale` places (never adds precision that was not there). */
export function roundDec(d: Dec, scale: number): Dec {
  if (d.scale <= scale) return d
  return { units: divRoundHalfUp(d.units, 10n ** BigInt(d.scale - scale)), scale }
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function cmpDec(a: Dec, b: Dec): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale)
  const x = rescale(a, scale)
  const y = rescale(b, scale)
  return x < y ? -1 : x > y ? 1 : 0
}

export const ZERO: Dec = { units: 0n, scale: 0 }

/**
 * Reads an amount OxaPay sent as a JSON number (or numeric string) into canonical decimal text.
 * `Number#toString` prints the shortest text that round-trips, i.e. the literal OxaPay wrote for
 * any value with up to 15 significant digits; only the exponent form needs expanding.
 */
export function decimalFromJson(value: unknown): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null
    return expandExponent(value.toString())
  }
  if (typeof value === 'string' && value.trim() !== '') return expandExponent(value.trim())
  return null
}

function expandExponent(text: string): string | null {
  const plain = parseDec(text)
  if (plain) return formatDec(plain)
  const m = DEC_EXPONENT.exec(text)
  if (!m) return null
  const [, sign, whole, frac = '', exp] = m
  const units = BigInt(whole! + frac)
  const shift = Number(exp) - frac.length
  const d: Dec = shift >= 0 ? { units: units * 10n ** BigInt(shift), scale: 0 } : { units, scale: -shift }
  return formatDec(sign === '-' ? { units: -d.units, scale: d.scale } : d)
}
