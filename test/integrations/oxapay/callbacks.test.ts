import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { silentLogger } from '../../../src/lib/logger.ts'
import { parseCallback } from '../../../src/integrations/oxapay/callback.ts'
import { createOxaPayClient } from '../../../src/integrations/oxapay/client.ts'
import type { RetryScheduler } from '../../../src/fakes/oxapay/callbacks.ts'
import { startFakeOxaPay, type FakeOxaPayHandle, type FakeOxaPayOptions } from '../../../src/fakes/oxapay/server.ts'
import { verifySignature } from '../../../src/integrations/oxapay/signature.ts'
import type { CreateInvoiceInput, OxaPayApi } from '../../../src/integrations/oxapay/types.ts'
import { MERCHANT_KEY, startReceiver, waitFor, type Receiver } from './helpers.ts'

interface Env {
  fake: FakeOxaPayHandle
  client: OxaPayApi
  receiver: Receiver
  clock: { t: number }
}

async function setup(opts: Partial<FakeOxaPayOptions> = {}): Promise<Env> {
  const clock = { t: 1_750_000_000_000 }
  const receiver = await startReceiver()
  const fake = await startFakeOxaPay({
    merchantKey: MERCHANT_KEY,
    seed: 42,
    now: () => clock.t,
    retryScheduleMs: [20, 40, 60, 80],
    ...opts,
  })
  const client = createOxaPayClient({
    baseUrl: fake.apiBaseUrl,
    merchantKey: MERCHANT_KEY,
    backoffMs: 1,
    logger: silentLogger,
  })
  return { fake, client, receiver, clock }
}

async function teardown(env: Env): Promise<void> {
  await env.fake.close()
  await env.receiver.close()
}

const invoice = (env: Env, over: Partial<CreateInvoiceInput> = {}): Promise<{ trackId: string }> =>
  env.client.createInvoice({
    amount: '12.99',
    currency: 'USD',
    lifetimeMinutes: 60,
    callbackUrl: env.receiver.url,
    orderId: 'ord-9',
    ...over,
  })

