import { AppError } from '../../lib/errors.ts'
import { decimalFromJson } from '../../lib/money.ts'
import { int, isRecord, mapCallbackTx, normalizeStatus, receivedInInvoiceCurrency, str } from './map.ts'
import type { OxaCallback } from './types.ts'

/**
 * Parses a v1 payment callback body (§3.3). Call only after `verifySignature` accepted the same
 * raw bytes. Throws `validation_error` for non-JSON bodies and for bodies without `track_id` or
 * `status`: legacy (pre-v1) callbacks use camelCase `trackId` and are rejected here on purpose.
 * An unknown status does not throw; it comes back as `status: null` so the handler can answer `ok`.
 */
export function parseCallback(rawBody: Buffer | string): OxaCallback {
  let body: unknown
  try {
    body = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'))
  } catch {
    throw invalid('callback body is not JSON')
  }
  if (!isRecord(body)) throw invalid('callback body is not a JSON object')
  const trackId = str(body.track_id)
  if (!trackId) throw invalid('callback body has no track_id (not a v1 callback)', 'track_id')
  const rawStatus = str(body.status)
  if (!rawStatus) throw invalid('callback body has no status', 'status')
  const currency = str(body.currency)
  const txs = Array.isArray(body.txs) ? body.txs.filter(isRecord).map(mapCallbackTx) : []
  const fee = body.fee_paid_by_payer
  return {
    trackId,
    status: normalizeStatus(rawStatus),
    rawStatus,
    type: str(body.type) ?? 'invoice',
    amount: decimalFromJson(body.amount),
    currency: currency ? currency.toUpperCase() : null,
    value: decimalFromJson(body.value),
    sentValue: decimalFromJson(body.sent_value),
    orderId: str(body.order_id),
    email: str(body.email),
    description: str(body.description),
    feePaidByPayer: typeof fee === 'number' ? fee : int(fee),
    underPaidCoverage: decimalFromJson(body.under_paid_coverage),
    date: int(body.date),
    txs,
    receivedAmount: currency ? receivedInInvoiceCurrency(currency, txs) : null,
  }
}

function invalid(message: string, field?: string): AppError {
  return new AppError('validation_error', message, { details: { provider: 'oxapay', ...(field ? { field } : {}) } })
}
