import type { Payment } from '../../db/schema.ts'
import { amountAsNumber, formatAmount } from '../money.ts'
import { formatTimestamp } from '../orders/render.ts'

/**
 * The documented shapes of payments (0xhost-api §3.18–3.22). Epoch seconds where the docs use
 * them; fields OxaPay's hosted invoice does not give (the coin, its amount, the deposit address,
 * a QR code) stay null until a payment reports them — never the docs' placeholder "URL".
 */
/** Unix seconds, as the docs' invoice and transaction payloads carry time. */
export const epoch = (d: Date | null): number | null => (d === null ? null : Math.floor(d.getTime() / 1000))

/** The coin amount as the docs' invoice shows it (a JSON number); a format conversion only. */
const payAmountNumber = (p: Payment): number | null => (p.pay_amount === null ? null : Number(p.pay_amount))

/** `payment` of a crypto order's response. */
export function paymentSummary (p: Payment) {
  return { track_id: p.track_id, payment_url: p.payment_url, amount: formatAmount(p.amount_cents), currency: p.currency, expired_at: epoch(p.expired_at) }
}

/** The response of `POST /API/invoice` (§3.18/§3.19) plus `payment_url`. */
export function invoiceResponse (p: Payment) {
  return {
    success: true,
    transaction: { id: p.id, success: true },
    message: 'Operation completed successfully!',
    data: {
      track_id: p.track_id,
      amount: amountAsNumber(p.amount_cents),
      currency: p.currency,
      pay_amount: payAmountNumber(p),
      pay_currency: p.pay_currency,
      network: p.network,
      address: p.address,
      qr_code: null,
      lifetime: p.lifetime_minutes,
      expired_at: epoch(p.expired_at),
      order_id: p.order_id ?? '',
      date: epoch(p.invoice_date ?? p.created_at),
    },
    payment_url: p.payment_url,
  }
}

/** One row of `GET /API/list_transactions` (§3.22) plus `payment_url` and `credited_amount`. */
export function transactionRow (p: Payment) {
  return {
    id: p.id,
    user_id: p.user_id,
    order_id: p.order_id ?? '',
    track_id: p.track_id,
    status: p.status,
    type: p.type,
    amount: formatAmount(p.amount_cents),
    currency: p.currency,
    pay_amount: p.pay_amount,
    pay_currency: p.pay_currency,
    date: epoch(p.invoice_date ?? p.created_at)!,
    tx_hash: p.tx_hash,
    network: p.network,
    address: p.address,
    description: p.description,
    ip_address: p.ip_address,
    created_at: formatTimestamp(p.created_at)!,
    updated_at: formatTimestamp(p.updated_at)!,
    expired_at: epoch(p.expired_at),
    payment_url: p.payment_url,
    credited_amount: formatAmount(p.credited_cents),
  }
}

/** `GET /API/get_transation_by_track_id` (§3.21): the row plus qr_code and both order-type keys. */
export function transactionDetail (p: Payment, orderType: string | null) {
  return { ...transactionRow(p), qr_code: null, type_order: orderType, order_type: orderType }
}
