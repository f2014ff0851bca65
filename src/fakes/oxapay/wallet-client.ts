import { AppError } from '../../lib/errors.ts'
import { decimalFromJson } from '../../lib/money.ts'
import { isRecord, str } from '../../integrations/oxapay/map.ts'
import type { DemoWallet } from '../../integrations/oxapay/types.ts'

/**
 * The client of the fake OxaPay's wallet control (`POST /__fake/pay`). The fake then sends its
 * signed callbacks like for any payment, so paying this way goes through the real settlement path.
 */
export function createFakeWalletClient(fakeBaseUrl: string): DemoWallet {
  return {
    async pay(address, amount) {
      let res: Response
      try {
        res = await fetch(new URL('/__fake/pay', fakeBaseUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ address, ...(amount !== undefined ? { amount } : {}) }),
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
      return { status: str(data.status) ?? '', sent: (last && decimalFromJson(last.amount)) ?? '0' }
    },
  }
}
