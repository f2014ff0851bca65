import { CRYPTO_USD, FIAT_NAMES, FIAT_USD } from './prices.ts'
import type { FakeInvoice, FakeTx } from './state.ts'

/**
 * JSON the fake sends, shaped after OxaPay's v1 docs: the response envelope (§1.2/§4), the
 * Payment Information `data` (§2.2) and the callback body (§3.3). Amounts are kept as decimal
 * strings in the fake's state and only become JSON numbers here, because that is OxaPay's format.
 */
export const VERSION = '1.0.0'
export const SUCCESS_MESSAGE = 'Operation completed successfully!'

/** `{data, message, error:{}, status:200, version}`. */
export function successEnvelope(data: Record<string, unknown>): Record<string, unknown> {
  return { data, message: SUCCESS_MESSAGE, error: {}, status: 200, version: VERSION }
}

/** Error envelope: `data:{}` and `error:{type,key,message}`; `type` strings are the fake's own. */
export function errorEnvelope(
  status: number,
  type: string,
  key: string,
  message: string,
  topMessage?: string,
): Record<string, unknown> {
  return { data: {}, message: topMessage ?? message, error: { type, key, message }, status, version: VERSION }
}

/** JSON number for a decimal string: a format conversion only, no arithmetic happens on it. */
const num = (s: string): number => Number(s)

/**
 * `data` of a white-label success envelope (oxapay-white-label §2): the priced amount, the coin
 * amount to send, the deposit address and its memo, the rate, and an echo of the request.
 * `qr_code` is the fake's own image link (OxaPay's legacy docs call it an image link).
 */
export function whiteLabelData(inv: FakeInvoice, baseUrl: string): Record<string, unknown> {
  const wl = inv.whiteLabel!
  return {
    track_id: inv.trackId,
    amount: num(inv.amount),
    currency: inv.currency,
    pay_amount: num(wl.payAmount),
    pay_currency: wl.payCurrency,
    network: wl.network,
    address: wl.address,
    memo: wl.memo,
    rate: num(wl.rate),
    qr_code: `${baseUrl}/qr/${inv.trackId}`,
    callback_url: inv.callbackUrl ?? '',
    description: inv.description ?? '',
    email: inv.email ?? '',
    fee_paid_by_payer: inv.feePaidByPayer,
    lifetime: inv.lifetime,
    order_id: inv.orderId ?? '',
    under_paid_coverage: num(inv.underPaidCoverage),
    expired_at: inv.expiredAt,
    date: inv.date,
  }
}

/** `data` of `GET /v1/payment/:track_id` (`type` says invoice or white_label). */
export function paymentData(inv: FakeInvoice): Record<string, unknown> {
  return {
    track_id: inv.trackId,
    type: inv.type,
    amount: num(inv.amount),
    currency: inv.currency,
    status: inv.status,
    mixed_payment: inv.mixedPayment,
    fee_paid_by_payer: inv.feePaidByPayer,
    under_paid_coverage: num(inv.underPaidCoverage),
    lifetime: inv.lifetime,
    callback_url: inv.callbackUrl ?? '',
    return_url: inv.returnUrl ?? '',
    email: inv.email ?? '',
    order_id: inv.orderId ?? '',
    description: inv.description ?? '',
    thanks_message: inv.thanksMessage ?? '',
    expired_at: inv.expiredAt,
    date: inv.date,
    txs: inv.txs.map(tx => lookupTx(inv, tx)),
  }
}

function lookupTx(inv: FakeInvoice, tx: FakeTx): Record<string, unknown> {
  return {
    tx_hash: tx.txHash,
    amount: num(tx.sentAmount),
    currency: tx.coin,
    network: tx.network,
    address: tx.address,
    status: tx.status,
    confirmations: tx.confirmations,
    auto_convert:
      tx.autoConvertAmount === null
        ? { processed: false }
        : { processed: true, amount: num(tx.autoConvertAmount), currency: 'USDT' },
    auto_withdrawal: { processed: inv.autoWithdrawal },
    date: tx.date,
  }
}

/**
 * The callback body for `label` ("Paying", "Paid"…). `txs` are snapshots taken when the callback
 * was raised, so the `Paying` one keeps its tx `confirming` even after it confirmed.
 */
export function callbackBody(
  inv: FakeInvoice,
  label: string,
  txs: readonly FakeTx[],
  totals: { value: string; sentValue: string },
): string {
  return JSON.stringify({
    track_id: inv.trackId,
    status: label,
    type: inv.type,
    module_name: 'OxaPay',
    amount: num(inv.amount),
    value: num(totals.value),
    sent_value: num(totals.sentValue),
    currency: inv.currency,
    order_id: inv.orderId ?? '',
    email: inv.email ?? '',
    note: '',
    fee_paid_by_payer: inv.feePaidByPayer,
    under_paid_coverage: num(inv.underPaidCoverage),
    description: inv.description ?? '',
    date: inv.date,
    txs: txs.map(tx => ({
      status: tx.status,
      tx_hash: tx.txHash,
      sent_amount: num(tx.sentAmount),
      received_amount: num(tx.receivedAmount),
      value: num(tx.value),
      sent_value: num(tx.value),
      currency: tx.coin,
      network: tx.network,
      sender_address: tx.senderAddress,
      address: tx.address,
      rate: num(tx.rate),
      confirmations: tx.confirmations,
      auto_convert_amount: tx.autoConvertAmount === null ? 0 : num(tx.autoConvertAmount),
      auto_convert_currency: tx.autoConvertAmount === null ? null : 'USDT',
      date: tx.date,
    })),
  })
}

/** `data` of `GET /v1/common/prices`: the fake's fixed USD price per coin, as JSON numbers. */
export function pricesData(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(CRYPTO_USD).map(([coin, price]) => [coin, num(price)]))
}

/** `data` of `GET /v1/common/fiats`: `{EUR: {symbol, name, price, display_precision}, …}`. */
export function fiatsData(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(FIAT_USD).map(([code, price]) => [
      code,
      {
        symbol: code,
        name: FIAT_NAMES[code] ?? code,
        price: num(price),
        display_precision: 0.001,
      },
    ]),
  )
}
