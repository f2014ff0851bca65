import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { adjustBalance } from '../../src/domain/billing/adjust-balance.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
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

function post(u: User, body: unknown, idempotencyKey?: string, url = ORDER) {
  return env.request({
    url,
    key: u.key,
    body,
    headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
  })
}

/** What a user has in the database: orders, ledger rows by kind, balance, and their key rows. */
async function state(u: User) {
  const db = env.deps.db
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'status', 'amount_cents'])
    .where('user_id', '=', u.id)
    .orderBy('created_at')
    .execute()
  const ledger = await db
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents', 'order_id'])
    .where('user_id', '=', u.id)
    .orderBy('created_at')
    .execute()
  const user = await db.selectFrom('users').select('balance_cents').where('id', '=', u.id).executeTakeFirstOrThrow()
  const keys = await db.selectFrom('idempotency_keys').selectAll().where('api_key_id', '=', u.keyId).execute()
  const jobs = await db
    .selectFrom('jobs')
    .select('id')
    .where('order_id', 'in', orders.length > 0 ? orders.map(o => o.id) : ['-'])
    .execute()
  return {
    orders,
    debits: ledger.filter(l => l.kind === 'order_debit'),
    ledger,
    balance: user.balance_cents,
    keys,
    jobs,
  }
}

/** The first response as a replay must show it: the root password is not shown twice. */
function redacted(body: Record<string, any>) {
  return { ...body, password: null, server_status: { ...body.server_status, metadata: '' } }
}

test('a key replayed sequentially returns the first status and body, with the root password hidden; one order, one debit', async () => {
  const u = await env.user('100.00')
  const key = randomUUID()
  const first = await post(u, newServer(u, { name_server: 'idem-1' }), key)
  assert.equal(first.statusCode, 200, first.body)
  const b1 = first.json()
  assert.equal(b1.success, true)
  assert.equal(b1.status, 'completed')
  assert.equal(b1.amount, 12.99)
  assert.equal(b1.balance_before, '100.00')
  assert.match(b1.password, /^\S{12,}$/)
  assert.equal(b1.server_status.metadata, `password=${b1.password}`)

  for (let i = 0; i < 3; i++) {
    const again = await post(u, newServer(u, { name_server: 'idem-1' }), key)
    assert.equal(again.statusCode, 200)
    assert.deepEqual(again.json(), redacted(b1))
    assert.equal(again.body, JSON.stringify(redacted(b1)), 'same bytes, same field order')
    assert.ok(!again.body.includes(b1.password), 'the password never appears in a replay')
  }

  const s = await state(u)
  assert.equal(s.orders.length, 1)
  assert.equal(s.orders[0]!.id, b1.order_id)
  assert.equal(s.debits.length, 1)
  assert.equal(s.debits[0]!.delta_cents, -1299n)
  assert.equal(s.balance, 10000n - 1299n)
  assert.equal(s.jobs.length, 1)
  assert.equal(s.keys.length, 1)
  assert.equal(s.keys[0]!.state, 'done')
  assert.equal(s.keys[0]!.order_id, b1.order_id)
  assert.equal(s.keys[0]!.response_status, 200)
  assert.ok(!JSON.stringify(s.keys[0]!.response_body).includes(b1.password), 'the stored response holds no password')
})

test('an extension replayed returns exactly the first body and debits once', async () => {
  const u = await env.user('100.00')
  const created = await post(u, newServer(u))
  assert.equal(created.statusCode, 200, created.body)
  const serverId = created.json().server_status.new_id as string
  const key = randomUUID()
  const body = { user_id: u.id, server_id: serverId, hours: '24' }
  const first = await post(u, body, key)
  assert.equal(first.statusCode, 200, first.body)
  assert.equal(first.json().amount, 0.44)
  assert.equal(first.json().type, 'renew_server')
  const again = await post(u, body, key)
  assert.equal(again.statusCode, 200)
  assert.equal(again.body, first.body)
  const s = await state(u)
  assert.equal(s.orders.length, 2)
  assert.deepEqual(
    s.debits.map(d => d.delta_cents),
    [-1299n, -44n],
  )
  assert.equal(s.balance, 10000n - 1299n - 44n)
})