describe('payments and signed callbacks', () => {
  let env: Env
  before(async () => {
    env = await setup()
  })
  after(async () => {
    await teardown(env)
  })

  it('full payment: Paying then Paid, signed over the raw bytes; lookup shows paid', async () => {
    const { trackId } = await invoice(env)
    env.fake.pay(trackId)
    await waitFor(() => env.receiver.received.length >= 2, 'two callbacks')
    const [paying, paid] = env.receiver.received
    for (const r of [paying!, paid!]) {
      assert.equal(r.headers['content-type'], 'application/json')
      assert.equal(verifySignature(r.raw, r.headers.hmac as string, MERCHANT_KEY), true)
    }
    assert.equal(paying!.json.status, 'Paying')
    assert.equal(paid!.json.status, 'Paid')
    const a = parseCallback(paying!.raw)
    const b = parseCallback(paid!.raw)
    assert.equal(a.status, 'paying')
    assert.equal(a.txs[0]!.status, 'confirming')
    assert.equal(b.status, 'paid')
    assert.equal(b.rawStatus, 'Paid')
    assert.equal(b.txs[0]!.status, 'confirmed')
    assert.deepEqual(
      {
        trackId: b.trackId,
        amount: b.amount,
        currency: b.currency,
        orderId: b.orderId,
        type: b.type,
        value: b.value,
        received: b.receivedAmount,
      },
      {
        trackId,
        amount: '12.99',
        currency: 'USD',
        orderId: 'ord-9',
        type: 'invoice',
        value: '12.99',
        received: '12.99',
      },
    )
    const tx = b.txs[0]!
    assert.deepEqual(
      { c: tx.currency, s: tx.sentAmount, r: tx.receivedAmount, v: tx.value, rate: tx.rate, n: tx.network },
      { c: 'USDT', s: '12.99', r: '12.79515', v: '12.99', rate: '1', n: 'Tron Network' },
    )
    assert.match(tx.txHash!, /^0x[0-9a-f]{64}$/)
    // The body carries exactly the §3.3 field set.
    assert.deepEqual(Object.keys(paid!.json), [
      'track_id',
      'status',
      'type',
      'module_name',
      'amount',
      'value',
      'sent_value',
      'currency',
      'order_id',
      'email',
      'note',
      'fee_paid_by_payer',
      'under_paid_coverage',
      'description',
      'date',
      'txs',
    ])

    const p = await env.client.getPayment(trackId)
    assert.equal(p.status, 'paid')
    assert.equal(p.txs.length, 1)
    assert.equal(p.txs[0]!.status, 'confirmed')
    assert.equal(p.txs[0]!.sentAmount, '12.99')
    // A lookup carries no USD value, and USDT is not USD: no exact figure (see map.ts).
    assert.equal(p.receivedAmount, null)
    await env.fake.idle()
    assert.deepEqual(
      env.fake.deliveries().map(d => [d.status, d.attempt, d.delivered, d.ackOk]),
      [
        ['Paying', 1, true, true],
        ['Paid', 1, true, true],
      ],
    )
  })

  it('partial payment: paying, one Paying callback, received amount in the invoice currency', async () => {
    const start = env.receiver.received.length
    const { trackId } = await invoice(env, { amount: '20', currency: 'USDT' })
    env.fake.pay(trackId, { amount: '5.5' })
    await waitFor(() => env.receiver.received.length === start + 1, 'Paying callback')
    const cb = parseCallback(env.receiver.received.at(-1)!.raw)
    assert.equal(cb.status, 'paying')
    assert.equal(cb.receivedAmount, '5.5')
    const p = await env.client.getPayment(trackId)
    assert.equal(p.status, 'paying')
    assert.equal(p.receivedAmount, '5.5')
    await env.fake.idle()
    assert.equal(env.receiver.received.length, start + 1)

    // Topping up the rest completes it: Paying (new tx confirming) then Paid.
    env.fake.pay(trackId)
    await waitFor(() => env.receiver.received.length === start + 3, 'top-up callbacks')
    const paid = parseCallback(env.receiver.received.at(-1)!.raw)
    assert.equal(paid.status, 'paid')
    assert.equal(paid.receivedAmount, '20')
    assert.equal((await env.client.getPayment(trackId)).receivedAmount, '20')
  })

  it('derives the received amount from what each payload carries', async () => {
    const cases: Array<[string, string, string, string | null, string | null]> = [
      // invoice ccy, coin, paid (invoice ccy), from callback, from lookup
      ['USD', 'ETH', '10', '10', null],
      ['EUR', 'USDT', '10', null, null],
      ['ETH', 'ETH', '0.004', '0.004', '0.004'],
    ]
    for (const [currency, coin, amount, fromCallback, fromLookup] of cases) {
      const start = env.receiver.received.length
      const { trackId } = await invoice(env, { amount: '100', currency })
      env.fake.pay(trackId, { amount, coin })
      await waitFor(() => env.receiver.received.length === start + 1, `${currency}/${coin} callback`)
      assert.equal(
        parseCallback(env.receiver.received.at(-1)!.raw).receivedAmount,
        fromCallback,
        `${currency}/${coin} callback`,
      )
      assert.equal((await env.client.getPayment(trackId)).receivedAmount, fromLookup, `${currency}/${coin} lookup`)
    }
  })

  it('counts under_paid_coverage: 95 of 100 with 5% coverage is paid', async () => {
    const { trackId } = await invoice(env, { amount: '100', underPaidCoveragePercent: 5 })
    env.fake.pay(trackId, { amount: '95' })
    assert.equal((await env.client.getPayment(trackId)).status, 'paid')
    const { trackId: t2 } = await invoice(env, { amount: '100', underPaidCoveragePercent: 5 })
    env.fake.pay(t2, { amount: '94.99' })
    assert.equal((await env.client.getPayment(t2)).status, 'paying')
    await env.fake.idle()
  })

  it('expiry: unpaid → expired, partly paid → underpaid, and no callback by default', async () => {
    const { trackId: unpaid } = await invoice(env)
    const { trackId: partial } = await invoice(env)
    env.fake.pay(partial, { amount: '1' })
    await env.fake.idle()
    const start = env.receiver.received.length
    env.fake.expire(unpaid)
    env.fake.expire(partial)
    assert.equal((await env.client.getPayment(unpaid)).status, 'expired')
    assert.equal((await env.client.getPayment(partial)).status, 'underpaid')
    await env.fake.idle()
    assert.equal(env.receiver.received.length, start)
  })

  it('expires on the injected clock, without a control call', async () => {
    const { trackId } = await invoice(env, { lifetimeMinutes: 15 })
    env.clock.t += 15 * 60 * 1000 - 1000
    assert.equal((await env.client.getPayment(trackId)).status, 'new')
    env.clock.t += 1000
    assert.equal((await env.client.getPayment(trackId)).status, 'expired')
  })

  it('late payment after expiry is recorded and sends its callback; status stays expired', async () => {
    const { trackId } = await invoice(env)
    env.fake.expire(trackId)
    const start = env.receiver.received.length
    env.fake.pay(trackId)
    await waitFor(() => env.receiver.received.length === start + 1, 'late callback')
    const r = env.receiver.received.at(-1)!
    assert.equal(verifySignature(r.raw, r.headers.hmac as string, MERCHANT_KEY), true)
    const cb = parseCallback(r.raw)
    assert.equal(cb.rawStatus, 'Expired')
    assert.equal(cb.status, 'expired')
    assert.equal(cb.txs[0]!.status, 'confirmed')
    assert.equal(cb.receivedAmount, '12.99')
    const p = await env.client.getPayment(trackId)
    assert.equal(p.status, 'expired')
    assert.equal(p.txs.length, 1)
    await env.fake.idle()
    assert.equal(env.receiver.received.length, start + 1)
  })

  it('sandbox invoices carry "sandbox" hashes and addresses', async () => {
    const start = env.receiver.received.length
    const { trackId } = await invoice(env, { sandbox: true })
    env.fake.pay(trackId)
    await waitFor(() => env.receiver.received.length === start + 2, 'sandbox callbacks')
    const tx = (env.receiver.received.at(-1)!.json.txs as Array<Record<string, unknown>>)[0]!
    assert.deepEqual([tx.tx_hash, tx.address, tx.sender_address], ['sandbox', 'sandbox', null])
  })
})

