import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { revokeApiKey } from '../../src/domain/auth/api-keys.ts'
import { clientAddress } from '../../src/http/rate-limit.ts'
import { DEMO_API_KEY } from '../../src/seed/seed-demo.ts'
import { fakeOf, NEW_SERVER, orderOf, paymentByTrack } from '../payments/helpers.ts'
import { waitFor } from '../wait.ts'

// Issue 8, items 7 (failed authentication is limited per address before any database look-up)
// and 8 (the payment callback has its own budgets; invalid signatures cannot starve valid ones).
let env: TestEnv
before(async () => {
  env = await startTestEnv({
    listen: true,
    env: {
      RATE_LIMIT_PER_SECOND: '5',
      AUTH_FAILURES_PER_SECOND: '5',
      CALLBACK_REJECTS_PER_SECOND: '3',
      CALLBACK_RATE_LIMIT_PER_SECOND: '4',
      OXAPAY_UNDERPAID_COVERAGE: '5',
    },
  })
})
after(async () => {
  await env.close()
})

const INFO = '/API/info_user'
const garbageKey = () => `oxb_${randomBytes(32).toString('hex')}`

/** A budget's window is one second from its first hit: stepping past it starts a new one. */
const nextWindow = () => env.rateLimitClock.advance(1000)

/** Counts the API key look-ups the auth hook makes (it reads `api_keys` through deps.db). */
function spyKeyLookups() {
  const db = env.deps.db as unknown as { selectFrom: (...args: unknown[]) => unknown }
  const real = db.selectFrom
  let count = 0
  db.selectFrom = function (this: unknown, ...args: unknown[]) {
    if (args[0] === 'api_keys') count++
    return real.apply(db, args)
  }
  return {
    get count() {
      return count
    },
    restore: () => {
      delete (db as { selectFrom?: unknown }).selectFrom
    },
  }
}

function tally(responses: LightMyRequestResponse[]) {
  const out: Record<number, number> = {}
  for (const r of responses) out[r.statusCode] = (out[r.statusCode] ?? 0) + 1
  return out
}

function assertLimited(res: LightMyRequestResponse, message: RegExp) {
  assert.equal(res.statusCode, 429, res.body)
  const body = res.json()
  assert.equal(body.success, false)
  assert.equal(body.error.code, 'rate_limited')
  assert.match(body.message, message)
  assert.equal(body.error.request_id, res.headers['x-request-id'])
  assert.ok(Number(res.headers['retry-after']) >= 1)
}

test('a flood of unknown keys from one address: AUTH_FAILURES_PER_SECOND look-ups, then 429 without touching the database', async () => {
  const A = '203.0.113.10'
  const u = await env.user('1.00')
  // Its key authenticates once (from elsewhere, so A's budget starts with the flood).
  assert.equal(
    (await env.request({ method: 'GET', url: INFO, key: u.key, remoteAddress: '203.0.113.110' })).statusCode,
    200,
  )
  const spy = spyKeyLookups()
  let flood: LightMyRequestResponse[]
  try {
    flood = await Promise.all(
      Array.from({ length: 30 }, () => env.request({ method: 'GET', url: INFO, key: garbageKey(), remoteAddress: A })),
    )
  } finally {
    spy.restore()
  }
  assert.deepEqual(tally(flood), { 401: 5, 429: 25 })
  assert.equal(spy.count, 5, 'only the failure budget reached the database')
  assertLimited(
    flood.find(r => r.statusCode === 429)!,
    /too many failed authentications from this address: at most 5 per second/,
  )

  // The same address's customer, whose key authenticated before, is not locked out by the flood;
  // another address has its own budget.
  assert.equal((await env.request({ method: 'GET', url: INFO, key: u.key, remoteAddress: A })).statusCode, 200)
  assert.equal(
    (await env.request({ method: 'GET', url: INFO, key: garbageKey(), remoteAddress: '198.51.100.20' })).statusCode,
    401,
  )

  // Once the second has passed, the address may try again.
  nextWindow()
  assert.equal((await env.request({ method: 'GET', url: INFO, key: garbageKey(), remoteAddress: A })).statusCode, 401)
})