test('the same key with another body is refused with 422 idempotency_key_mismatch, and nothing is written', async () => {
  const u = await env.user('100.00')
  const key = randomUUID()
  const first = await post(u, newServer(u, { name_server: 'mismatch-a' }), key)
  assert.equal(first.statusCode, 200, first.body)
  const before = await state(u)

  const other = await post(u, newServer(u, { name_server: 'mismatch-b' }), key)
  assert.equal(other.statusCode, 422)
  const e = other.json()
  assert.equal(e.success, false)
  assert.equal(e.error.code, 'idempotency_key_mismatch')
  assert.equal(e.message, 'This Idempotency-Key was used with a different request; use a new key for a new request')
  assert.equal(e.error.request_id, other.headers['x-request-id'])

  // the same key on another endpoint is another request too
  const elsewhere = await post(
    u,
    { user_id: u.id, addon_id: 'addon12345-6789-0123-4567-890123456789', server_id: first.json().server_status.new_id },
    key,
    '/API/orders/create_order_addon',
  )
  assert.equal(elsewhere.statusCode, 422)
  assert.equal(elsewhere.json().error.code, 'idempotency_key_mismatch')

  assert.deepEqual(await state(u), before)
  // the first body still replays
  const replay = await post(u, newServer(u, { name_server: 'mismatch-a' }), key)
  assert.equal(replay.statusCode, 200)
  assert.equal(replay.json().order_id, first.json().order_id)
})

test('the order of keys in the JSON body does not matter', async () => {
  const u = await env.user('100.00')
  const key = randomUUID()
  const first = await env.request({
    url: ORDER,
    key: u.key,
    headers: { 'idempotency-key': key },
    rawBody: `{"user_id":"${u.id}","plan_id":"5","os_image_id":"13","location":"Slovenia","name_server":"order-a"}`,
  })
  assert.equal(first.statusCode, 200, first.body)
  const second = await env.request({
    url: ORDER,
    key: u.key,
    headers: { 'idempotency-key': key },
    rawBody: `{ "name_server": "order-a", "location": "Slovenia",\n "os_image_id": "13", "plan_id": "5", "user_id": "${u.id}" }`,
  })
  assert.equal(second.statusCode, 200, second.body)
  assert.equal(second.json().order_id, first.json().order_id)
  assert.deepEqual(second.json(), redacted(first.json()))
  const s = await state(u)
  assert.equal(s.orders.length, 1)
  assert.equal(s.debits.length, 1)
})

test('keys are scoped to the API key: two users with one key string each get their own order', async () => {
  const a = await env.user('100.00')
  const b = await env.user('100.00')
  const key = 'shared-key-0001'
  const ra = await post(a, newServer(a), key)
  const rb = await post(b, newServer(b), key)
  assert.equal(ra.statusCode, 200, ra.body)
  assert.equal(rb.statusCode, 200, rb.body)
  assert.notEqual(ra.json().order_id, rb.json().order_id)
  assert.equal(typeof rb.json().password, 'string', "b sees its own fresh order, not a replay of a's")
  const sa = await state(a)
  const sb = await state(b)
  assert.deepEqual(
    sa.orders.map(o => o.id),
    [ra.json().order_id],
  )
  assert.deepEqual(
    sb.orders.map(o => o.id),
    [rb.json().order_id],
  )
  assert.equal(sa.balance, 8701n)
  assert.equal(sb.balance, 8701n)
  // and a replay for each stays with its owner
  const again = await post(b, newServer(b), key)
  assert.equal(again.json().order_id, rb.json().order_id)
})

