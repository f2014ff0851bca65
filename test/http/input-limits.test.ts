import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { pruneIdempotencyKeys } from '../../src/domain/lifecycle/prune-idempotency-keys.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { credit } from '../../src/domain/billing/ledger.ts'

// Issue 8, items 11 (U+0000), 13 (every error answers the envelope) and 14 (pinned 402s).
let env: TestEnv
before(async () => {
  env = await startTestEnv({ env: { IDEMPOTENCY_ERROR_RETENTION_MINUTES: '30' } })
})
after(async () => {
  await env.close()
})

type User = Awaited<ReturnType<TestEnv['user']>>
const NUL = '\u0000'
const ORDER = '/API/orders/create_order'

function assertEnvelope(res: LightMyRequestResponse, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body)
  assert.match(String(res.headers['content-type']), /^application\/json/)
  const body = res.json()
  assert.equal(body.success, false)
  assert.equal(body.error.code, code)
  assert.equal(typeof body.message, 'string')
  assert.equal(body.error.message, body.message)
  assert.match(String(res.headers['x-request-id']), /^req_[0-9a-f]{24}$/)
  assert.equal(body.error.request_id, res.headers['x-request-id'])
  return body
}

const TABLES = [
  'orders',
  'ledger_entries',
  'jobs',
  'idempotency_keys',
  'servers',
  'users',
  'locations',
  'audit_log',
  'plesk_clients',
] as const
async function counts() {
  const out: Record<string, number> = {}
  for (const t of TABLES) {
    out[t] = Number(
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(t)}`.execute(env.deps.db)).rows[0]!.n,
    )
  }
  return out
}

test('U+0000 in any string of a JSON body → 400 validation_error naming the field, on customer and admin routes; nothing written', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    [u.key, ORDER, { user_id: u.id, plan_id: '5', os_image_id: '13', location: `Slo${NUL}venia` }, 'location'],
    [
      u.key,
      ORDER,
      { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: `a${NUL}` },
      'name_server',
    ],
    [
      u.key,
      '/API/plesk/clients/create',
      { name: `Jane${NUL}Doe`, login: 'janedoe', email: 'jane@example.com', password: 'Str0ngPassw0rd' },
      'name',
    ],
    [admin.key, '/API/admin/users', { email: `x${NUL}@example.com`, username: 'x' }, 'email'],
    [admin.key, '/API/admin/users', { email: 'nul@example.com', username: `${NUL}` }, 'username'],
    [admin.key, '/API/admin/catalog/locations', { name: `Mars${NUL}`, solusvm_location_id: 9 }, 'name'],
    [
      admin.key,
      '/API/admin/balance-adjustments',
      { user_id: u.id, amount: '1.00', reason: `gift${NUL}card` },
      'reason',
    ],
  ]
  const before = await counts()
  for (const [key, url, body, field] of cases) {
    const res = await env.request({ url, key, body })
    const e = assertEnvelope(res, 400, 'validation_error')
    assert.equal(e.error.field, field, url)
    assert.equal(e.message, `field '${field}' in body must not contain U+0000 (NUL)`)
  }
  // Nested values and keys too, whatever the schema would say of them afterwards.
  const nested = await env.request({
    url: ORDER,
    key: u.key,
    rawBody: `{"user_id":"${u.id}","x":{"y":["ok","\\u0000"]}}`,
  })
  assert.equal(assertEnvelope(nested, 400, 'validation_error').error.field, 'x.y.1')
  const inKey = await env.request({ url: ORDER, key: u.key, rawBody: '{"a\\u0000b":1}' })
  assertEnvelope(inKey, 400, 'validation_error')
  assert.ok(!inKey.body.includes(NUL), 'the answer never echoes a NUL')
  assert.deepEqual(await counts(), before)
})

test('an escaped backslash before u0000 is text, not a NUL: the request goes on', async () => {
  const admin = await env.user('0.00', true)
  const res = await env.request({
    url: '/API/admin/users',
    key: admin.key,
    rawBody: JSON.stringify({ email: 'backslash@example.com', username: 'back\\u0000slash' }),
  })
  assert.ok(res.statusCode < 300, res.body)
  assert.equal(res.json().user.username, 'back\\u0000slash')
})

test('U+0000 in a query string or path parameter → 400 validation_error (list filters, admin and customer)', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const cases: Array<[string, string, string | undefined]> = [
    [admin.key, '/API/admin/users?email=a%00b', 'email'],
    [admin.key, '/API/admin/audit-log?actor=%00', 'actor'],
    [u.key, '/API/orders/list_order?type_order=%00', 'type_order'],
    [u.key, `/API/orders/list_order?user_id=${u.id}%00`, 'user_id'],
    [u.key, '/API/plesk/subscriptions/detail?id=sub%00', 'id'],
    [admin.key, '/API/admin/users/%00', 'user_id'],
  ]
  for (const [key, url, field] of cases) {
    const res = await env.request({ method: 'GET', url, key })
    const e = assertEnvelope(res, 400, 'validation_error')
    assert.match(e.message, /must not contain U\+0000 \(NUL\)$/, url)
    assert.equal(e.error.field, field, url)
  }
  // Authentication still comes first: no key, no hint about the query.
  assertEnvelope(await env.request({ method: 'GET', url: '/API/admin/users?email=%00' }), 401, 'unauthorized')
})

test('a path parameter over 100 characters → 414 uri_too_long in the envelope; a malformed URL → 400', async () => {
  const admin = await env.user('0.00', true)
  const long = await env.request({ method: 'GET', url: `/API/admin/users/${'a'.repeat(101)}`, key: admin.key })
  assertEnvelope(long, 414, 'uri_too_long')
  const noKey = await env.request({ method: 'GET', url: `/API/admin/users/${'a'.repeat(500)}` })
  assertEnvelope(noKey, 414, 'uri_too_long')
  const bad = await env.request({ method: 'GET', url: '/API/admin/users/%zz', key: admin.key })
  assertEnvelope(bad, 400, 'validation_error')
  // exactly 100 is a normal request (an unknown user)
  assertEnvelope(
    await env.request({ method: 'GET', url: `/API/admin/users/${'a'.repeat(100)}`, key: admin.key }),
    404,
    'not_found',
  )
})

async function keyRow(u: User, key: string) {
  return env.deps.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('api_key_id', '=', u.keyId)
    .where('key', '=', key)
    .executeTakeFirst()
}

const prune = () =>
  pruneIdempotencyKeys({
    db: env.deps.db,
    clock: env.clock,
    logger: env.deps.logger,
    settings: lifecycleSettings(env.config),
  })

test('a pinned 402 is kept IDEMPOTENCY_ERROR_RETENTION_MINUTES, not the 48 h of a success; then the key is free again', async () => {
  const broke = await env.user('0.00')
  const rich = await env.user('100.00')
  const body = (u: User) => ({ user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' })
  const pinKey = randomUUID()
  const okKey = randomUUID()

  const first = await env.request({
    url: ORDER,
    key: broke.key,
    body: body(broke),
    headers: { 'idempotency-key': pinKey },
  })
  assertEnvelope(first, 402, 'insufficient_balance')
  const ok = await env.request({ url: ORDER, key: rich.key, body: body(rich), headers: { 'idempotency-key': okKey } })
  assert.equal(ok.statusCode, 200, ok.body)

  // Within the retention the pinned 402 is replayed, even after a top-up (Stripe semantics).
  await env.deps.db
    .transaction()
    .execute(trx =>
      credit(trx, { userId: broke.id, amount: 5000n, kind: 'adjustment', reason: 'top-up', actor: 'test' }),
    )
  assertEnvelope(
    await env.request({ url: ORDER, key: broke.key, body: body(broke), headers: { 'idempotency-key': pinKey } }),
    402,
    'insufficient_balance',
  )
  const pinned = await keyRow(broke, pinKey)
  assert.equal(pinned?.response_status, 402)
  assert.deepEqual(
    Object.keys(pinned.response_body as object).sort(),
    ['code', 'details', 'message'],
    'only the error itself is stored',
  )

  try {
    env.clock.current = new Date(Date.now() + 29 * 60_000)
    await prune()
    assert.ok(await keyRow(broke, pinKey), 'still pinned 29 minutes later')
    env.clock.current = new Date(Date.now() + 31 * 60_000)
    assert.ok((await prune()) >= 1)
    assert.equal(await keyRow(broke, pinKey), undefined, 'forgotten after 30 minutes')
    assert.ok(await keyRow(rich, okKey), 'a stored success stays for the full retention')
  } finally {
    env.clock.current = null
  }

  // The key now names a new request: with the balance topped up, it places the order.
  const again = await env.request({
    url: ORDER,
    key: broke.key,
    body: body(broke),
    headers: { 'idempotency-key': pinKey },
  })
  assert.equal(again.statusCode, 200, again.body)
  assert.equal(again.json().amount, 12.99)
})
