import type { Payment } from '../../db/schema.ts'
import { statusLabel } from '../../integrations/oxapay/map.ts'
import { amountAsNumber, formatAmount } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'
import { qrCodeOf } from './qr.ts'

/**
 * The documented shapes of payments (0xhost-api §3.18–3.22). Epoch seconds where the docs use
 * them. A white-label invoice has its coin, coin amount, network, deposit address and QR code
 * from the moment it exists (the QR code rendered here, never by a third party); a payment
 * without an invoice yet, or a hosted invoice from before white-label, has null there (the coin a
 * client asked for is shown from the start). Statuses are stored lowercase and shown as OxaPay and
 * the docs spell them: New, Waiting, Paying, Paid, Manual_accept, Underpaid, Refunding, Refunded, Expired.
 */
/** Unix seconds, as the docs' invoice and transaction payloads carry time. */
export const epoch = (d: Date | null): number | null => (d === null ? null : Math.floor(d.getTime() / 1000))

/** The coin amount as the docs' invoice shows it (a JSON number); a format conversion only. */
const payAmountNumber = (p: Payment): number | null => (p.pay_amount === null ? null : Number(p.pay_amount))

/** A payment's status as shown on every endpoint ("Paid"); stored lowercase ("paid"). */
export const displayStatus = (p: Pick<Payment, 'status'>): string => statusLabel(p.status)

/** `payment` of a crypto order's response: the invoice and what the payer needs to pay it. */
export async function paymentSummary(p: Payment) {
  return {
    track_id: p.track_id,
    payment_url: p.payment_url,
    amount: formatAmount(p.amount_cents),
    currency: p.currency,
    expired_at: epoch(p.expired_at),
    pay_amount: payAmountNumber(p),
    pay_currency: p.pay_currency,
    network: p.network,
    address: p.address,
    memo: p.memo,
    qr_code: await qrCodeOf(p),
  }
}

/** The response of `POST /API/invoice` (§3.18/§3.19) plus `memo` and `payment_url`. */
export async function invoiceResponse(p: Payment) {
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
      qr_code: await qrCodeOf(p),
      lifetime: p.lifetime_minutes,
      expired_at: epoch(p.expired_at),
      order_id: p.order_id ?? '',
      date: epoch(p.invoice_date ?? p.created_at),
      memo: p.memo,
    },
    payment_url: p.payment_url,
  }
}

/** One row of `GET /API/list_transactions` (§3.22) plus `payment_url`, `credited_amount` and `memo`. */
export function transactionRow(p: Payment) {
  return {
    id: p.id,
    user_id: p.user_id,
    order_id: p.order_id ?? '',
    track_id: p.track_id,
    status: displayStatus(p),
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
    memo: p.memo,
  }
}

/** `GET /API/get_transation_by_track_id` (§3.21): the row plus qr_code and both order-type keys. */
export async function transactionDetail(p: Payment, orderType: string | null) {
  return { ...transactionRow(p), qr_code: await qrCodeOf(p), type_order: orderType, order_type: orderType }
}
