/**
 * What oxbill needs from OxaPay v1 (merchant API). `client.ts` implements it over HTTP;
 * `fake-server.ts` speaks the same API on loopback, with test controls to pay invoices.
 */
export type OxaPayStatus =
  'new' | 'waiting' | 'paying' | 'paid' | 'manual_accept' | 'underpaid' | 'refunding' | 'refunded' | 'expired'

export const OXAPAY_STATUSES: readonly OxaPayStatus[] = [
  'new',
  'waiting',
  'paying',
  'paid',
  'manual_accept',
  'underpaid',
  'refunding',
  'refunded',
  'expired',
]

/** What an invoice and a white-label payment are both created with. */
interface PaymentRequestBase {
  /** Decimal string in `currency` ("12.99"): never a float computed by oxbill. */
  amount: string
  currency: string
  /** 15..2880; checked before any call. */
  lifetimeMinutes: number
  callbackUrl: string
  orderId: string
  description?: string
  email?: string
  /** 0..60 percent. */
  underPaidCoveragePercent?: number
  feePaidByPayer?: 0 | 1
  autoWithdrawal?: boolean
  /** OxaPay only supports "USDT" as a conversion target. */
  toCurrency?: string
}

export interface CreateInvoiceInput extends PaymentRequestBase {
  returnUrl?: string
  thanksMessage?: string
  mixedPayment?: boolean
  /** Overrides the client-level `sandbox` flag for this invoice. */
  sandbox?: boolean
}

/**
 * `POST /v1/payment/white-label`: a payment without OxaPay's hosted page. The coin and network are
 * fixed at creation; OxaPay answers the deposit address and the exact coin amount to show the payer.
 */
export interface CreateWhiteLabelInput extends PaymentRequestBase {
  /** Coin the payer sends (USDT, BTC…): must be enabled for the merchant. */
  payCurrency: string
  /** Chain of the deposit address (TRC20, "Ethereum"…), sent as given; omitted: the coin's default network. */
  network?: string
}

/** `data` of a white-label success envelope. */
export interface OxaWhiteLabel {
  trackId: string
  /** Echo of the priced amount and currency. */
  amount: string
  currency: string
  /** Exact coin amount the payer must send, decimal string. */
  payAmount: string
  payCurrency: string
  /** Network of the address as OxaPay names it ("Tron Network"). */
  network: string
  address: string
  /** Destination tag/memo for chains that need one; null when none. */
  memo: string | null
  /** OxaPay's exchange rate for the conversion; null when not reported. */
  rate: string | null
  /** OxaPay's own QR link; oxbill renders its QR code itself and does not use it. */
  qrCode: string | null
  /** Unix seconds. */
  expiredAt: number
  date: number
}

export interface OxaInvoice {
  trackId: string
  paymentUrl: string
  /** Unix seconds. */
  expiredAt: number
  date: number
}

/**
 * One blockchain transaction. Lookups (`GET /v1/payment/:id`) and callbacks report different
 * field sets; fields only one of them carries are null when mapped from the other.
 */
export interface OxaTx {
  /** Lowercased: 'confirming' | 'confirmed'. */
  status: string
  txHash: string | null
  /** Coin amount the payer sent (lookup `amount`, callback `sent_amount`), decimal string. */
  sentAmount: string
  /** Coin amount left after OxaPay's fee; callbacks only. */
  receivedAmount: string | null
  /** USD value of `sentAmount` at `rate`; callbacks only. */
  value: string | null
  /** USD per coin unit; callbacks only. */
  rate: string | null
  /** Coin actually paid (USDT, ETH…), not the invoice currency. */
  currency: string
  network: string
  address: string | null
  confirmations: number
  date: number
  /** Present when OxaPay converted the coin (only to USDT). */
  autoConvert: { amount: string; currency: string } | null
}

export interface OxaPayment {
  trackId: string
  status: OxaPayStatus
  /** 'invoice', 'white_label', 'static_address'… */
  type: string
  /** Invoice amount and currency as decimal strings, exactly as OxaPay reported them. */
  amount: string
  currency: string
  /**
   * What has arrived so far expressed in the invoice currency (decimal string), or null when
   * OxaPay's report does not allow an exact figure. Derivation: `receivedInInvoiceCurrency` (map.ts).
   */
  receivedAmount: string | null
  /** Accepted shortfall in percent ("0", "2.5"), null if not reported. */
  underPaidCoverage: string | null
  orderId: string | null
  expiredAt: number
  date: number
  txs: OxaTx[]
}

/** A v1 payment callback body, parsed after its signature was verified. */
export interface OxaCallback {
  trackId: string
  /** Null for a status oxbill does not know: acknowledge it (`ok`) and ignore it. */
  status: OxaPayStatus | null
  /** As sent ("Paid", "Paying"…), for logs and stored events. */
  rawStatus: string
  type: string
  /** Invoice amount and denomination (not the coin). */
  amount: string | null
  currency: string | null
  /** USD value of everything received so far, as OxaPay computed it. */
  value: string | null
  sentValue: string | null
  orderId: string | null
  email: string | null
  description: string | null
  feePaidByPayer: number | null
  underPaidCoverage: string | null
  /** Unix seconds. */
  date: number | null
  txs: OxaTx[]
  /** Same derivation as `OxaPayment.receivedAmount`. */
  receivedAmount: string | null
}

/** USD price of each symbol, as decimal strings ("65000", "1.08"). */
export type OxaPriceList = Record<string, string>

export interface OxaPayApi {
  /** The API root this client talks to (`…/v1`). */
  readonly baseUrl: string
  createInvoice(input: CreateInvoiceInput): Promise<OxaInvoice>
  /** `POST /v1/payment/white-label`; a refused coin or network is a `provider_error` with `details.key`. */
  createWhiteLabel(input: CreateWhiteLabelInput): Promise<OxaWhiteLabel>
  getPayment(trackId: string): Promise<OxaPayment>
  /** `GET /v1/common/prices`: USD price of every cryptocurrency OxaPay supports. */
  getPrices(): Promise<OxaPriceList>
  /** `GET /v1/common/fiats`: USD price of every fiat currency OxaPay supports (EUR among them). */
  getFiatPrices(): Promise<OxaPriceList>
  /** True only if `signature` (header `HMAC`) is this merchant's HMAC-SHA512 of `rawBody`. */
  verifyCallback(rawBody: Buffer, signature: string | undefined): boolean
}

/**
 * A payer's wallet that oxbill can drive: only zero-setup mode has one (the fake OxaPay's
 * `/__fake/pay` control sends coins to a deposit address, as a real wallet would).
 */
export interface DemoWallet {
  /** Sends `amount` (coin units; default: what is still due) to `address`; answers the invoice status and what was sent. */
  pay(address: string, amount?: string): Promise<{ status: string; sent: string }>
}
