import { wallClock } from '../../deps.ts'
import type { OxaPayApi, OxaPriceList } from '../../integrations/oxapay/types.ts'

/** OxaPay's USD prices: coins (`/common/prices`) and fiat currencies (`/common/fiats`). */
export interface PriceSource {
  crypto(): Promise<OxaPriceList>
  fiat(): Promise<OxaPriceList>
}

const TTL_MS = 60_000
const sources = new WeakMap<OxaPayApi, PriceSource>()

/**
 * The price lists of one OxaPay client, fetched on demand and kept for a minute (wall time: a cache, not a business rule): a poll round
 * over many payments, or a burst of callbacks, asks OxaPay once. A failed fetch is not cached.
 */
export function priceSource(oxapay: OxaPayApi): PriceSource {
  let source = sources.get(oxapay)
  if (!source) {
    source = { crypto: cached(() => oxapay.getPrices()), fiat: cached(() => oxapay.getFiatPrices()) }
    sources.set(oxapay, source)
  }
  return source
}

function cached(load: () => Promise<OxaPriceList>): () => Promise<OxaPriceList> {
  let value: { at: number; list: Promise<OxaPriceList> } | null = null
  return async () => {
    const at = wallClock.now().getTime()
    if (value === null || at - value.at > TTL_MS) {
      const list = load()
      value = { at, list }
      list.catch(() => {
        if (value?.list === list) value = null
      })
    }
    return value.list
  }
}