/**
 * Retries the test fires itself: `step()` waits for the one scheduled retry, moves the fake's clock
 * by its delay and runs it. `waiting` is what is still scheduled, so "no more attempts" is a fact
 * the test reads rather than a quiet period it waits out.
 */
function steppedRetries() {
  const queue: Array<{ retry: () => void; delayMs: number }> = []
  const delays: number[] = []
  const schedule: RetryScheduler = (retry, delayMs) => {
    const entry = { retry, delayMs }
    queue.push(entry)
    return () => {
      const i = queue.indexOf(entry)
      if (i >= 0) queue.splice(i, 1)
    }
  }
  return {
    schedule,
    delays,
    get waiting() {
      return queue.length
    },
    async step(clock: { t: number }): Promise<void> {
      await waitFor(() => queue.length > 0, 'a scheduled retry')
      const next = queue.shift()!
      delays.push(next.delayMs)
      clock.t += next.delayMs
      next.retry()
    },
  }
}

describe('callback retries', () => {
  it('receiver answering 500 twice then 200: exactly 3 attempts on the schedule, then stops', async () => {
    const retries = steppedRetries()
    const env = await setup({ scheduleRetry: retries.schedule })
    try {
      env.receiver.respond = n => (n <= 2 ? { status: 500, body: 'oops' } : { status: 200, body: 'ok' })
      const { trackId } = await invoice(env, { amount: '20' })
      env.fake.pay(trackId, { amount: '1' })
      await retries.step(env.clock)
      await retries.step(env.clock)
      await env.fake.idle()
      const d = env.fake.deliveries()
      assert.deepEqual(
        d.map(x => [x.attempt, x.httpStatus, x.delivered]),
        [
          [1, 500, false],
          [2, 500, false],
          [3, 200, true],
        ],
      )
      assert.deepEqual(retries.delays, [20, 40], 'waits follow the schedule')
      assert.deepEqual([d[1]!.at - d[0]!.at, d[2]!.at - d[1]!.at], [20, 40])
      assert.equal(new Set(d.map(x => x.body)).size, 1)
      assert.equal(new Set(env.receiver.received.map(r => r.raw.toString('hex'))).size, 1)
      assert.equal(new Set(d.map(x => x.signature)).size, 1)
      assert.equal(retries.waiting, 0, 'nothing more is scheduled')
      assert.equal(env.receiver.received.length, 3)
    } finally {
      await teardown(env)
    }
  })

  it('receiver never answering 200: exactly 5 attempts', async () => {
    const retries = steppedRetries()
    const env = await setup({
      retryScheduleMs: [5, 10, 15, 20],
      scheduleRetry: retries.schedule,
    })
    try {
      env.receiver.respond = () => ({ status: 503, body: 'down' })
      const { trackId } = await invoice(env, { amount: '20' })
      env.fake.pay(trackId, { amount: '1' })
      for (let i = 0; i < 4; i++) await retries.step(env.clock)
      await env.fake.idle()
      assert.deepEqual(
        env.fake.deliveries().map(x => x.attempt),
        [1, 2, 3, 4, 5],
      )
      assert.deepEqual(retries.delays, [5, 10, 15, 20])
      assert.equal(retries.waiting, 0, 'no sixth attempt is scheduled')
      assert.equal(env.receiver.received.length, 5)
    } finally {
      await teardown(env)
    }
  })

  it('a 200 without `ok` counts as delivered but is recorded; strictAck retries it', async () => {
    for (const strictAck of [false, true]) {
      const env = await setup({ retryScheduleMs: [5], maxAttempts: 2, strictAck })
      try {
        env.receiver.respond = () => ({ status: 200, body: 'thanks' })
        const { trackId } = await invoice(env, { amount: '20' })
        env.fake.pay(trackId, { amount: '1' })
        await env.fake.idle()
        const d = env.fake.deliveries()
        assert.deepEqual(
          d.map(x => [x.delivered, x.ackOk]),
          strictAck
            ? [
                [false, false],
                [false, false],
              ]
            : [[true, false]],
        )
      } finally {
        await teardown(env)
      }
    }
  })

  it('expiryCallbacks: expiry sends Underpaid / Expired', async () => {
    const env = await setup({ expiryCallbacks: true })
    try {
      const { trackId: a } = await invoice(env)
      const { trackId: b } = await invoice(env)
      env.fake.pay(b, { amount: '2' })
      env.fake.expire(a)
      env.fake.expire(b)
      await env.fake.idle()
      // Order is only guaranteed per invoice.
      const got = env.receiver.received.map(r => `${String(r.json.track_id)}:${String(r.json.status)}`)
      assert.deepEqual(
        got.filter(x => x.startsWith(b)),
        [`${b}:Paying`, `${b}:Underpaid`],
      )
      assert.deepEqual(
        got.filter(x => x.startsWith(a)),
        [`${a}:Expired`],
      )
    } finally {
      await teardown(env)
    }
  })

  it('close() ends pending retries at once', async () => {
    const retries = steppedRetries()
    const env = await setup({
      retryScheduleMs: [60_000],
      scheduleRetry: retries.schedule,
    })
    env.receiver.respond = () => ({ status: 500, body: '' })
    const { trackId } = await invoice(env)
    env.fake.pay(trackId)
    await waitFor(() => env.fake.deliveries().length >= 2 && retries.waiting >= 2, 'first attempts')
    await teardown(env)
    assert.equal(retries.waiting, 0, 'close() cancelled the scheduled retries')
    await env.fake.idle()
  })
})
