import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { loadConfig, ConfigError } from '../../src/config.ts'
import { DEMO_API_KEY } from '../../src/seed/seed-demo.ts'
import { NEW_SERVER } from '../payments/helpers.ts'

// Issue 8, item 7: the client address behind a trusted reverse proxy (TRUST_PROXY), used by the
// rate limits, the stored payment address and the loopback-only demo key; a forged
// X-Forwarded-For from anyone else changes nothing.
const PROXY = '10.0.0.7'
let env: TestEnv
before(async () => {
  env = await startTestEnv({
    env: { TRUST_PROXY: '127.0.0.1, 10.0.0.0/24', RATE_LIMIT_PER_SECOND: '4', AUTH_FAILURES_PER_SECOND: '2' },
  })
})
after(async () => {
  await env.close()
})

const INFO = '/API/info_user'
const via = (
  remoteAddress: string,
  forwardedFor?: string,
): { remoteAddress: string; headers: Record<string, string> } => ({
  remoteAddress,
  headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
})

const statuses = (rs: LightMyRequestResponse[]) => rs.map(r => r.statusCode)

test('TRUST_PROXY is a list of addresses and CIDRs; anything else is refused at start, naming it', () => {
  assert.deepEqual(loadConfig([], { TRUST_PROXY: ' 10.0.0.1 ,10.1.0.0/16,::1, fd00::/8,loopback ' }).trustProxy, [
    '10.0.0.1',
    '10.1.0.0/16',
    '::1',
    'fd00::/8',
    'loopback',
  ])
  assert.deepEqual(loadConfig([], {}).trustProxy, [])
  for (const bad of ['10.0.0.300', '10.0.0.0/33', 'proxy.example.com', '10.0.0.0/8/1', '*', '::1/129']) {
    assert.throws(
      () => loadConfig([], { TRUST_PROXY: bad }),
      (e: Error) => e instanceof ConfigError && e.message.includes('TRUST_PROXY') && e.message.includes(bad),
    )
  }
})

test('the loopback-only demo key: accepted from loopback, refused when a trusted local proxy forwards someone else', async () => {
  const direct = await env.request({ method: 'GET', url: INFO, key: DEMO_API_KEY, ...via('127.0.0.1') })
  assert.equal(direct.statusCode, 200, direct.body)
  // nginx on the same host forwards an internet client: that client is not on loopback.
  const forwarded = await env.request({
    method: 'GET',
    url: INFO,
    key: DEMO_API_KEY,
    ...via('127.0.0.1', '203.0.113.5'),
  })
  assert.equal(forwarded.statusCode, 401, forwarded.body)
  // An untrusted peer's claim to forward a loopback client is ignored.
  const forged = await env.request({ method: 'GET', url: INFO, key: DEMO_API_KEY, ...via('198.51.100.7', '127.0.0.1') })
  assert.equal(forged.statusCode, 401, forged.body)
})

test('key-less rate limits count the forwarded client behind a trusted proxy, and the peer itself otherwise', async () => {
  // Eight clients behind one proxy: each has its own budget of 4.
  const behind = await Promise.all(
    Array.from({ length: 8 }, (_, i) => env.request({ method: 'GET', url: INFO, ...via(PROXY, `203.0.113.${i + 1}`) })),
  )
  assert.deepEqual(statuses(behind), Array(8).fill(401))
  // One untrusted peer inventing eight clients: one budget.
  const forged = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      env.request({ method: 'GET', url: INFO, ...via('198.51.100.8', `203.0.113.${i + 1}`) }),
    ),
  )
  assert.deepEqual(statuses(forged).sort(), [401, 401, 401, 401, 429, 429, 429, 429])
})

test('the failed-authentication budget follows the forwarded client too', async () => {
  const key = () => `oxb_${randomBytes(32).toString('hex')}`
  const a = []
  for (let i = 0; i < 4; i++) {
    a.push(await env.request({ method: 'GET', url: INFO, key: key(), ...via(PROXY, '192.0.2.10') }))
  }
  assert.deepEqual(statuses(a), [401, 401, 429, 429])
  // Another client of the same proxy is not punished for the first one.
  assert.equal(
    (await env.request({ method: 'GET', url: INFO, key: key(), ...via(PROXY, '192.0.2.11') })).statusCode,
    401,
  )
  // A forged X-Forwarded-For from an untrusted peer does not escape its budget.
  const f = []
  for (let i = 0; i < 4; i++) {
    f.push(await env.request({ method: 'GET', url: INFO, key: key(), ...via('198.51.100.9', `192.0.2.${20 + i}`) }))
  }
  assert.deepEqual(statuses(f), [401, 401, 429, 429])
})

test('a crypto payment stores the real client address behind a trusted proxy, and the peer when the header is forged', async () => {
  const cases: Array<[string, string | undefined, string]> = [
    [PROXY, '198.51.100.99', '198.51.100.99'],
    [PROXY, '192.0.2.1, 198.51.100.98', '198.51.100.98'],
    ['198.51.100.50', '127.0.0.1', '198.51.100.50'],
    ['127.0.0.1', undefined, '127.0.0.1'],
  ]
  for (const [peer, xff, stored] of cases) {
    const u = await env.user('0.00')
    const res = await env.request({
      url: '/API/orders/create_order',
      key: u.key,
      body: NEW_SERVER(u.id),
      ...via(peer, xff),
    })
    assert.equal(res.statusCode, 200, res.body)
    const p = await env.deps.db
      .selectFrom('payments')
      .select('ip_address')
      .where('track_id', '=', res.json().payment.track_id)
      .executeTakeFirstOrThrow()
    assert.equal(p.ip_address, stored, `${peer} / ${xff}`)
  }
})
