import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import pino from 'pino'
import { freshDb, startTestEnv, TestClock, type TestEnv } from '../helper.ts'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { buildOxbill, type Built } from '../../src/app/build.ts'
import { seedDemo, DEMO_API_KEY, DEMO_SERVER_ID, DEMO_SUBSCRIPTION_ID } from '../../src/seed/seed-demo.ts'
import { DOCUMENTED_ROUTES } from '../../src/http/unknown-fields.ts'

// Issue 9 item 5: unknown body fields and query parameters of the documented 0xhost endpoints
// are ignored, logged (names only) and named in `warnings`; STRICT_UNKNOWN_FIELDS=true refuses
// them with 400 unknown_field; oxbill's own endpoints always refuse them.

let env: TestEnv
let strict: TestEnv
before(async () => {
  env = await startTestEnv()
  strict = await startTestEnv({ env: { STRICT_UNKNOWN_FIELDS: 'true' } })
})
after(async () => {
  await env.close()
  await strict.close()
})

const ORDER = '/API/orders/create_order'
type User = Awaited<ReturnType<TestEnv['user']>>
const newServer = (u: User, extra: Record<string, unknown> = {}) => ({
  user_id: u.id,
  plan_id: '5',
  os_image_id: '13',
  location: 'Slovenia',
  ...extra,
})
const post = (e: TestEnv, u: User, url: string, body: unknown, key = randomUUID()) =>
  e.request({ url, key: u.key, body, headers: { 'idempotency-key': key } })
const get = (e: TestEnv, url: string, key = DEMO_API_KEY) => e.request({ method: 'GET', url, key })
const warned = (body: { warnings?: Array<{ field: string; in: string }> }) =>
  (body.warnings ?? []).map(w => `${w.in}.${w.field}`)

/** Fields the docs document on other pages (the storage order, docs/0xhost-compat.md 3.17), with values to recognise. */
const OTHER_PAGES = {
  versions: 'OTHER-PAGE-22.04',
  password: 'Sentinel-Passw0rd-1',
  auto_renew: 1,
  rental_duration: 1440,
}

test('STRICT_UNKNOWN_FIELDS is parsed once: default false, true/false/1/0/yes/no, anything else refused', () => {
  assert.equal(loadConfig([], {}).strictUnknownFields, false)
  for (const v of ['true', '1', 'yes']) {
    assert.equal(loadConfig([], { STRICT_UNKNOWN_FIELDS: v }).strictUnknownFields, true)
  }
  for (const v of ['false', '0', 'no']) {
    assert.equal(loadConfig([], { STRICT_UNKNOWN_FIELDS: v }).strictUnknownFields, false)
  }
  assert.throws(
    () => loadConfig([], { STRICT_UNKNOWN_FIELDS: 'sometimes' }),
    (e: unknown) => e instanceof ConfigError && /STRICT_UNKNOWN_FIELDS must be true or false/.test(e.message),
  )
})

test('every documented route in the list is a registered route', () => {
  const registered = new Set(env.app.routeList.map(r => `${r.method} ${r.url}`))
  for (const r of DOCUMENTED_ROUTES) assert.ok(registered.has(r), r)
})

test('fields of other doc pages (versions, password, auto_renew, rental_duration) do not fail an order: ignored, named, never applied', async () => {
  const u = await env.user('100.00')
  const res = await post(env, u, ORDER, newServer(u, OTHER_PAGES))
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  assert.equal(body.success, true)
  assert.equal(body.amount, 12.99, 'rental_duration does not change the term or the price')
  assert.equal(body.hours_purchased, '720')
  assert.deepEqual(
    body.warnings,
    Object.keys(OTHER_PAGES).map(field => ({
      code: 'unknown_field',
      in: 'body',
      field,
      message: `unknown field '${field}' in body was ignored`,
    })),
  )
  assert.notEqual(body.password, OTHER_PAGES.password, "the root password is oxbill's own")
  assert.ok(!JSON.stringify(body.warnings).includes(OTHER_PAGES.password), 'warnings carry names, never values')
  // Nothing of them reached the use-case: not the order, not the server.
  const order = await env.deps.db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', body.order_id)
    .executeTakeFirstOrThrow()
  for (const v of [OTHER_PAGES.versions, OTHER_PAGES.password]) {
    assert.ok(!JSON.stringify(order, (_k, x) => (typeof x === 'bigint' ? String(x) : x)).includes(v))
  }
  assert.equal(order.amount_cents, 1299n)
  const server = await env.deps.db
    .selectFrom('servers')
    .select(['auto_renew'])
    .where('id', '=', body.server_status.new_id)
    .executeTakeFirstOrThrow()
  assert.equal(server.auto_renew, false, 'auto_renew: 1 of another page was not applied')
})