test('revoked, malformed and over-long keys count as failures too; a revoked key stops being trusted', async () => {
  const C = '203.0.113.11'
  const victim = await env.user('1.00')
  assert.equal(
    (await env.request({ method: 'GET', url: INFO, key: victim.key, remoteAddress: '203.0.113.111' })).statusCode,
    200,
  )
  assert.equal(await revokeApiKey(env.deps.db, victim.keyId, env.clock.now()), true)
  const keys = [victim.key, 'x'.repeat(300), 'not-a-key', 'oxb_short', garbageKey(), garbageKey(), garbageKey()]
  const res = []
  for (const key of keys) res.push(await env.request({ method: 'GET', url: INFO, key, remoteAddress: C }))
  assert.deepEqual(
    res.map(r => r.statusCode),
    [401, 401, 401, 401, 401, 429, 429],
  )
  // The revoked key is now an unknown one: it waits for the budget like any other.
  assertLimited(
    await env.request({ method: 'GET', url: INFO, key: victim.key, remoteAddress: C }),
    /failed authentications/,
  )
})

test('IPv6: the budget is per /64, so rotating addresses inside one prefix buys nothing', async () => {
  assert.equal(clientAddress('2001:db8:0:1::1'), '2001:db8:0:1::/64')
  assert.equal(clientAddress('2001:0db8:0000:0001:ffff:0:0:1'), '2001:db8:0:1::/64')
  assert.equal(clientAddress('::ffff:192.0.2.7'), '192.0.2.7')
  assert.equal(clientAddress('192.0.2.7'), '192.0.2.7')
  const flood = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      env.request({
        method: 'GET',
        url: INFO,
        key: garbageKey(),
        remoteAddress: `2001:db8:0:1::${(i + 1).toString(16)}`,
      }),
    ),
  )
  assert.deepEqual(tally(flood), { 401: 5, 429: 7 })
  assert.equal(
    (await env.request({ method: 'GET', url: INFO, key: garbageKey(), remoteAddress: '2001:db8:0:2::1' })).statusCode,
    401,
  )
})

test('requests without a key are limited per address (RATE_LIMIT_PER_SECOND), before authentication', async () => {
  const res = await Promise.all(
    Array.from({ length: 8 }, () => env.request({ method: 'GET', url: INFO, remoteAddress: '203.0.113.12' })),
  )
  assert.deepEqual(tally(res), { 401: 5, 429: 3 })
  assertLimited(
    res.find(r => r.statusCode === 429)!,
    /without an API key: at most 5 per second/,
  )
})

test("without TRUST_PROXY, X-Forwarded-For changes nothing: not the demo key's loopback check, not the budgets", async () => {
  const forged = await env.request({
    method: 'GET',
    url: INFO,
    key: DEMO_API_KEY,
    remoteAddress: '198.51.100.7',
    headers: { 'x-forwarded-for': '127.0.0.1' },
  })
  assert.equal(forged.statusCode, 401, forged.body)
  assert.equal(
    (await env.request({ method: 'GET', url: INFO, key: DEMO_API_KEY })).statusCode,
    200,
    'from loopback it works',
  )
  const rotating = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      env.request({
        method: 'GET',
        url: INFO,
        remoteAddress: '198.51.100.7',
        headers: { 'x-forwarded-for': `192.0.2.${i + 1}` },
      }),
    ),
  )
  assert.deepEqual(tally(rotating), { 401: 5, 429: 3 })
})

const callback = (body: string, remoteAddress: string, signature?: string) =>
  env.app.inject({
    method: 'POST',
    url: '/API/on_payment_status',
    remoteAddress,
    headers: { 'content-type': 'application/json', ...(signature !== undefined ? { hmac: signature } : {}) },
    payload: body,
  })

const unsigned = (i: number) =>
  JSON.stringify({ track_id: `forged-${i}`, status: 'Paid', amount: 1e6, currency: 'EUR' })

/** A crypto order whose invoice is paid at the fake while oxbill cannot be reached: its signed callbacks are left to the test. */
async function paidWhileUnreachable() {
  const u = await env.user('0.00')
  const real = env.deps.publicUrl
  env.deps.publicUrl = () => 'http://127.0.0.1:1'
  let order: { order_id: string; payment: { track_id: string } }
  try {
    const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })
    assert.equal(res.statusCode, 200, res.body)
    order = res.json()
  } finally {
    env.deps.publicUrl = real
  }
  const trackId = order.payment.track_id
  fakeOf(env).pay(trackId)
  await fakeOf(env).idle()
  const paid = fakeOf(env)
    .deliveries()
    .find(d => d.trackId === trackId && d.status === 'Paid')!
  return { orderId: order.order_id, trackId, body: paid.body, signature: paid.signature }
}

