import { cmpDec, decimalFromJson, parseDec } from '../../lib/money.ts'
import { acceptsCoin, findNetwork, type FakeNetwork } from './networks.ts'
import { usdPrice } from './prices.ts'
import { isRecord } from '../../integrations/oxapay/map.ts'

/**
 * Validation of `POST /v1/payment/invoice` in the fake, after OxaPay's documented rules.
 * Messages imitate the Laravel-style text seen in OxaPay's SDK fixtures; `key` is the field name.
 */
export interface FakeInvoiceRequest {
  amount: string
  currency: string
  lifetime: number
  feePaidByPayer: 0 | 1
  underPaidCoverage: string
  toCurrency: string | null
  autoWithdrawal: boolean
  mixedPayment: boolean
  callbackUrl: string | null
  returnUrl: string | null
  email: string | null
  orderId: string | null
  thanksMessage: string | null
  description: string | null
  sandbox: boolean
}

export type Validated<T = FakeInvoiceRequest> = { ok: true; value: T } | { ok: false; key: string; message: string }

/** A white-label request: the invoice's fields it shares, plus the coin and its network. */
export interface FakeWhiteLabelRequest {
  base: FakeInvoiceRequest
  payCurrency: string
  network: FakeNetwork
}

class Invalid extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message)
  }
}

/** Checks a parsed request body; returns the normalised request or the first offending field. */
export function validateInvoiceRequest(body: unknown): Validated {
  try {
    if (!isRecord(body)) throw new Invalid('body', 'The request body must be a JSON object.')
    return { ok: true, value: read(body) }
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, key: err.key, message: err.message }
    throw err
  }
}

/**
 * Checks a `POST /v1/payment/white-label` body: `pay_currency` must be a coin the merchant accepts
 * and `network` (optional) one of its networks, in any spelling `findNetwork` knows. The fields
 * OxaPay lists only for hosted invoices (return_url, thanks_message, mixed_payment, sandbox) are
 * not read: what OxaPay does with them here is not documented.
 */
export function validateWhiteLabelRequest(body: unknown): Validated<FakeWhiteLabelRequest> {
  try {
    if (!isRecord(body)) throw new Invalid('body', 'The request body must be a JSON object.')
    const shared: Record<string, unknown> = { ...body }
    for (const k of ['return_url', 'thanks_message', 'mixed_payment', 'sandbox', 'pay_currency', 'network']) {
      delete shared[k]
    }
    const { pay_currency: pc, network: nw } = body
    const payCurrency = typeof pc === 'string' ? pc.trim().toUpperCase() : ''
    if (!present(pc)) throw new Invalid('pay_currency', 'The pay currency field is required.')
    if (typeof pc !== 'string' || !acceptsCoin(payCurrency)) {
      throw new Invalid('pay_currency', 'The selected pay currency is invalid.')
    }
    if (present(nw) && typeof nw !== 'string') throw new Invalid('network', 'The network field must be a string.')
    const network = findNetwork(payCurrency, present(nw) ? (nw as string) : null)
    if (!network) throw new Invalid('network', `The selected network is invalid for ${payCurrency}.`)
    return { ok: true, value: { base: read(shared), payCurrency, network } }
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, key: err.key, message: err.message }
    throw err
  }
}

