import type { Config } from '../../config.ts'
import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { decimalFromJson } from '../../integrations/oxapay/decimal.ts'
import { isRecord, statusLabel, str } from '../../integrations/oxapay/map.ts'
import { AppError } from '../errors.ts'

/**
 * Zero-setup mode's way to pay a white-label invoice without a real wallet: oxbill asks the fake
 * OxaPay (its `/__fake/pay` control) to send coins to the invoice's deposit address, exactly as a
 * payer's wallet would, and the fake then sends its signed callbacks like any payment. Only with
 * the fake: with a real OXAPAY_URL there is nothing to pay with, and the route is not registered.
 */
export const fakeWalletEnabled = (config: Readonly<Pick<Config, 'oxapay'>>): boolean => config.oxapay.url === undefined

export interface FakeWalletResult {
  track_id: string
  status: string
  address: string
  sent: string
}

export async function payWithFakeWallet(
  deps: Pick<Deps, 'config' | 'oxapay'>,
  p: Payment,
  amount?: string,
): Promise<FakeWalletResult> {
  if (!fakeWalletEnabled(deps.config)) throw new AppError('not_found', 'there is no fake wallet with a real OxaPay')
  if (p.address === null || p.track_id === null) {
    throw new AppError('invalid_state', 'this payment has no deposit address to pay')
  }
  const url = new URL('/__fake/pay', deps.oxapay.baseUrl)
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: p.address, ...(amount !== undefined ? { amount } : {}) }),
      signal: AbortSignal.timeout(10_000),
    })
  } catch (err) {
    throw new AppError('provider_unavailable', 'the fake OxaPay did not answer', { retryable: true, cause: err })
  }
  const body: unknown = await res.json().catch(() => null)
  const data = isRecord(body) ? body : {}
  if (!res.ok) {
    throw new AppError(
      res.status === 400 ? 'validation_error' : 'invalid_state',
      `the fake wallet could not pay: ${str(data.error) ?? `status ${res.status}`}`,
    )
  }
  const txs = Array.isArray(data.txs) ? data.txs.filter(isRecord) : []
  const last = txs[txs.length - 1]
  return {
    track_id: p.track_id,
    status: statusLabel(str(data.status) ?? p.status),
    address: p.address,
    sent: (last && decimalFromJson(last.amount)) ?? '0',
  }
}
