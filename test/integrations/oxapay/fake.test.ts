import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startFakeOxaPay, type FakeOxaPayHandle } from '../../../src/fakes/oxapay/server.ts'
import { MERCHANT_KEY } from './helpers.ts'

/** The fake's wire behaviour, checked with plain fetch (the §5 checklist). */
describe('fake OxaPay over HTTP', () => {
  let fake: FakeOxaPayHandle
  const t0 = 1_750_000_000_000

  before(async () => {
    fake = await startFakeOxaPay({ merchantKey: MERCHANT_KEY, seed: 1, now: () => t0 })
  })
  after(async () => {
    await fake.close()
  })

  async function call(
    method: string,
    path: string,
    body?: unknown,
    key: string | null = MERCHANT_KEY,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (key !== null) headers.merchant_api_key = key
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }
  const create = (body: unknown, key?: string | null) => call('POST', '/v1/payment/invoice', body, key)

  it('answers 401 envelopes for a missing or wrong key', async () => {
    for (const key of [null, 'nope']) {
      const r = await create({ amount: 1 }, key)
      assert.equal(r.status, 401)
      assert.deepEqual(r.json, {
        data: {},
        message: 'Unauthorized',
        error: { type: 'authentication', key: 'merchant_api_key', message: 'Invalid merchant API key.' },
        status: 401,
        version: '1.0.0',
      })
    }
    assert.equal((await call('GET', '/v1/payment/123456789', undefined, null)).status, 401)
  })

  it('validates with 400 and error.key', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'amount'],
      [{ amount: 0 }, 'amount'],
      [{ amount: -1 }, 'amount'],
      [{ amount: 'abc' }, 'amount'],
      [{ amount: 1, lifetime: 14 }, 'lifetime'],
      [{ amount: 1, lifetime: 2881 }, 'lifetime'],
      [{ amount: 1, lifetime: 60.5 }, 'lifetime'],
      [{ amount: 1, lifetime: 'soon' }, 'lifetime'],
      [{ amount: 1, under_paid_coverage: -0.1 }, 'under_paid_coverage'],
      [{ amount: 1, under_paid_coverage: 60.01 }, 'under_paid_coverage'],
      [{ amount: 1, fee_paid_by_payer: 2 }, 'fee_paid_by_payer'],
      [{ amount: 1, fee_paid_by_payer: 'yes' }, 'fee_paid_by_payer'],
      [{ amount: 1, sandbox: 'yes' }, 'sandbox'],
      [{ amount: 1, mixed_payment: 2 }, 'mixed_payment'],
      [{ amount: 1, currency: 'XYZ' }, 'currency'],
      [{ amount: 1, to_currency: 'BTC' }, 'to_currency'],
      [{ amount: 1, callback_url: 'ftp://x' }, 'callback_url'],
    ]
    for (const [body, key] of cases) {
      const r = await create(body)
      assert.equal(r.status, 400, JSON.stringify(body))
      assert.equal(r.json.status, 400)
      assert.deepEqual(r.json.data, {})
      assert.equal((r.json.error as Record<string, unknown>).key, key, JSON.stringify(body))
    }
  })

  it('accepts booleans as true/false, 0/1 and "0"/"1", and the range limits', async () => {
    for (const v of [true, false, 0, 1, '0', '1']) {
      const r = await create({
        amount: '1.5',
        sandbox: v,
        mixed_payment: v,
        auto_withdrawal: v,
        fee_paid_by_payer: v,
        lifetime: 15,
        under_paid_coverage: 60,
      })
      assert.equal(r.status, 200, String(v))
    }
    assert.equal((await create({ amount: 1, lifetime: 2880, under_paid_coverage: 0 })).status, 200)
    assert.equal((await create({ amount: 1, lifetime: '30' })).status, 200)
  })

  it('returns the exact success envelope with a 9-digit track id and default 60-minute lifetime', async () => {
    const r = await create({ amount: 12.99, currency: 'EUR', order_id: 'o-1', callback_url: 'https://example.com/cb' })
    assert.equal(r.status, 200)
    const data = r.json.data as Record<string, unknown>
    assert.deepEqual(r.json, {
      data,
      message: 'Operation completed successfully!',
      error: {},
      status: 200,
      version: '1.0.0',
    })
    assert.deepEqual(Object.keys(data), ['track_id', 'payment_url', 'expired_at', 'date'])
    assert.match(data.track_id as string, /^\d{9}$/)
    assert.equal(data.payment_url, `${fake.url}/pay/${String(data.track_id)}`)
    assert.equal(data.date, t0 / 1000)
    assert.equal(data.expired_at, t0 / 1000 + 3600)

    const g = await call('GET', `/v1/payment/${String(data.track_id)}`)
    assert.equal(g.status, 200)
    const p = g.json.data as Record<string, unknown>
    assert.deepEqual(Object.keys(p), [
      'track_id',
      'type',
      'amount',
      'currency',
      'status',
      'mixed_payment',
      'fee_paid_by_payer',
      'under_paid_coverage',
      'lifetime',
      'callback_url',
      'return_url',
      'email',
      'order_id',
      'description',
      'thanks_message',
      'expired_at',
      'date',
      'txs',
    ])
    assert.deepEqual(
      [p.status, p.amount, p.currency, p.order_id, p.lifetime, p.txs],
      ['new', 12.99, 'EUR', 'o-1', 60, []],
    )
  })

  it('answers 404 envelopes for an unknown track id or route', async () => {
    const r = await call('GET', '/v1/payment/999999999')
    assert.equal(r.status, 404)
    assert.equal(r.json.status, 404)
    assert.equal((r.json.error as Record<string, unknown>).key, 'track_id')
    assert.equal((await call('GET', '/v1/nothing')).status, 404)
  })

  it('serves controls over HTTP: JSON pay, form pay with redirect, status, page', async () => {
    const { json } = await create({ amount: 10, currency: 'USDT' })
    const id = (json.data as Record<string, unknown>).track_id as string
    const page = await fetch(`${fake.url}/pay/${id}`)
    const html = await page.text()
    assert.match(html, /10 USDT/)
    assert.match(html, /action="\/__fake\/pay"/)

    const paid = await call('POST', '/__fake/pay', { track_id: id, amount: '4' }, null)
    assert.equal(paid.status, 200)
    assert.equal(paid.json.status, 'paying')
    assert.equal((paid.json.txs as unknown[]).length, 1)

    const form = await fetch(`${fake.url}/__fake/pay`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ track_id: id, amount: '6', coin: 'USDT' }),
    })
    assert.equal(form.status, 303)
    assert.equal(form.headers.get('location'), `/pay/${id}`)
    assert.equal(fake.invoice(id)!.status, 'paid')
    assert.equal(fake.invoice(id)!.credited, '10')

    const forced = await call('POST', '/__fake/status', { track_id: id, status: 'refunded' }, null)
    assert.equal(forced.json.status, 'refunded')
    assert.equal((await call('POST', '/__fake/pay', { track_id: '1' }, null)).status, 404)
    assert.equal((await call('POST', '/__fake/pay', { track_id: id, amount: '-1' }, null)).status, 400)
    assert.equal((await call('POST', '/__fake/pay', { track_id: id, coin: 'FOO' }, null)).status, 400)
    assert.equal((await call('POST', '/__fake/expire', { track_id: id }, null)).status, 409)
    const list = await fetch(`${fake.url}/__fake/invoices`)
    assert.ok(((await list.json()) as unknown[]).length > 0)
  })
})

