import { parseDec, type Dec } from '../../lib/money.ts'
import type { OxaTx } from '../../integrations/oxapay/types.ts'
import type { PriceSource } from './price-list.ts'

/**
 * What the confirmed transactions of a payment are worth in the invoice currency, in cents,
 * ROUNDED DOWN so oxbill never credits more than arrived. Unconfirmed (`confirming`) transactions
 * count for nothing: a balance credit can be spent at once, so it waits for the chain.
 * - a tx in the invoice currency counts its sent amount as is;
 * - any other tx counts its USD value: the `value` OxaPay reports in callbacks (amount × rate at
 *   payment time), else (lookups) sent amount × OxaPay's current USD price of the coin;
 *   the USD total is converted once with OxaPay's USD price of the invoice currency.
 * Null when a price is missing (a coin or currency OxaPay's lists do not carry): not computable.
 * A price list that cannot be fetched throws, so the caller retries later instead of deciding.
 */
export async function receivedCents(
  txs: readonly OxaTx[],
  currency: string,
  prices: PriceSource,
): Promise<bigint | null> {
  const ccy = currency.toUpperCase()
  let direct: Fraction = { num: 0n, den: 1n }
  let usd: Fraction = { num: 0n, den: 1n }
  for (const tx of txs.filter(t => t.status === 'confirmed')) {
    const sent = parseDec(tx.sentAmount)
    if (!sent) return null
    if (tx.currency === ccy) {
      direct = add(direct, fromDec(sent))
      continue
    }
    let value = tx.value === null ? null : parseDec(tx.value)
    if (value === null) {
      const price = (await prices.crypto())[tx.currency]
      const p = price === undefined ? null : parseDec(price)
      if (!p) return null
      value = { units: sent.units * p.units, scale: sent.scale + p.scale }
    }
    usd = add(usd, fromDec(value))
  }
  if (usd.num !== 0n) {
    const price = ccy === 'USD' ? '1' : (await prices.fiat())[ccy]
    const p = price === undefined ? null : parseDec(price)
    if (!p || p.units <= 0n) return null
    // usd / price: multiply by the price's denominator, divide by its numerator.
    direct = add(direct, { num: usd.num * 10n ** BigInt(p.scale), den: usd.den * p.units })
  }
  const cents = (direct.num * 100n) / direct.den
  return cents < 0n ? 0n : cents
}

interface Fraction {
  num: bigint
  den: bigint
}

const fromDec = (d: Dec): Fraction => ({ num: d.units, den: 10n ** BigInt(d.scale) })
const add = (a: Fraction, b: Fraction): Fraction => ({ num: a.num * b.den + b.num * a.den, den: a.den * b.den })
