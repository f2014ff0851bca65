import { AppError } from '../../lib/errors.ts'
import { addDec, decimalFromJson, formatDec, parseDec, ZERO } from '../../lib/money.ts'
import {
  OXAPAY_STATUSES,
  type OxaInvoice,
  type OxaPayStatus,
  type OxaPayment,
  type OxaTx,
  type OxaWhiteLabel,
} from './types.ts'

/** Lowercases an OxaPay status ("Paid" in callbacks, "paid" in lookups); unknown → null. */
export function normalizeStatus(s: string): OxaPayStatus | null {
  const lower = s.trim().toLowerCase()
  return (OXAPAY_STATUSES as readonly string[]).includes(lower) ? (lower as OxaPayStatus) : null
}

/**
 * A status as OxaPay's callbacks and help centre spell it, and as the 0xhost docs show it:
 * "paid" → "Paid", "manual_accept" → "Manual_accept". Storage stays lowercase; this is for display.
 */
export function statusLabel(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** Every status as displayed, in OxaPay's order (the enum of the transaction endpoints). */
export const STATUS_LABELS: readonly string[] = OXAPAY_STATUSES.map(statusLabel)

/** `paid` and `manual_accept` are the two states in which OxaPay holds the money for the invoice. */
export function isPaidStatus(s: OxaPayStatus | null): boolean {
  return s === 'paid' || s === 'manual_accept'
}

export type Json = Record<string, unknown>

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Non-empty string (numbers are stringified, since track ids arrive either way); else null. */
export function str(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return null
}

/** Integer from a number or digit string; else null. */
export function int(v: unknown): number | null {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null
}

/** A malformed success body: permanent, since asking again returns the same shape. */
export function unexpected(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('provider_error', `oxapay: ${message}`, {
    retryable: false,
    details: { provider: 'oxapay', reason: 'unexpected', ...details },
  })
}

/** Maps `data` of a Generate Invoice success envelope. */
export function mapInvoice(data: Json): OxaInvoice {
  const trackId = str(data.track_id)
  const paymentUrl = str(data.payment_url)
  const expiredAt = int(data.expired_at)
  const date = int(data.date)
  if (!trackId || !paymentUrl || expiredAt === null || date === null) {
    throw unexpected('invoice response lacks track_id/payment_url/expired_at/date')
  }
  return { trackId, paymentUrl, expiredAt, date }
}

/** Maps `data` of a white-label success envelope (oxapay-white-label §2). */
export function mapWhiteLabel(data: Json): OxaWhiteLabel {
  const trackId = str(data.track_id)
  const amount = decimalFromJson(data.amount)
  const currency = str(data.currency)
  const payAmount = decimalFromJson(data.pay_amount)
  const payCurrency = str(data.pay_currency)
  const address = str(data.address)
  const expiredAt = int(data.expired_at)
  const date = int(data.date)
  const pay = payAmount === null ? null : parseDec(payAmount)
  if (
    !trackId ||
    !address ||
    !payCurrency ||
    payAmount === null ||
    !pay ||
    pay.units <= 0n ||
    amount === null ||
    !currency ||
    expiredAt === null ||
    date === null
  ) {
    throw unexpected(
      'white-label response lacks track_id/address/pay_amount/pay_currency/amount/currency/expired_at/date',
    )
  }
  return {
    trackId,
    amount,
    currency: currency.toUpperCase(),
    payAmount,
    payCurrency: payCurrency.toUpperCase(),
    network: str(data.network) ?? '',
    address,
    memo: str(data.memo),
    rate: decimalFromJson(data.rate),
    qrCode: str(data.qr_code),
    expiredAt,
    date,
  }
}

/** Maps one `txs[]` item of a Payment Information lookup (nested auto_convert object). */
export function mapLookupTx(tx: Json): OxaTx {
  const conv = isRecord(tx.auto_convert) ? tx.auto_convert : null
  const convAmount = conv && conv.processed !== false ? decimalFromJson(conv.amount) : null
  const convCurrency = conv ? str(conv.currency) : null
  return {
    status: (str(tx.status) ?? '').toLowerCase(),
    txHash: str(tx.tx_hash),
    sentAmount: decimalFromJson(tx.amount) ?? '0',
    receivedAmount: null,
    value: null,
    rate: null,
    currency: (str(tx.currency) ?? '').toUpperCase(),
    network: str(tx.network) ?? '',
    address: str(tx.address),
    confirmations: int(tx.confirmations) ?? 0,
    date: int(tx.date) ?? 0,
    autoConvert: convAmount !== null && convCurrency ? { amount: convAmount, currency: convCurrency } : null,
  }
}

/** Maps one `txs[]` item of a callback body (flat sent/received/value/rate fields). */
export function mapCallbackTx(tx: Json): OxaTx {
  const convAmount = decimalFromJson(tx.auto_convert_amount)
  const convCurrency = str(tx.auto_convert_currency)
  return {
    status: (str(tx.status) ?? '').toLowerCase(),
    txHash: str(tx.tx_hash),
    sentAmount: decimalFromJson(tx.sent_amount) ?? '0',
    receivedAmount: decimalFromJson(tx.received_amount),
    value: decimalFromJson(tx.value),
    rate: decimalFromJson(tx.rate),
    currency: (str(tx.currency) ?? '').toUpperCase(),
    network: str(tx.network) ?? '',
    address: str(tx.address),
    confirmations: int(tx.confirmations) ?? 0,
    date: int(tx.date) ?? 0,
    autoConvert:
      convAmount !== null && convAmount !== '0' && convCurrency ? { amount: convAmount, currency: convCurrency } : null,
  }
}

/**
 * How much has arrived, in the invoice currency, using only figures OxaPay reports:
 * - a tx paid in the invoice currency itself counts its `sentAmount` (the gross coin amount the
 *   payer sent; OxaPay's fee is the merchant's cost, it does not reduce what the invoice got);
 * - otherwise, for a USD invoice, a tx counts its `value` (OxaPay's USD valuation of that tx,
 *   `sent_amount × rate`), which only callbacks carry;
 * - any other tx (e.g. USDT paid against a EUR invoice, or any coin ≠ currency in a lookup) has no
 *   exact invoice-currency figure in the v1 payloads, so the whole result is null.
 * No txs → "0". The sum is exact (bigint decimals) and keeps OxaPay's precision; round at use.
 */
export function receivedInInvoiceCurrency(invoiceCurrency: string, txs: readonly OxaTx[]): string | null {
  const ccy = invoiceCurrency.toUpperCase()
  let total = ZERO
  for (const tx of txs) {
    const part = tx.currency === ccy ? tx.sentAmount : ccy === 'USD' ? tx.value : null
    const d = part === null ? null : parseDec(part)
    if (!d) return null
    total = addDec(total, d)
  }
  return formatDec(total)
}

/** Maps `data` of a Payment Information success envelope (§2.2). */
export function mapPayment(data: Json): OxaPayment {
  const trackId = str(data.track_id)
  const rawStatus = str(data.status)
  const amount = decimalFromJson(data.amount)
  const currency = str(data.currency)
  if (!trackId || !rawStatus || amount === null || !currency) {
    throw unexpected('payment lookup lacks track_id/status/amount/currency')
  }
  const status = normalizeStatus(rawStatus)
  // A lookup feeds state transitions; guessing an unknown status would be worse than failing loudly.
  if (!status) throw unexpected(`unknown payment status '${rawStatus}'`, { trackId, status: rawStatus })
  const txs = Array.isArray(data.txs) ? data.txs.filter(isRecord).map(mapLookupTx) : []
  return {
    trackId,
    status,
    type: str(data.type) ?? 'invoice',
    amount,
    currency: currency.toUpperCase(),
    receivedAmount: receivedInInvoiceCurrency(currency, txs),
    underPaidCoverage: decimalFromJson(data.under_paid_coverage),
    orderId: str(data.order_id),
    expiredAt: int(data.expired_at) ?? 0,
    date: int(data.date) ?? 0,
    txs,
  }
}

/**
 * Maps `data` of Prices (`{BTC: 65000, …}`). Symbols are upper-cased; entries that are not positive
 * decimals are dropped, so a missing coin reads as "not computable" rather than as a zero price.
 */
export function mapPrices(data: Json): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [symbol, value] of Object.entries(data)) {
    const text = decimalFromJson(value)
    const d = text === null ? null : parseDec(text)
    if (text !== null && d && d.units > 0n) out[symbol.toUpperCase()] = text
  }
  return out
}

/** Maps `data` of Supported Fiat Currencies (`{EUR: {symbol, name, price, display_precision}}`) to prices. */
export function mapFiatPrices(data: Json): Record<string, string> {
  return mapPrices(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, isRecord(v) ? v.price : null])))
}
