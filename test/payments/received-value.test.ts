import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { receivedCents } from '../../src/domain/payments/received-value.ts'
import type { PriceSource } from '../../src/domain/payments/price-list.ts'
import type { OxaTx } from '../../src/integrations/oxapay/types.ts'

/** The value of what arrived, in EUR cents: exact arithmetic, rounded down once, confirmed txs only. */
const prices = (
  crypto: Record<string, string>,
  fiat: Record<string, string> = { EUR: '1.08', USD: '1' },
): PriceSource => ({ crypto: async () => crypto, fiat: async () => fiat })

const tx = (t: Partial<OxaTx>): OxaTx => ({
  status: 'confirmed',
  txHash: '0x1',
  sentAmount: '0',
  receivedAmount: null,
  value: null,
  rate: null,
  currency: 'USDT',
  network: 'Tron Network',
  address: null,
  confirmations: 19,
  date: 0,
  autoConvert: null,
  ...t,
})

test("a callback tx counts its USD value, converted once with OxaPay's EUR price, rounded down", async () => {
  assert.equal(await receivedCents([tx({ sentAmount: '14.0292', value: '14.0292' })], 'EUR', prices({})), 1299n)
  // 0.00021583 BTC × 65000 = 14.02895 USD = 12.98977 EUR → 12.98, never 12.99.
  assert.equal(
    await receivedCents([tx({ currency: 'BTC', sentAmount: '0.00021583', value: '14.02895' })], 'EUR', prices({})),
    1298n,
  )
})

test("a lookup tx (no value) is priced with the coin's USD price; a coin without a price is not computable", async () => {
  assert.equal(
    await receivedCents([tx({ currency: 'ETH', sentAmount: '0.005616' })], 'EUR', prices({ ETH: '2500' })),
    1300n,
  )
  assert.equal(await receivedCents([tx({ currency: 'XYZ', sentAmount: '1' })], 'EUR', prices({ ETH: '2500' })), null)
  assert.equal(
    await receivedCents([tx({ sentAmount: '10', value: '10' })], 'EUR', prices({}, { USD: '1' })),
    null,
    'no EUR price',
  )
})

test('unconfirmed txs count for nothing; txs in the invoice currency count as they are; no txs is zero', async () => {
  assert.equal(
    await receivedCents([tx({ status: 'confirming', sentAmount: '100', value: '100' })], 'EUR', prices({})),
    0n,
  )
  assert.equal(await receivedCents([tx({ currency: 'EUR', sentAmount: '3.999' })], 'EUR', prices({})), 399n)
  assert.equal(await receivedCents([], 'EUR', prices({})), 0n)
})

test('a price list that cannot be fetched throws (the caller retries), it is never read as zero', async () => {
  const failing: PriceSource = {
    crypto: async () => {
      throw new Error('down')
    },
    fiat: async () => {
      throw new Error('down')
    },
  }
  await assert.rejects(receivedCents([tx({ sentAmount: '1', value: '1' })], 'EUR', failing), /down/)
})

test('property: the credited cents never exceed the exact EUR value of what arrived, and miss it by less than a cent', async () => {
  const text = (units: bigint, scale: number): string => {
    const digits = units.toString().padStart(scale + 1, '0')
    return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  }
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ units: fc.bigInt({ min: 0n, max: 10n ** 12n }), scale: fc.integer({ min: 0, max: 8 }) }), {
        maxLength: 5,
      }),
      fc.integer({ min: 50, max: 200 }),
      async (values, eurPriceCents) => {
        const txs = values.map(v => tx({ sentAmount: '1', value: text(v.units, v.scale) }))
        const cents = (await receivedCents(txs, 'EUR', prices({}, { EUR: text(BigInt(eurPriceCents), 2) }))) ?? -1n
        // Σ value in units of 1e-8 USD, exactly; EUR cents = usd8 / 1e8 / (price / 100) × 100.
        const usd8 = values.reduce((s, v) => s + v.units * 10n ** BigInt(8 - v.scale), 0n)
        const exact = usd8 * 100n * 100n // compare cents × price × 1e8 against this
        const price = BigInt(eurPriceCents) * 10n ** 8n
        assert.ok(cents * price <= exact, 'never more than arrived')
        assert.ok((cents + 1n) * price > exact, 'and less than a cent short')
      },
    ),
    { numRuns: 200 },
  )
})