test('an ignored field does not loosen validation: declared fields are still checked, another user_id still 403', async () => {
  const u = await env.user('100.00')
  const other = await env.user('100.00')
  const cases: Array<[Record<string, unknown>, number, string, string?]> = [
    [newServer(u, { versions: '1', plan_id: true }), 400, 'validation_error', 'plan_id'],
    [newServer(u, { versions: '1', user_id: other.id }), 403, 'forbidden'],
    [newServer(u, { versions: '1', hours: 5 }), 400, 'ambiguous_request'],
  ]
  for (const [body, status, code, field] of cases) {
    const res = await post(env, u, ORDER, body)
    assert.equal(res.statusCode, status, res.body)
    assert.equal(res.json().error.code, code)
    if (field) assert.equal(res.json().error.field, field)
    assert.deepEqual(warned(res.json()), ['body.versions'], 'errors name the ignored fields too')
  }
  assert.equal(
    (await env.deps.db.selectFrom('orders').select('id').where('user_id', 'in', [u.id, other.id]).execute()).length,
    0,
  )
})

test('a cache-buster ?_=1 on every documented GET: answered, named in warnings', async () => {
  const urls = [
    '/API/info_user?_=1',
    '/API/plans/list_plan?type=vps&_=1',
    `/API/servers/list_addon_server?server_id=${DEMO_SERVER_ID}&_=1`,
    '/API/orders/list_order?_=1',
    `/API/services/usage_server?server_id=${DEMO_SERVER_ID}&specification=cpu&_=1`,
    `/API/plesk/subscriptions/detail?id=${DEMO_SUBSCRIPTION_ID}&_=1`,
    '/API/list_transactions?_=1',
  ]
  for (const url of urls) {
    const res = await get(env, url)
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`)
    assert.deepEqual(
      res.json().warnings,
      [{ code: 'unknown_field', in: 'query', field: '_', message: "unknown field '_' in query was ignored" }],
      url,
    )
  }
  const track = await get(env, '/API/get_transation_by_track_id?track_id=nope&_=1')
  assert.equal(track.statusCode, 404)
  assert.deepEqual(warned(track.json()), ['query._'])
  // A known answer without unknown fields carries no warnings at all.
  assert.equal((await get(env, '/API/info_user')).json().warnings, undefined)
})

test('the other documented writes ignore unknown fields too: auto_renew, Plesk client, Plesk orders, addon, invoice', async () => {
  const u = await env.user('100.00')
  const cases: Array<[string, Record<string, unknown>, number]> = [
    ['/API/services/auto_renew', { server_id: 'server-x', auto_renew: '1', months: 2 }, 404],
    [
      '/API/plesk/clients/create',
      { name: 'A', login: 'ab', email: 'a@example.com', password: 'Str0ngPassw0rd', phone: '1' },
      400,
    ],
    ['/API/orders/create_order_addon', { user_id: u.id, addon_id: 'addon-x', server_id: 'server-x', quantity: 2 }, 404],
    [
      '/API/orders/create_order_plesk',
      {
        plan_id: 'p',
        client_id: 'c',
        domain_name: 'example.org',
        ftp_login: 'ftp',
        ftp_password: 'secret-1',
        subscription_duration: 1,
        type_payment: 'balance',
        auto_renew: true,
      },
      404,
    ],
    [
      '/API/orders/create_order_scale_plesk',
      { subscription_id: 's', months: 1, type_payment: 'balance', plan_id: 'x' },
      404,
    ],
    ['/API/invoice', { user_id: u.id, amount: '5', tip: 1 }, 200],
  ]
  for (const [url, body, status] of cases) {
    const res = await post(env, u, url, body)
    assert.equal(res.statusCode, status, `${url}: ${res.body}`)
    assert.notEqual(res.json().error?.code, 'unknown_field', url)
    assert.equal(res.json().warnings?.length, 1, `${url}: ${res.body}`)
  }
})

test("oxbill's own endpoints stay strict: 400 unknown_field", async () => {
  for (const url of [
    '/API/servers/list?_=1',
    '/API/catalog/locations?_=1',
    '/API/balance?_=1',
    '/API/balance/ledger?_=1',
    '/API/plesk/clients/list?_=1',
  ]) {
    const res = await get(env, url)
    assert.equal(res.statusCode, 400, url)
    assert.equal(res.json().error.code, 'unknown_field', url)
    assert.equal(res.json().error.field, '_', url)
  }
  const admin = await env.user('0.00', true)
  const res = await env.request({
    url: '/API/admin/users',
    key: admin.key,
    body: { email: 'strict@example.com', is_admin: true },
  })
  assert.equal(res.statusCode, 400)
  assert.equal(res.json().error.code, 'unknown_field')
})

test('Idempotency-Key: ignored fields are not in the fingerprint — a retry that adds or drops one replays; a declared field still 422', async () => {
  const u = await env.user('100.00')
  const key = randomUUID()
  const first = await post(env, u, ORDER, newServer(u, { versions: '22.04' }), key)
  assert.equal(first.statusCode, 200, first.body)
  const replay = await post(env, u, ORDER, newServer(u, { _: '1', password: 'x' }), key)
  assert.equal(replay.statusCode, 200, replay.body)
  assert.equal(replay.json().order_id, first.json().order_id, 'the same order, not a second one')
  assert.deepEqual(warned(replay.json()), ['body._', 'body.password'], 'the replay names its own ignored fields')
  const bare = await post(env, u, ORDER, newServer(u), key)
  assert.equal(bare.json().order_id, first.json().order_id)
  assert.equal(bare.json().warnings, undefined)
  const other = await post(env, u, ORDER, newServer(u, { name_server: 'another' }), key)
  assert.equal(other.statusCode, 422)
  assert.equal(other.json().error.code, 'idempotency_key_mismatch')
  assert.equal((await env.deps.db.selectFrom('orders').select('id').where('user_id', '=', u.id).execute()).length, 1)
})

test('STRICT_UNKNOWN_FIELDS=true: the same requests are 400 unknown_field, nothing written', async () => {
  const u = await strict.user('100.00')
  for (const [field, value] of Object.entries(OTHER_PAGES)) {
    const res = await post(strict, u, ORDER, newServer(u, { [field]: value }))
    assert.equal(res.statusCode, 400, res.body)
    assert.equal(res.json().error.code, 'unknown_field')
    assert.equal(res.json().error.field, field)
    assert.equal(res.json().message, `unknown field '${field}' in body`)
  }
  for (const field of ['__proto__', 'constructor']) {
    const res = await strict.request({
      url: ORDER,
      key: u.key,
      rawBody: JSON.stringify(newServer(u)).slice(0, -1) + `,"${field}":{"isAdmin":true}}`,
    })
    assert.equal(res.json().error.code, 'unknown_field')
    assert.equal(res.json().error.field, field)
  }
  const buster = await get(strict, '/API/info_user?_=1')
  assert.equal(buster.statusCode, 400)
  assert.equal(buster.json().error.code, 'unknown_field')
  const form = await strict.app.inject({
    method: 'POST',
    url: ORDER,
    headers: { 'x-api-key': u.key, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `user_id=${u.id}&plan_id=5&os_image_id=13&location=Slovenia&versions=1`,
  })
  assert.equal(form.json().error.code, 'unknown_field')
  assert.equal((await strict.deps.db.selectFrom('orders').select('id').where('user_id', '=', u.id).execute()).length, 0)
  assert.equal((await post(strict, u, ORDER, newServer(u))).statusCode, 200, 'a body without unknown fields works')
})

test('ignored fields are logged at info with their names, never their values', async () => {
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l))
      cb()
    },
  })
  const db = await freshDb()
  const config = loadConfig([], {
    DATA_DIR: 'memory://',
    FAKE_PROVIDERS: 'true',
    PROVISION_DEADLINE_MS: '0',
    IN_PROCESS_WORKER: 'false',
    RATE_LIMIT_PER_SECOND: '0',
  })
  let built: Built | undefined
  try {
    built = await buildOxbill(config, { logger: pino({ level: 'info' }, sink), clock: new TestClock(), db })
    await seedDemo(built.deps.db, built.deps.secretBox)
    const res = await built.app.inject({
      method: 'GET',
      url: '/API/info_user?secret_param=SENTINEL-VALUE-123&_=1',
      headers: { 'x-api-key': DEMO_API_KEY },
    })
    assert.equal(res.statusCode, 200, res.body)
    const logged = lines.filter(l => l.msg === 'unknown fields ignored')
    assert.equal(logged.length, 1)
    assert.equal(logged[0]!.level, 30, 'info')
    assert.deepEqual(logged[0]!.ignored_fields, ['query.secret_param', 'query._'])
    assert.ok(
      !JSON.stringify(logged).includes('SENTINEL-VALUE-123'),
      "no value in the line (Fastify's own request line logs the URL)",
    )
    // A body is never logged: its ignored values appear nowhere.
    const order = await built.app.inject({
      method: 'POST',
      url: '/API/services/auto_renew',
      headers: { 'x-api-key': DEMO_API_KEY, 'content-type': 'application/json' },
      payload: JSON.stringify({ server_id: DEMO_SERVER_ID, auto_renew: '0', password: 'BODY-SENTINEL-456' }),
    })
    assert.equal(order.statusCode, 200, order.body)
    const second = lines.filter(l => l.msg === 'unknown fields ignored')
    assert.deepEqual(
      second.map(l => l.ignored_fields),
      [['query.secret_param', 'query._'], ['body.password']],
    )
    assert.ok(!JSON.stringify(lines).includes('BODY-SENTINEL-456'), 'no body value in any log line')
  } finally {
    await built?.close()
    await db.drop()
  }
})
