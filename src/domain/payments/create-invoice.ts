import type { Db } from '../../db/connect.ts'
import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { AppError } from '../errors.ts'
import { formatAmount } from '../money.ts'
import { paymentSummary } from './render.ts'

/** How long one request may hold the right to create a payment's invoice at OxaPay. */
const CLAIM_MS = 30_000

/** The callback URL given to OxaPay: PUBLIC_URL, else this server's own listen address. */
export const callbackUrl = (deps: Pick<Deps, 'publicUrl'>): string => `${deps.publicUrl().replace(/\/+$/, '')}/API/on_payment_status`

/**
 * Write intent, commit, call, record: the payment row exists (committed with its order); this
 * creates its OxaPay invoice if it has none yet and records track_id, payment_url and expiry in a
 * second short transaction. Never inside a transaction. Creating an invoice is not idempotent at
 * OxaPay, so one caller at a time holds a claim on the row; a concurrent caller gets 409.
 * Any failure answers 503 `provider_unavailable` and leaves the row ready for another attempt.
 */
export async function ensureInvoice (deps: Pick<Deps, 'db' | 'oxapay' | 'config' | 'publicUrl' | 'logger'>, paymentId: string): Promise<Payment> {
  const claimed = await deps.db.updateTable('payments').set({ invoice_claimed_until: new Date(Date.now() + CLAIM_MS), updated_at: new Date() })
    .where('id', '=', paymentId).where('track_id', 'is', null)
    .where(eb => eb.or([eb('invoice_claimed_until', 'is', null), eb('invoice_claimed_until', '<', new Date())]))
    .returningAll().executeTakeFirst()
  if (!claimed) {
    const row = await deps.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow()
    if (row.track_id !== null) return row
    throw new AppError('conflict', 'the invoice of this payment is being created by another request; retry in a few seconds', { retryable: true })
  }
  try {
    const cover = deps.config.oxapay.underPaidCoverage
    const inv = await deps.oxapay.createInvoice({
      amount: formatAmount(claimed.amount_cents), currency: claimed.currency, lifetimeMinutes: claimed.lifetime_minutes,
      callbackUrl: callbackUrl(deps), orderId: claimed.id, description: claimed.description || undefined,
      ...(cover !== undefined ? { underPaidCoveragePercent: cover } : {}),
    })
    return await deps.db.updateTable('payments').set({
      track_id: inv.trackId, payment_url: inv.paymentUrl, expired_at: new Date(inv.expiredAt * 1000), invoice_date: new Date(inv.date * 1000),
      invoice_claimed_until: null, last_error: null, updated_at: new Date(),
    }).where('id', '=', claimed.id).returningAll().executeTakeFirstOrThrow()
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    deps.logger.warn({ paymentId, error: reason }, 'OxaPay invoice creation failed')
    await deps.db.updateTable('payments').set({ invoice_claimed_until: null, last_error: reason.slice(0, 500), updated_at: new Date() })
      .where('id', '=', claimed.id).execute()
    const what = claimed.order_id !== null ? `order ${claimed.order_id} waits for its invoice` : `payment ${claimed.id} has no invoice`
    throw new AppError('provider_unavailable', `the payment provider is unavailable; ${what}: retry with the same Idempotency-Key, or POST /API/invoice with order_id`, { retryable: true, cause: err })
  }
}

/** The payment an order is paid by: its latest one. */
export async function latestOrderPayment (db: Db, orderId: string): Promise<Payment | undefined> {
  return db.selectFrom('payments').selectAll().where('order_id', '=', orderId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
}

/** Creates the invoice of a `pending_payment` order if it has none; a no-op for any other order. */
export async function ensureOrderInvoice (deps: Pick<Deps, 'db' | 'oxapay' | 'config' | 'publicUrl' | 'logger'>, orderId: string): Promise<void> {
  const p = await latestOrderPayment(deps.db, orderId)
  if (!p || p.track_id !== null) return
  const order = await deps.db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirst()
  if (order?.status === 'pending_payment') await ensureInvoice(deps, p.id)
}

/** Adds `payment: {track_id, payment_url, amount, currency, expired_at}` to the response of a crypto order. */
export async function attachPayment (db: Db, orderId: string, body: unknown): Promise<unknown> {
  const p = await latestOrderPayment(db, orderId)
  if (!p || body === null || typeof body !== 'object') return body
  return { ...body, payment: paymentSummary(p) }
}
