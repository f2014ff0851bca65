import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AppError } from '../../../src/lib/errors.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { createOxaPayClient } from '../../../src/integrations/oxapay/client.ts'
import { startFakeOxaPay, type FakeOxaPayHandle } from '../../../src/fakes/oxapay/server.ts'
import type { CreateInvoiceInput, OxaPayApi } from '../../../src/integrations/oxapay/types.ts'
import { MERCHANT_KEY } from './helpers.ts'

const input: CreateInvoiceInput = {
  amount: '12.99',
  currency: 'usd',
  lifetimeMinutes: 30,
  callbackUrl: 'http://127.0.0.1:9/cb',
  orderId: 'ord-1',
}

/** Runs `fn`, expecting it to reject with an AppError, and returns it. */
async function appError(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn()
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a rejection')
}

describe('OxaPay adapter against the fake', () => {
  let fake: FakeOxaPayHandle
  let client: OxaPayApi
  const t0 = 1_750_000_000_000

  before(async () => {
    fake = await startFakeOxaPay({ merchantKey: MERCHANT_KEY, seed: 7, now: () => t0 })
    client = createOxaPayClient({
      baseUrl: fake.apiBaseUrl,
      merchantKey: MERCHANT_KEY,
      retries: 2,
      backoffMs: 1,
      timeoutMs: 500,
      logger: silentLogger,
    })
  })
  after(async () => {
    await fake.close()
  })

  it('creates an invoice with the documented fields and types', async () => {
    const inv = await client.createInvoice({
      ...input,
      description: 'VPS S',
      sandbox: true,
      underPaidCoveragePercent: 2.5,
      feePaidByPayer: 1,
    })
    assert.match(inv.trackId, /^\d{9}$/)
    assert.equal(inv.paymentUrl, `${fake.url}/pay/${inv.trackId}`)
    assert.equal(inv.date, t0 / 1000)
    assert.equal(inv.expiredAt, inv.date + 30 * 60)

    const req = fake.requests().at(-1)!
    assert.equal(req.keyOk, true)
    // Snake_case JSON, amount as a JSON number written from the decimal string, empty fields omitted.
    assert.deepEqual(JSON.parse(req.body), {
      amount: 12.99,
      currency: 'USD',
      lifetime: 30,
      fee_paid_by_payer: 1,
      under_paid_coverage: 2.5,
      callback_url: 'http://127.0.0.1:9/cb',
      order_id: 'ord-1',
      description: 'VPS S',
      sandbox: true,
    })
    assert.ok(req.body.startsWith('{"amount":12.99,'))
    const stored = fake.invoice(inv.trackId)!
    assert.equal(stored.amount, '12.99')
    assert.equal(stored.sandbox, true)
    assert.equal(stored.status, 'new')
  })

  it('looks a new payment up: lowercase status, no txs, received 0', async () => {
    const inv = await client.createInvoice({ ...input, orderId: 'ord-2' })
    const p = await client.getPayment(inv.trackId)
    assert.deepEqual(p, {
      trackId: inv.trackId,
      status: 'new',
      type: 'invoice',
      amount: '12.99',
      currency: 'USD',
      receivedAmount: '0',
      underPaidCoverage: '0',
      orderId: 'ord-2',
      expiredAt: inv.expiredAt,
      date: inv.date,
      txs: [],
    })
  })

  it('rejects a lifetime outside 15..2880 before any call', async () => {
    const before = fake.requests().length
    for (const lifetimeMinutes of [14, 2881, 60.5, Number.NaN]) {
      const err = await appError(() => client.createInvoice({ ...input, lifetimeMinutes }))
      assert.equal(err.code, 'validation_error')
      assert.equal(err.details.field, 'lifetimeMinutes')
    }
    for (const amount of ['0', '-1', '1e3', '12,99', '0.000000001', '']) {
      const err = await appError(() => client.createInvoice({ ...input, amount }))
      assert.equal(err.details.field, 'amount')
    }
    assert.equal(fake.requests().length, before)
  })

  it('maps a bad key to a permanent auth error that does not contain the key', async () => {
    const secret = 'WRONG-KEY-SHOULD-NOT-LEAK'
    const bad = createOxaPayClient({ baseUrl: fake.apiBaseUrl, merchantKey: secret, logger: silentLogger })
    const err = await appError(() => bad.createInvoice(input))
    assert.equal(err.code, 'provider_error')
    assert.equal(err.retryable, false)
    assert.equal(err.details.reason, 'auth')
    assert.equal(err.details.status, 401)
    assert.ok(!err.message.includes(secret) && !JSON.stringify(err.details).includes(secret))
    const lookup = await appError(() => bad.getPayment('123456789'))
    assert.equal(lookup.details.reason, 'auth')
  })

  it("maps the fake's 400 to a permanent validation error with error.key", async () => {
    const err = await appError(() => client.createInvoice({ ...input, currency: 'XYZ' }))
    assert.equal(err.code, 'provider_error')
    assert.equal(err.retryable, false)
    assert.equal(err.details.reason, 'validation')
    assert.equal(err.details.key, 'currency')
    assert.equal(err.details.providerMessage, 'The selected currency is invalid.')
    assert.match(err.message, /currency/)
  })

  it('maps an unknown track id to a permanent not_found error', async () => {
    const err = await appError(() => client.getPayment('999999999'))
    assert.equal(err.details.reason, 'not_found')
    assert.equal(err.retryable, false)
  })

  it('retries a lookup after HTTP 500 and succeeds', async () => {
    const inv = await client.createInvoice(input)
    fake.injectFault({ path: `/v1/payment/${inv.trackId}`, fault: 'http500', times: 2 })
    const before = fake.requests().length
    const p = await client.getPayment(inv.trackId)
    assert.equal(p.trackId, inv.trackId)
    const tries = fake.requests().slice(before)
    assert.deepEqual(
      tries.map(r => r.status),
      [500, 500, 200],
    )
  })

  it('retries a lookup after a dropped connection and a timeout', async () => {
    const inv = await client.createInvoice(input)
    fake.injectFault({ path: `/v1/payment/${inv.trackId}`, fault: 'drop' })
    fake.injectFault({ path: `/v1/payment/${inv.trackId}`, fault: 'timeout' })
    const before = fake.requests().length
    const p = await client.getPayment(inv.trackId)
    assert.equal(p.status, 'new')
    assert.deepEqual(
      fake
        .requests()
        .slice(before)
        .map(r => r.status),
      [null, null, 200],
    )
  })

  it('gives up after the retries with a retryable error', async () => {
    const inv = await client.createInvoice(input)
    fake.injectFault({ path: `/v1/payment/${inv.trackId}`, fault: 'http500', times: 10 })
    const err = await appError(() => client.getPayment(inv.trackId))
    assert.equal(err.code, 'provider_unavailable')
    assert.equal(err.retryable, true)
    fake.clearFaults()
  })

  it('does not repeat a create after HTTP 500: one attempt, retryable error', async () => {
    fake.injectFault({ path: '/v1/payment/invoice', fault: 'http500', times: 5 })
    const before = fake.requests().length
    const count = fake.invoices().length
    const err = await appError(() => client.createInvoice(input))
    assert.equal(err.code, 'provider_unavailable')
    assert.equal(err.retryable, true)
    assert.equal(fake.requests().length - before, 1)
    assert.equal(fake.invoices().length, count)
    fake.clearFaults()
  })

  it('treats an injected 401 as an auth error even with the right key', async () => {
    fake.injectFault({ fault: 'http401' })
    const err = await appError(() => client.createInvoice(input))
    assert.equal(err.details.reason, 'auth')
  })

  it('reads the Prices and Supported Fiat Currencies lists (USD prices), which need no key', async () => {
    const prices = await client.getPrices()
    assert.equal(prices.BTC, '65000')
    assert.equal(prices.USDT, '1')
    const fiats = await client.getFiatPrices()
    assert.equal(fiats.EUR, '1.08')
    assert.equal(fiats.USD, '1')
    const res = await fetch(`${fake.apiBaseUrl}/common/fiats`)
    assert.equal(res.status, 200, 'public, as OxaPay documents it')
  })

  it('verifies callback signatures with its own merchant key', async () => {
    const body = Buffer.from('{"track_id":"1","status":"Paid"}')
    assert.equal(client.verifyCallback(body, fake.sign(body.toString())), true)
    assert.equal(client.verifyCallback(body, undefined), false)
    assert.equal(
      client.verifyCallback(Buffer.from('{"track_id":"2","status":"Paid"}'), fake.sign(body.toString())),
      false,
    )
  })

  it('a POST to the payment_url pays what is due (the one-command local payment)', async () => {
    const inv = await client.createInvoice({ ...input, currency: 'EUR', amount: '12.99' })
    const res = await fetch(inv.paymentUrl, { method: 'POST' })
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as { status: string }).status, 'paid')
    assert.equal((await client.getPayment(inv.trackId)).status, 'paid')
  })
})