describe('fake options', () => {
  it('failRate 1 fails every API call; latencyMs delays answers', async () => {
    const fake = await startFakeOxaPay({ merchantKey: MERCHANT_KEY, failRate: 1, latencyMs: 30 })
    try {
      const started = Date.now()
      const res = await fetch(`${fake.apiBaseUrl}/payment/invoice`, {
        method: 'POST',
        headers: { merchant_api_key: MERCHANT_KEY },
        body: '{"amount":1}',
      })
      assert.equal(res.status, 500)
      assert.equal(((await res.json()) as Record<string, unknown>).status, 500)
      assert.ok(Date.now() - started >= 25)
    } finally {
      await fake.close()
    }
  })

  it('the same seed gives the same track ids', async () => {
    const ids: string[][] = []
    for (let i = 0; i < 2; i++) {
      const fake = await startFakeOxaPay({ merchantKey: MERCHANT_KEY, seed: 99 })
      const got: string[] = []
      for (let j = 0; j < 3; j++) {
        const res = await fetch(`${fake.apiBaseUrl}/payment/invoice`, {
          method: 'POST',
          headers: { merchant_api_key: MERCHANT_KEY },
          body: '{"amount":1}',
        })
        got.push(((await res.json()) as { data: { track_id: string } }).data.track_id)
      }
      ids.push(got)
      await fake.close()
    }
    assert.deepEqual(ids[0], ids[1])
  })
})
