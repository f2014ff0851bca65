import type { Db } from '../../db/connect.ts'
import type { Payment } from '../../db/schema.ts'
import { wallClock, type Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { formatAmount } from '../../lib/money.ts'
import { paymentSummary } from './render.ts'

/** How long one request may hold the right to create a payment's invoice at OxaPay. */
const CLAIM_MS = 30_000

/** The callback URL given to OxaPay: PUBLIC_URL, else this server's own listen address. */
export const callbackUrl = (deps: Pick<Deps, 'publicUrl'>): string =>
  `${deps.publicUrl().replace(/\/+$/, '')}/API/on_payment_status`

/** The payer's page of a white-label invoice (`payment_url`): served by oxbill, keyed by the payment's random UUID. */
export const checkoutUrl = (deps: Pick<Deps, 'publicUrl'>, paymentId: string): string =>
  `${deps.publicUrl().replace(/\/+$/, '')}/checkout/${encodeURIComponent(paymentId)}`

/** A coin and network the client named (the .com invoice, a top-up); without one the operator's default applies. */
export interface CoinChoice {
  /** Upper-case symbol (USDT, ETH…). */
  payCurrency: string
  /** Sent to OxaPay as given ("Ethereum", "TRC20"…); undefined: OxaPay's default network of the coin. */
  network?: string
}

export interface EnsureOptions {
  /** The client's coin; it also makes OxaPay's refusal of it a 400 `validation_error` (else 503). */
  choice?: CoinChoice
  /** The row was written by this request for this invoice: a refused coin deletes it, so nothing is left. */
  discardOnRefusal?: boolean
}

type InvoiceDeps = Pick<Deps, 'db' | 'oxapay' | 'config' | 'publicUrl' | 'logger' | 'clock'>

/**
 * Write intent, commit, call, record: the payment row exists (committed with its order); this
 * creates its OxaPay white-label payment if it has none yet — the coin and network of `choice`,
 * else those the row was asked for, else the operator's default (OXAPAY_DEFAULT_PAY_CURRENCY,
 * OXAPAY_DEFAULT_NETWORK) — and records track_id, the deposit address, the coin amount, memo and
 * expiry in a second short transaction. Never inside a transaction. Creating a payment is not
 * idempotent at OxaPay, so one caller at a time holds a claim on the row; a concurrent caller gets 409.
 * OxaPay refusing the client's coin or network is a 400 that leaves the row as it was (or gone,
 * with `discardOnRefusal`); any other failure answers 503 `provider_unavailable` and leaves the row
 * ready for another attempt.
 */
export async function ensureInvoice(deps: InvoiceDeps, paymentId: string, opts: EnsureOptions = {}): Promise<Payment> {
  // The claim does not touch updated_at: a refused attempt leaves the row as it was. It is a lease
  // between requests, so it runs on wall time, not on the business clock.
  const wall = wallClock.now()
  const claimed = await deps.db
    .updateTable('payments')
    .set({ invoice_claimed_until: new Date(wall.getTime() + CLAIM_MS) })
    .where('id', '=', paymentId)
    .where('track_id', 'is', null)
    .where(eb => eb.or([eb('invoice_claimed_until', 'is', null), eb('invoice_claimed_until', '<', wall)]))
    .returningAll()
    .executeTakeFirst()
  if (!claimed) {
    const row = await deps.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow()
    if (row.track_id !== null) return row
    throw new AppError(
      'conflict',
      'the invoice of this payment is being created by another request; retry in a few seconds',
      { retryable: true },
    )
  }
  const { payCurrency, network } = coinOf(deps, claimed, opts.choice)
  try {
    const cover = deps.config.oxapay.underPaidCoverage
    const wl = await deps.oxapay.createWhiteLabel({
      amount: formatAmount(claimed.amount_cents),
      currency: claimed.currency,
      payCurrency,
      ...(network !== undefined ? { network } : {}),
      lifetimeMinutes: claimed.lifetime_minutes,
      callbackUrl: callbackUrl(deps),
      orderId: claimed.id,
      description: claimed.description || undefined,
      ...(cover !== undefined ? { underPaidCoveragePercent: cover } : {}),
    })
    return await deps.db
      .updateTable('payments')
      .set({
        track_id: wl.trackId,
        oxapay_type: 'white_label',
        payment_url: checkoutUrl(deps, claimed.id),
        expired_at: new Date(wl.expiredAt * 1000),
        invoice_date: new Date(wl.date * 1000),
        pay_amount: wl.payAmount,
        pay_currency: wl.payCurrency,
        network: wl.network || null,
        address: wl.address,
        memo: wl.memo,
        requested_network: network ?? null,
        invoice_claimed_until: null,
        last_error: null,
        updated_at: deps.clock.now(),
      })
      .where('id', '=', claimed.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  } catch (err) {
    const refused = opts.choice !== undefined ? refusalOf(err, payCurrency, network) : null
    if (refused !== null) {
      if (opts.discardOnRefusal === true) {
        await deps.db
          .deleteFrom('payments')
          .where('id', '=', claimed.id)
          .where('track_id', 'is', null)
          .where('credited_cents', '=', 0n)
          .execute()
      } else {
        await deps.db
          .updateTable('payments')
          .set({ invoice_claimed_until: null })
          .where('id', '=', claimed.id)
          .execute()
      }
      throw refused
    }
    const reason = err instanceof Error ? err.message : String(err)
    deps.logger.warn({ paymentId, payCurrency, network, error: reason }, 'OxaPay invoice creation failed')
    await deps.db
      .updateTable('payments')
      .set({ invoice_claimed_until: null, last_error: reason.slice(0, 500), updated_at: deps.clock.now() })
      .where('id', '=', claimed.id)
      .execute()
    const what =
      claimed.order_id !== null
        ? `order ${claimed.order_id} waits for its invoice`
        : `payment ${claimed.id} has no invoice`
    throw new AppError(
      'provider_unavailable',
      `the payment provider is unavailable; ${what}: retry with the same Idempotency-Key, or POST /API/invoice with order_id`,
      { retryable: true, cause: err },
    )
  }
}

/** The coin and network to create the payment with: the client's, the row's own request, or the operator's default. */
function coinOf(deps: Pick<Deps, 'config'>, row: Payment, choice: CoinChoice | undefined): CoinChoice {
  if (choice !== undefined) return choice
  if (row.pay_currency !== null) {
    return {
      payCurrency: row.pay_currency,
      ...(row.requested_network !== null ? { network: row.requested_network } : {}),
    }
  }
  const d = deps.config.oxapay
  return { payCurrency: d.defaultPayCurrency, ...(d.defaultNetwork !== undefined ? { network: d.defaultNetwork } : {}) }
}

/** OxaPay's 400 about the coin, its network, or an amount that coin cannot take, as the client's 400; null for anything else. */
function refusalOf(err: unknown, payCurrency: string, network: string | undefined): AppError | null {
  if (!(err instanceof AppError) || err.details.reason !== 'validation') return null
  const key = err.details.key
  if (key !== 'pay_currency' && key !== 'network' && key !== 'amount') return null
  const said = typeof err.details.providerMessage === 'string' ? `: ${err.details.providerMessage}` : ''
  const what =
    key === 'network'
      ? `network '${network ?? '(default)'}' for ${payCurrency}`
      : key === 'amount'
        ? `this amount in ${payCurrency}`
        : `pay_currency '${payCurrency}'`
  return new AppError('validation_error', `OxaPay does not accept ${what}${said}; choose another coin or network`, {
    details: { field: key === 'network' ? 'network' : 'pay_currency', provider: 'oxapay' },
  })
}

/** The payment an order is paid by: its latest one. */
export async function latestOrderPayment(db: Db, orderId: string): Promise<Payment | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** Creates the invoice of a `pending_payment` order if it has none; a no-op for any other order. */
export async function ensureOrderInvoice(deps: InvoiceDeps, orderId: string): Promise<void> {
  const p = await latestOrderPayment(deps.db, orderId)
  if (!p || p.track_id !== null) return
  const order = await deps.db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirst()
  if (order?.status === 'pending_payment') await ensureInvoice(deps, p.id)
}

/**
 * Adds `payment` to the response of a crypto order: `{track_id, payment_url, amount, currency,
 * expired_at}` and what the payer needs — `pay_amount`, `pay_currency`, `network`, `address`,
 * `memo`, `qr_code` (null while the invoice does not exist).
 */
export async function attachPayment(db: Db, orderId: string, body: unknown): Promise<unknown> {
  const p = await latestOrderPayment(db, orderId)
  if (!p || body === null || typeof body !== 'object') return body
  return { ...body, payment: await paymentSummary(p) }
}