test('a 402 is pinned to its key: after a top-up the key still answers 402, a new key succeeds', async () => {
  const u = await env.user('5.00')
  const key = randomUUID()
  const first = await post(u, newServer(u), key)
  assert.equal(first.statusCode, 402)
  const e1 = first.json()
  assert.equal(e1.error.code, 'insufficient_balance')
  assert.equal(e1.message, 'Insufficient balance: 12.99 EUR required, 5.00 EUR available')
  assert.equal(e1.error.required, '12.99')
  assert.equal(e1.error.available, '5.00')
  const afterFirst = await state(u)
  assert.equal(afterFirst.orders.length, 0)
  assert.equal(afterFirst.balance, 500n)
  assert.equal(afterFirst.keys.length, 1)
  assert.equal(afterFirst.keys[0]!.state, 'done')
  assert.equal(afterFirst.keys[0]!.response_status, 402)

  await adjustBalance(env.deps.db, { userId: u.id, amount: '100.00', reason: 'test top-up', actor: 'test' })
  const pinned = await post(u, newServer(u), key)
  assert.equal(pinned.statusCode, 402)
  const e2 = pinned.json()
  assert.deepEqual(
    { ...e2, error: { ...e2.error, request_id: 'x' } },
    { ...e1, error: { ...e1.error, request_id: 'x' } },
  )
  assert.equal(e2.error.request_id, pinned.headers['x-request-id'])
  assert.equal((await state(u)).orders.length, 0)

  const fresh = await post(u, newServer(u), randomUUID())
  assert.equal(fresh.statusCode, 200, fresh.body)
  const s = await state(u)
  assert.equal(s.orders.length, 1)
  assert.equal(s.balance, 500n + 10000n - 1299n)
})

test('a key whose request is still running answers 409 idempotency_key_in_use, writing nothing', async () => {
  const u = await env.user('100.00')
  const body = newServer(u, { name_server: 'running' })
  const done = await post(u, body, 'k-done')
  assert.equal(done.statusCode, 200, done.body)
  const row = await env.deps.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('api_key_id', '=', u.keyId)
    .where('key', '=', 'k-done')
    .executeTakeFirstOrThrow()
  // Another key for the same request, held by a request that is still running (its lease is in the future).
  await env.deps.db
    .insertInto('idempotency_keys')
    .values({
      api_key_id: u.keyId,
      key: 'k-running',
      fingerprint: row.fingerprint,
      state: 'running',
      order_id: done.json().order_id,
      lease_until: new Date(Date.now() + 60_000),
    })
    .execute()
  const before = await state(u)

  const res = await post(u, body, 'k-running')
  assert.equal(res.statusCode, 409)
  const e = res.json()
  assert.equal(e.success, false)
  assert.equal(e.error.code, 'idempotency_key_in_use')
  assert.equal(e.message, 'A request with this Idempotency-Key is in progress; retry later')
  assert.deepEqual(await state(u), before)
})

test('crash recovery: a key left running by a request that died after commit is taken over and answers that order', async () => {
  const u = await env.user('100.00')
  const body = newServer(u, { name_server: 'crashed' })
  const key = randomUUID()
  const first = await post(u, body, key)
  assert.equal(first.statusCode, 200, first.body)
  // As if the process died between the commit and storing the response.
  await env.deps.db
    .updateTable('idempotency_keys')
    .set({ state: 'running', lease_until: new Date(Date.now() - 1000), response_body: null, response_status: null })
    .where('api_key_id', '=', u.keyId)
    .where('key', '=', key)
    .execute()

  const retry = await post(u, body, key)
  assert.equal(retry.statusCode, 200, retry.body)
  assert.deepEqual(retry.json(), redacted(first.json()))
  const s = await state(u)
  assert.equal(s.orders.length, 1)
  assert.equal(s.debits.length, 1)
  assert.equal(s.balance, 8701n)
  assert.equal(s.keys.length, 1)
  assert.equal(s.keys[0]!.state, 'done')
  assert.equal(s.keys[0]!.response_status, 200)
  assert.deepEqual(s.keys[0]!.response_body, retry.json())

  const third = await post(u, body, key)
  assert.equal(third.statusCode, 200)
  assert.equal(third.body, retry.body)
})