test('a flood of unsigned callbacks and key-less requests from one address, then a genuine signed callback from it: accepted and credited', async () => {
  const genuine = await paidWhileUnreachable()
  const E = '203.0.113.30'
  const flood = await Promise.all(
    Array.from({ length: 20 }, (_, i) => callback(unsigned(i), E, i % 2 === 0 ? 'ab'.repeat(64) : undefined)),
  )
  assert.deepEqual(tally(flood), { 401: 3, 429: 17 })
  assertLimited(
    flood.find(r => r.statusCode === 429)!,
    /payment callbacks with a bad or missing HMAC signature from this address: at most 3 per second/,
  )
  const keyless = await Promise.all(
    Array.from({ length: 8 }, () => env.request({ method: 'GET', url: INFO, remoteAddress: E })),
  )
  assert.equal(tally(keyless)[429], 3, 'the key-less budget of the address is used up')

  const res = await callback(genuine.body, E, genuine.signature)
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.body, 'ok')
  await env.runner.drain()
  assert.equal((await paymentByTrack(env, genuine.trackId)).status, 'paid')
  assert.equal((await orderOf(env, genuine.orderId)).status, 'completed')
})

test("while unsigned callbacks flood from OxaPay's own address, OxaPay's callbacks still get through", async () => {
  const u = await env.user('0.00')
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })
  assert.equal(res.statusCode, 200, res.body)
  const {
    order_id: orderId,
    payment: { track_id: trackId },
  } = res.json()
  const run = { flooding: true }
  let sent = 0
  const flood = (async () => {
    while (run.flooding) {
      await Promise.all(Array.from({ length: 10 }, () => callback(unsigned(sent++), '127.0.0.1')))
      await new Promise(resolve => setImmediate(resolve))
    }
  })()
  try {
    // OxaPay pays only once the flood is under way, so its callbacks meet an exhausted reject budget.
    await waitFor(() => sent >= 20, { what: 'the forged callbacks to flood' })
    fakeOf(env).pay(trackId)
    await fakeOf(env).idle()
  } finally {
    run.flooding = false
    await flood
  }
  assert.ok(sent >= 10, `the flood ran (${sent} forged callbacks)`)
  const attempts = fakeOf(env)
    .deliveries()
    .filter(d => d.trackId === trackId)
  assert.ok(
    attempts.length > 0 && attempts.every(d => d.httpStatus === 200),
    JSON.stringify(attempts.map(d => d.httpStatus)),
  )
  await env.runner.drain()
  assert.equal((await paymentByTrack(env, trackId)).status, 'paid')
  assert.equal((await orderOf(env, orderId)).status, 'completed')
})

test('validly signed callbacks have a budget of their own (a replay flood is bounded too)', async () => {
  const genuine = await paidWhileUnreachable()
  const res = []
  for (let i = 0; i < 6; i++) res.push(await callback(genuine.body, '203.0.113.31', genuine.signature))
  assert.deepEqual(
    res.map(r => r.statusCode),
    [200, 200, 200, 200, 429, 429],
  )
  assertLimited(res[4]!, /too many signed payment callbacks from this address: at most 4 per second/)
  assert.equal((await paymentByTrack(env, genuine.trackId)).status, 'paid', 'the first one took effect')
})

test("the window counter: a window starts at a key's first hit, refunds give a hit back, stale keys are swept", async () => {
  const { WindowCounter } = await import('../../src/http/rate-limit.ts')
  const c = new WindowCounter(2, 1000, 3)
  assert.equal(c.hit('a', 10_500), true)
  assert.equal(c.hit('a', 10_900), true)
  assert.equal(c.hit('a', 11_100), false, 'no clock boundary splits the burst')
  assert.equal(c.retryAfterSeconds('a', 11_100), 1)
  c.refund('a', 11_200)
  assert.equal(c.hit('a', 11_300), true)
  assert.equal(c.hit('a', 11_500), true, 'a new window from the first hit after the last one ended')
  assert.equal(c.remaining('a', 11_500), 1)
  for (const k of ['b', 'c']) c.hit(k, 11_600)
  assert.equal(c.hit('d', 11_700), true, 'past maxKeys a new key is not tracked (fails open)')
  assert.equal(c.remaining('d', 11_700), 2)
  assert.equal(c.hit('d', 13_000), true, 'after a window everything stale is swept, so new keys are tracked again')
  assert.equal(c.remaining('d', 13_000), 1)
})
