import { validation } from '../../lib/errors.ts'
import type { Logger } from '../../lib/logger.ts'
import { HttpClient } from '../http-client.ts'
import { formatDec, parseDec } from '../../lib/money.ts'
import { unwrapEnvelope } from './envelope.ts'
import { mapFiatPrices, mapInvoice, mapPayment, mapPrices, mapWhiteLabel } from './map.ts'
import { verifySignature } from './signature.ts'
import type {
  CreateInvoiceInput,
  CreateWhiteLabelInput,
  OxaInvoice,
  OxaPayApi,
  OxaPayment,
  OxaPriceList,
  OxaWhiteLabel,
} from './types.ts'

export interface OxaPayClientOptions {
  /** API root including `/v1`, e.g. https://api.oxapay.com/v1 or http://127.0.0.1:4030/v1. */
  baseUrl: string
  merchantKey: string
  timeoutMs?: number
  /** Extra attempts for lookups (GET); invoice creation is never repeated. */
  retries?: number
  backoffMs?: number
  /** Default `sandbox` flag for new invoices (OxaPay's test mode is a body flag, same host). */
  sandbox?: boolean
  logger: Logger
}

const TRACK_ID = /^[A-Za-z0-9_-]{1,64}$/

/** OxaPay v1 merchant adapter over the shared HTTP client (header `merchant_api_key`). */
export function createOxaPayClient(opts: OxaPayClientOptions): OxaPayApi {
  const http = new HttpClient({
    provider: 'oxapay',
    baseUrl: opts.baseUrl,
    headers: { merchant_api_key: opts.merchantKey, 'content-type': 'application/json', accept: 'application/json' },
    timeoutMs: opts.timeoutMs ?? 15_000,
    retries: opts.retries ?? 2,
    backoffMs: opts.backoffMs ?? 300,
    logger: opts.logger,
  })
  return {
    baseUrl: opts.baseUrl,
    async createInvoice(input: CreateInvoiceInput): Promise<OxaInvoice> {
      const body = buildInvoiceBody(input, opts.sandbox)
      // Not idempotent: a lost response must be reconciled by order_id, never blindly resent.
      const res = await http.send({ method: 'POST', path: 'payment/invoice', body, idempotent: false })
      return mapInvoice(unwrapEnvelope(res, opts.merchantKey))
    },
    async createWhiteLabel(input: CreateWhiteLabelInput): Promise<OxaWhiteLabel> {
      const body = buildWhiteLabelBody(input)
      // Not idempotent either: each call makes a new deposit address.
      const res = await http.send({ method: 'POST', path: 'payment/white-label', body, idempotent: false })
      return mapWhiteLabel(unwrapEnvelope(res, opts.merchantKey))
    },
    async getPayment(trackId: string): Promise<OxaPayment> {
      if (!TRACK_ID.test(trackId)) throw validation('invalid OxaPay track_id', 'track_id')
      const res = await http.send({ method: 'GET', path: `payment/${encodeURIComponent(trackId)}` })
      return mapPayment(unwrapEnvelope(res, opts.merchantKey))
    },
    async getPrices(): Promise<OxaPriceList> {
      const res = await http.send({ method: 'GET', path: 'common/prices' })
      return mapPrices(unwrapEnvelope(res, opts.merchantKey))
    },
    async getFiatPrices(): Promise<OxaPriceList> {
      const res = await http.send({ method: 'GET', path: 'common/fiats' })
      return mapFiatPrices(unwrapEnvelope(res, opts.merchantKey))
    },
    verifyCallback(rawBody: Buffer, signature: string | undefined): boolean {
      return verifySignature(rawBody, signature, opts.merchantKey)
    },
  }
}

/**
 * The Generate Invoice JSON body: snake_case, empty fields omitted, booleans as JSON booleans and
 * `fee_paid_by_payer` as 0/1. `amount` is written as the literal digits of the decimal string, so
 * no float ever formats it. Throws `validation_error` before any network call.
 */
