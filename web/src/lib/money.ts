// Money is never a JS number (STYLE-web rule 10): the API sends decimal strings ("12.50",
// "-3.00"), which stay strings until parsed here into bigint minor units.

/** Minor-unit digits per currency; ISO 4217 exceptions that oxbill could meet, 2 otherwise. */
const DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3, TND: 3 }

export function currencyDigits(currency: string): number {
  return DIGITS[currency.toUpperCase()] ?? 2
}

export interface MoneyValue {
  minor: bigint
  currency: string
}

/**
 * "12.5", "12.50", "-0.99", "1000" → minor units for `currency`; null for anything else (a
 * float-looking "1e3", more digits than the currency has, separators, blanks). Exact: no float.
 */
export function parseMoney(text: string, currency: string): MoneyValue | null {
  const digits = currencyDigits(currency)
  const m = /^(-)?(\d{1,15})(?:\.(\d+))?$/.exec(text.trim())
  if (!m) return null
  const [, sign, whole = '0', frac = ''] = m
  if (frac.length > digits || (m[3] !== undefined && frac.length === 0)) return null
  const minor = BigInt(whole + frac.padEnd(digits, '0'))
  return { minor: sign === '-' ? -minor : minor, currency: currency.toUpperCase() }
}

/** Minor units back to the exact decimal string the API and Intl.NumberFormat read ("-3.05"). */
export function toDecimalString(value: MoneyValue): string {
  const digits = currencyDigits(value.currency)
  const negative = value.minor < 0n
  const abs = (negative ? -value.minor : value.minor).toString().padStart(digits + 1, '0')
  const whole = abs.slice(0, abs.length - digits)
  const frac = abs.slice(abs.length - digits)
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${frac}` : ''}`
}

/**
 * The amount as the user reads it, in `locale`. Intl.NumberFormat formats a decimal *string*
 * exactly (ECMA-402 2023), so no digit goes through a float on the way.
 */
export function formatMoney(value: MoneyValue, locale = 'en'): string {
  const digits = currencyDigits(value.currency)
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: value.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(toDecimalString(value) as Intl.StringNumericLiteral)
}

/** The API's decimal string straight to display; the string itself when it is not money. */
export function formatDecimal(text: string, currency: string, locale = 'en'): string {
  const v = parseMoney(text, currency)
  return v === null ? text : formatMoney(v, locale)
}