function read(b: Record<string, unknown>): FakeInvoiceRequest {
  if (b.amount === undefined || b.amount === null || b.amount === '') {
    throw new Invalid('amount', 'The amount field is required.')
  }
  const amountText = typeof b.amount === 'number' || typeof b.amount === 'string' ? decimalFromJson(b.amount) : null
  const amount = amountText === null ? null : parseDec(amountText)
  if (!amount || amountText === null) throw new Invalid('amount', 'The amount field must be a number.')
  if (amount.units <= 0n) throw new Invalid('amount', 'The amount field must be greater than 0.')
  if (amount.scale > 8) throw new Invalid('amount', 'The amount field must have 0-8 decimal places.')

  const currency = optString(b, 'currency')?.toUpperCase() ?? 'USD'
  if (usdPrice(currency) === undefined) throw new Invalid('currency', 'The selected currency is invalid.')

  let lifetime = 60
  if (present(b.lifetime)) {
    const n = typeof b.lifetime === 'string' && /^-?\d+$/.test(b.lifetime) ? Number(b.lifetime) : b.lifetime
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw new Invalid('lifetime', 'The lifetime field must be an integer.')
    }
    if (n < 15 || n > 2880) throw new Invalid('lifetime', 'The lifetime field must be between 15 and 2880.')
    lifetime = n
  }

  let feePaidByPayer: 0 | 1 = 0
  if (present(b.fee_paid_by_payer)) {
    const f = flag(b.fee_paid_by_payer)
    if (f === null) throw new Invalid('fee_paid_by_payer', 'The selected fee paid by payer is invalid.')
    feePaidByPayer = f ? 1 : 0
  }

  let underPaidCoverage = '0'
  if (present(b.under_paid_coverage)) {
    const v = b.under_paid_coverage
    const text = typeof v === 'number' || typeof v === 'string' ? decimalFromJson(v) : null
    const d = text === null ? null : parseDec(text)
    if (!d || text === null) throw new Invalid('under_paid_coverage', 'The under paid coverage field must be a number.')
    if (cmpDec(d, { units: 0n, scale: 0 }) < 0 || cmpDec(d, { units: 60n, scale: 0 }) > 0) {
      throw new Invalid('under_paid_coverage', 'The under paid coverage field must be between 0 and 60.')
    }
    underPaidCoverage = text
  }

  const toCurrency = optString(b, 'to_currency')?.toUpperCase() ?? null
  if (toCurrency !== null && toCurrency !== 'USDT') {
    throw new Invalid('to_currency', 'The selected to currency is invalid.')
  }

  const callbackUrl = optUrl(b, 'callback_url')
  const returnUrl = optUrl(b, 'return_url')
  const email = optString(b, 'email')
  if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) {
    throw new Invalid('email', 'The email field must be a valid email address.')
  }
  const orderId = typeof b.order_id === 'number' ? String(b.order_id) : optString(b, 'order_id')

  return {
    amount: amountText,
    currency,
    lifetime,
    feePaidByPayer,
    underPaidCoverage,
    toCurrency,
    autoWithdrawal: optBool(b, 'auto_withdrawal'),
    mixedPayment: optBool(b, 'mixed_payment'),
    callbackUrl,
    returnUrl,
    email,
    orderId,
    thanksMessage: optString(b, 'thanks_message'),
    description: optString(b, 'description'),
    sandbox: optBool(b, 'sandbox'),
  }
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== ''

/** OxaPay's clients send booleans as true/false, 0/1 or "0"/"1"; all are accepted, nothing else. */
function flag(v: unknown): boolean | null {
  if (v === true || v === 1 || v === '1') return true
  if (v === false || v === 0 || v === '0') return false
  return null
}

function optBool(b: Record<string, unknown>, key: string): boolean {
  if (!present(b[key])) return false
  const f = flag(b[key])
  if (f === null) throw new Invalid(key, `The ${key.replaceAll('_', ' ')} field must be true or false.`)
  return f
}

function optString(b: Record<string, unknown>, key: string): string | null {
  const v = b[key]
  if (!present(v)) return null
  if (typeof v !== 'string') throw new Invalid(key, `The ${key.replaceAll('_', ' ')} field must be a string.`)
  return v
}

function optUrl(b: Record<string, unknown>, key: string): string | null {
  const v = optString(b, key)
  if (v === null) return null
  try {
    const u = new URL(v)
    if (u.protocol === 'http:' || u.protocol === 'https:') return v
  } catch {
    /* falls through to the 400 */
  }
  throw new Invalid(key, `The ${key.replaceAll('_', ' ')} field must be a valid URL.`)
}