export function buildInvoiceBody(input: CreateInvoiceInput, defaultSandbox?: boolean): string {
  checkCommon(input)
  if (input.returnUrl !== undefined && input.returnUrl !== '' && !isHttpUrl(input.returnUrl)) {
    throw validation('returnUrl must be an http(s) URL', 'returnUrl')
  }
  const sandbox = input.sandbox ?? defaultSandbox
  return withAmount(
    input.amount,
    omitEmpty({
      currency: input.currency.toUpperCase(),
      lifetime: input.lifetimeMinutes,
      fee_paid_by_payer: input.feePaidByPayer,
      under_paid_coverage: input.underPaidCoveragePercent,
      to_currency: input.toCurrency?.toUpperCase(),
      auto_withdrawal: input.autoWithdrawal,
      mixed_payment: input.mixedPayment,
      callback_url: input.callbackUrl,
      return_url: input.returnUrl,
      email: input.email,
      order_id: input.orderId,
      thanks_message: input.thanksMessage,
      description: input.description,
      sandbox,
    }),
  )
}

/**
 * The white-label JSON body: the invoice's fields less those OxaPay lists only for its hosted page
 * (return_url, thanks_message, mixed_payment, sandbox), plus `pay_currency` and `network`. The
 * network is sent as given: OxaPay decides which spellings it accepts and answers 400 otherwise.
 */
export function buildWhiteLabelBody(input: CreateWhiteLabelInput): string {
  checkCommon(input)
  if (!/^[A-Za-z0-9]{2,10}$/.test(input.payCurrency)) {
    throw validation('payCurrency must be a coin symbol', 'payCurrency')
  }
  if (input.network !== undefined && !/^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,49}$/.test(input.network)) {
    throw validation('network must be a network name of 1 to 50 letters, digits, spaces, dots or dashes', 'network')
  }
  return withAmount(
    input.amount,
    omitEmpty({
      currency: input.currency.toUpperCase(),
      pay_currency: input.payCurrency.toUpperCase(),
      network: input.network,
      lifetime: input.lifetimeMinutes,
      fee_paid_by_payer: input.feePaidByPayer,
      under_paid_coverage: input.underPaidCoveragePercent,
      to_currency: input.toCurrency?.toUpperCase(),
      auto_withdrawal: input.autoWithdrawal,
      callback_url: input.callbackUrl,
      email: input.email,
      order_id: input.orderId,
      description: input.description,
    }),
  )
}

/** Checks shared by both creation calls; throws `validation_error` before any network call. */
function checkCommon(input: CreateInvoiceInput | CreateWhiteLabelInput): void {
  const amount = parseDec(input.amount)
  if (!amount || amount.units <= 0n || amount.scale > 8 || /^\d{13,}/.test(input.amount.trim())) {
    throw validation('amount must be a positive decimal string with at most 8 decimal places', 'amount')
  }
  if (!/^[A-Za-z]{2,10}$/.test(input.currency)) throw validation('currency must be a currency symbol', 'currency')
  const lifetime = input.lifetimeMinutes
  if (!Number.isInteger(lifetime) || lifetime < 15 || lifetime > 2880) {
    throw validation('lifetimeMinutes must be an integer between 15 and 2880', 'lifetimeMinutes')
  }
  if (!isHttpUrl(input.callbackUrl)) throw validation('callbackUrl must be an http(s) URL', 'callbackUrl')
  if (input.orderId.trim() === '') throw validation('orderId is required', 'orderId')
  const cover = input.underPaidCoveragePercent
  if (cover !== undefined && (!Number.isFinite(cover) || cover < 0 || cover > 60)) {
    throw validation('underPaidCoveragePercent must be between 0 and 60', 'underPaidCoveragePercent')
  }
  if (input.feePaidByPayer !== undefined && input.feePaidByPayer !== 0 && input.feePaidByPayer !== 1) {
    throw validation('feePaidByPayer must be 0 or 1', 'feePaidByPayer')
  }
}

/** `amount` first, written as the literal digits of the decimal string, so no float ever formats it. */
function withAmount(amountText: string, rest: Record<string, unknown>): string {
  const tail = JSON.stringify(rest)
  return `{"amount":${formatDec(parseDec(amountText)!)}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`
}

function omitEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null && v !== ''))
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}