test('crash recovery of an order whose provisioning never ran: the retry answers it as it stands', async () => {
  const u = await env.user('100.00')
  const body = newServer(u, { name_server: 'crashed-early' })
  const key = randomUUID()
  const first = await post(u, body, key)
  assert.equal(first.statusCode, 200, first.body)
  const orderId = first.json().order_id as string
  await env.deps.db
    .updateTable('idempotency_keys')
    .set({ state: 'running', lease_until: new Date(Date.now() - 1), response_body: null, response_status: null })
    .where('api_key_id', '=', u.keyId)
    .where('key', '=', key)
    .execute()
  await env.deps.db.updateTable('orders').set({ status: 'processing' }).where('id', '=', orderId).execute()
  const retry = await post(u, body, key)
  assert.equal(retry.statusCode, 200, retry.body)
  assert.equal(retry.json().order_id, orderId)
  assert.equal(retry.json().status, 'processing')
  assert.equal(retry.json().password, null)
  assert.equal((await state(u)).orders.length, 1)
  await env.deps.db.updateTable('orders').set({ status: 'completed' }).where('id', '=', orderId).execute()
})

test('concurrent requests with one key place one order: the others replay it or get 409', async () => {
  const u = await env.user('100.00')
  const key = randomUUID()
  const body = newServer(u, { name_server: 'concurrent' })
  const results = await Promise.all([0, 1, 2, 3].map(() => post(u, body, key)))
  const ok = results.filter(r => r.statusCode === 200)
  assert.ok(ok.length >= 1, results.map(r => r.statusCode).join(','))
  for (const r of results) {
    assert.ok(
      r.statusCode === 200 || (r.statusCode === 409 && r.json().error.code === 'idempotency_key_in_use'),
      `${r.statusCode} ${r.body}`,
    )
  }
  assert.equal(new Set(ok.map(r => r.json().order_id)).size, 1)
  assert.equal(ok.filter(r => r.json().password !== null).length, 1, 'the password is shown to exactly one response')
  const s = await state(u)
  assert.equal(s.orders.length, 1)
  assert.equal(s.debits.length, 1)
  assert.equal(s.balance, 8701n)
})

test('Idempotency-Key must be 1-255 printable ASCII characters; a bad one is a 400 that writes nothing', async () => {
  const u = await env.user('100.00')
  const before = await state(u)
  for (const bad of ['', 'x'.repeat(256), 'schlüssel', 'ключ', 'two words', 'tab\there']) {
    const res = await env.app.inject({
      method: 'POST',
      url: ORDER,
      headers: {
        'x-api-key': u.key,
        'content-type': 'application/json',
        'idempotency-key': Buffer.from(bad, 'utf8').toString('latin1'),
      },
      payload: JSON.stringify(newServer(u)),
    })
    assert.equal(res.statusCode, 400, `${JSON.stringify(bad)}: ${res.body}`)
    const e = res.json()
    assert.equal(e.error.code, 'validation_error')
    assert.equal(e.error.field, 'Idempotency-Key')
    assert.equal(e.message, 'Idempotency-Key must be 1-255 printable ASCII characters without spaces')
  }
  assert.deepEqual(await state(u), before)
  const longest = await post(u, newServer(u), 'k'.repeat(255))
  assert.equal(longest.statusCode, 200, longest.body)
  assert.equal((await state(u)).keys[0]!.key, 'k'.repeat(255))
})

test('failures before the order runs are not stored: the same key then works', async () => {
  const u = await env.user('100.00')
  const key = randomUUID()
  const invalid = await post(u, { user_id: u.id, plan_id: '5', location: 'Slovenia' }, key)
  assert.equal(invalid.statusCode, 400)
  assert.equal(invalid.json().error.code, 'validation_error')
  const unknownPlan = await post(u, newServer(u, { plan_id: '999' }), key)
  assert.equal(unknownPlan.statusCode, 404)
  assert.equal(unknownPlan.json().error.code, 'not_found')
  assert.equal((await state(u)).keys.length, 0)

  const ok = await post(u, newServer(u), key)
  assert.equal(ok.statusCode, 200, ok.body)
  const s = await state(u)
  assert.equal(s.orders.length, 1)
  assert.equal(s.keys.length, 1)
})
