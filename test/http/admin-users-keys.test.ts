/**
 * Admin API: users, API keys and balance adjustments. Happy paths, error tables and security
 * (customer key → 403 and nothing changes, no or bad key → 401), and the audit trail: every write
 * leaves one audit_log row whose actor is the acting key and whose request_id is the response's.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { waitFor } from '../wait.ts'

let env: TestEnv
let admin: { id: string; key: string; keyId: string }
before(async () => {
  env = await startTestEnv()
  admin = await env.user('0.00', true)
})
after(async () => {
  await env.close()
})

const db = () => env.deps.db
type Req = { method?: string; url: string; body?: unknown; headers?: Record<string, string> }
const as = (key: string | undefined, r: Req) =>
  env.request({ method: r.method ?? 'GET', url: r.url, body: r.body, key, headers: r.headers })
const asAdmin = (r: Req) => as(admin.key, r)

/** The audit rows a response's request wrote, checked to name the acting key. */
async function audited(res: LightMyRequestResponse, actorKeyId = admin.keyId) {
  const requestId = String(res.headers['x-request-id'])
  assert.match(requestId, /^req_/)
  const rows = await db().selectFrom('audit_log').selectAll().where('request_id', '=', requestId).execute()
  for (const r of rows) assert.equal(r.actor, actorKeyId)
  return rows
}

/** Everything these routes could change, to prove a refused request changed nothing. */
async function fingerprint(): Promise<string> {
  const d = db()
  const all = {
    users: await d.selectFrom('users').select(['id', 'balance_cents', 'is_active', 'email']).orderBy('id').execute(),
    keys: await d.selectFrom('api_keys').select(['id', 'revoked_at', 'scopes']).orderBy('id').execute(),
    ledger: await d.selectFrom('ledger_entries').select('id').orderBy('id').execute(),
    audit: await d.selectFrom('audit_log').select('id').orderBy('id').execute(),
  }
  return JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}

/** Runs an error table: each request gets its status and code (and field), and changes nothing. */
async function expectErrors(cases: Array<[string, Req, number, string, string?]>) {
  for (const [name, req, status, code, field] of cases) {
    const before = await fingerprint()
    const res = await asAdmin(req)
    assert.equal(res.statusCode, status, `${name}: ${res.body}`)
    assert.equal(res.json().error.code, code, name)
    if (field !== undefined) assert.equal(res.json().error.field, field, name)
    assert.equal(await fingerprint(), before, `${name} changed state`)
  }
}

const balanceOf = async (id: string) =>
  (await db().selectFrom('users').select('balance_cents').where('id', '=', id).executeTakeFirstOrThrow()).balance_cents
const ledgerSum = async (id: string) =>
  (await db().selectFrom('ledger_entries').select('delta_cents').where('user_id', '=', id).execute()).reduce(
    (s, r) => s + r.delta_cents,
    0n,
  )
/** A key is accepted when an admin route answers 403 (authenticated, not admin) rather than 401. */
const authenticates = async (key: string) => (await as(key, { url: '/API/admin/users' })).statusCode !== 401

test('create a user: opening balance as a ledger entry by the acting key, a first key shown once, one audit row', async () => {
  const res = await asAdmin({
    method: 'POST',
    url: '/API/admin/users',
    body: { email: 'Alice@Example.COM', username: 'alice', balance: '25.50' },
  })
  assert.equal(res.statusCode, 201, res.body)
  const b = res.json()
  assert.equal(b.success, true)
  assert.deepEqual(Object.keys(b.user).sort(), [
    'balance',
    'created_at',
    'email',
    'email_verified',
    'id',
    'is_active',
    'telegram',
    'updated_at',
    'username',
  ])
  assert.equal(b.user.email, 'alice@example.com')
  assert.equal(b.user.username, 'alice')
  assert.equal(b.user.balance, '25.50')
  assert.equal(b.user.is_active, true)
  assert.match(b.api_key.key, /^oxb_[0-9a-f]{64}$/)
  assert.ok(b.api_key.key.startsWith(b.api_key.prefix))
  assert.deepEqual(b.api_key.scopes, [])
  // Only the hash is stored: the key itself appears nowhere in the database.
  const stored = await db().selectFrom('api_keys').selectAll().where('id', '=', b.api_key.id).executeTakeFirstOrThrow()
  assert.notEqual(stored.key_hash, b.api_key.key)
  assert.equal(JSON.stringify(await db().selectFrom('audit_log').selectAll().execute()).includes(b.api_key.key), false)
  // The new key authenticates, as a customer key.
  assert.equal((await as(b.api_key.key, { url: '/API/admin/users' })).statusCode, 403)

  const ledger = await db().selectFrom('ledger_entries').selectAll().where('user_id', '=', b.user.id).execute()
  assert.equal(ledger.length, 1)
  assert.equal(ledger[0]!.delta_cents, 2550n)
  assert.equal(ledger[0]!.actor, admin.keyId)
  const audit = await audited(res)
  assert.deepEqual(
    audit.map(a => [a.action, a.target_type, a.target_id]),
    [['user.create', 'user', b.user.id]],
  )

  const one = await asAdmin({ url: `/API/admin/users/${b.user.id}` })
  assert.equal(one.statusCode, 200)
  assert.deepEqual(one.json().user, { ...b.user, active_keys: 1 })
})

test('create a user: error table', async () => {
  await asAdmin({ method: 'POST', url: '/API/admin/users', body: { email: 'taken@example.com' } })
  const cases: Array<[string, unknown, number, string, string?]> = [
    ['missing email', {}, 400, 'validation_error', 'email'],
    ['not an email', { email: 'nope' }, 400, 'validation_error', 'email'],
    ['email taken (case-insensitive)', { email: 'TAKEN@example.com' }, 409, 'conflict', 'email'],
    ['negative balance', { email: 'n@example.com', balance: '-1.00' }, 400, 'validation_error', 'balance'],
    ['three decimals', { email: 'n@example.com', balance: '1.001' }, 400, 'validation_error', 'balance'],
    ['balance as number', { email: 'n@example.com', balance: 10 }, 400, 'validation_error', 'balance'],
    ['empty username', { email: 'n@example.com', username: '' }, 400, 'validation_error', 'username'],
    ['unknown field', { email: 'n@example.com', admin: true }, 400, 'unknown_field', 'admin'],
    ['not an object', [], 400, 'validation_error'],
  ]
  await expectErrors(
    cases.map(([name, body, status, code, field]) => [
      name,
      { method: 'POST', url: '/API/admin/users', body },
      status,
      code,
      field,
    ]),
  )
  const idem = await asAdmin({
    method: 'POST',
    url: '/API/admin/users',
    body: { email: 'idem@example.com' },
    headers: { 'idempotency-key': 'k1' },
  })
  assert.equal(idem.statusCode, 400, 'admin writes refuse Idempotency-Key rather than pretend to honour it')
  assert.equal(idem.json().error.field, 'Idempotency-Key')
})

test('list users: email substring (wildcards literal), active filter, paging, query validation', async () => {
  const tag = `lst${Date.now()}`
  for (const e of [`${tag}.a@example.com`, `${tag}.b@example.com`, `${tag}_c@example.com`]) {
    assert.equal((await asAdmin({ method: 'POST', url: '/API/admin/users', body: { email: e } })).statusCode, 201)
  }
  const all = await asAdmin({ url: `/API/admin/users?email=${tag.toUpperCase()}&per_page=2` })
  assert.equal(all.statusCode, 200, all.body)
  assert.deepEqual(all.json().meta, { total: 3, page: 1, per_page: 2, pages: 2 })
  assert.equal(all.json().data[0].email, `${tag}_c@example.com`, 'newest first')
  const page2 = await asAdmin({ url: `/API/admin/users?email=${tag}&per_page=2&page=2` })
  assert.equal(page2.json().data.length, 1)
  // "_" is a LIKE wildcard; here it matches only itself.
  const underscore = await asAdmin({ url: `/API/admin/users?email=${tag}_` })
  assert.deepEqual(
    underscore.json().data.map((u: { email: string }) => u.email),
    [`${tag}_c@example.com`],
  )

  const victim = all.json().data[1]
  await asAdmin({ method: 'POST', url: `/API/admin/users/${victim.id}/deactivate` })
  const inactive = await asAdmin({ url: `/API/admin/users?email=${tag}&active=false` })
  assert.deepEqual(
    inactive.json().data.map((u: { id: string }) => u.id),
    [victim.id],
  )
  assert.equal((await asAdmin({ url: `/API/admin/users?email=${tag}&active=true` })).json().meta.total, 2)

  for (const q of ['active=yes', 'per_page=101', 'page=0', 'per_page=abc', 'sort=email', 'email=']) {
    const res = await asAdmin({ url: `/API/admin/users?${q}` })
    assert.equal(res.statusCode, 400, `${q}: ${res.body}`)
  }
  assert.equal((await asAdmin({ url: '/API/admin/users/no-such-user' })).statusCode, 404)
})

test("deactivate: the user's keys (admin ones too) get 401 at once; repeating is a no-op; reactivate restores them", async () => {
  const u = await env.user('5.00')
  assert.equal(await authenticates(u.key), true)
  const res = await asAdmin({ method: 'POST', url: `/API/admin/users/${u.id}/deactivate` })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().changed, true)
  assert.equal(res.json().user.is_active, false)
  assert.deepEqual(
    (await audited(res)).map(a => [a.action, a.target_id]),
    [['user.deactivate', u.id]],
  )
  assert.equal(await authenticates(u.key), false)
  assert.equal(await balanceOf(u.id), 500n, 'balance untouched')

  const again = await asAdmin({ method: 'POST', url: `/API/admin/users/${u.id}/deactivate` })
  assert.equal(again.json().changed, false)
  assert.deepEqual(await audited(again), [], 'a no-op writes no audit row')

  const back = await asAdmin({ method: 'POST', url: `/API/admin/users/${u.id}/reactivate` })
  assert.equal(back.statusCode, 200)
  assert.equal(back.json().user.is_active, true)
  assert.deepEqual(
    (await audited(back)).map(a => a.action),
    ['user.reactivate'],
  )
  assert.equal(await authenticates(u.key), true)

  const self = await asAdmin({ method: 'POST', url: `/API/admin/users/${admin.id}/deactivate` })
  assert.equal(self.statusCode, 409, 'an operator cannot lock themselves out')
  assert.equal((await asAdmin({ method: 'POST', url: '/API/admin/users/nobody/deactivate' })).statusCode, 404)
  // An admin key is no exception: its user's deactivation ends it too.
  const other = await env.user('0.00', true)
  await asAdmin({ method: 'POST', url: `/API/admin/users/${other.id}/deactivate` })
  assert.equal((await as(other.key, { url: '/API/admin/users' })).statusCode, 401)
})

test('keys: issue (admin or customer, shown once), list without secrets, revoke → the next request is 401', async () => {
  const u = await env.user('0.00')
  const issued = await asAdmin({
    method: 'POST',
    url: `/API/admin/users/${u.id}/keys`,
    body: { scopes: ['admin'], name: 'ops laptop' },
  })
  assert.equal(issued.statusCode, 201, issued.body)
  const k = issued.json()
  assert.match(k.api_key, /^oxb_/)
  assert.deepEqual(k.key.scopes, ['admin'])
  assert.equal(k.key.name, 'ops laptop')
  assert.deepEqual(
    (await audited(issued)).map(a => [a.action, a.target_id, (a.details as { user_id: string }).user_id]),
    [['key.create', k.key.id, u.id]],
  )
  assert.equal((await as(k.api_key, { url: '/API/admin/users' })).statusCode, 200, 'the new admin key works')

  const plain = await asAdmin({ method: 'POST', url: `/API/admin/users/${u.id}/keys`, body: {} })
  assert.equal(plain.statusCode, 201)
  assert.deepEqual(plain.json().key.scopes, [])
  assert.equal(
    (await as(plain.json().api_key, { url: '/API/admin/users' })).statusCode,
    403,
    'a key without scopes is a customer key',
  )

  const list = await asAdmin({ url: `/API/admin/users/${u.id}/keys` })
  assert.equal(list.statusCode, 200)
  const keys = list.json().data as Array<Record<string, unknown>>
  assert.equal(keys.length, 3)
  for (const row of keys) {
    assert.deepEqual(Object.keys(row).sort(), [
      'created_at',
      'id',
      'last_used_at',
      'loopback_only',
      'name',
      'prefix',
      'revoked_at',
      'scopes',
      'user_id',
    ])
  }
  assert.equal(list.body.includes(k.api_key), false)
  assert.equal(list.body.includes(plain.json().api_key), false)
  assert.equal(/key_hash|[0-9a-f]{64}/.test(list.body), false, 'no hash or secret in the listing')

  const revoke = await asAdmin({ method: 'POST', url: `/API/admin/keys/${k.key.id}/revoke` })
  assert.equal(revoke.statusCode, 200, revoke.body)
  assert.equal(revoke.json().changed, true)
  assert.notEqual(revoke.json().key.revoked_at, null)
  assert.deepEqual(
    (await audited(revoke)).map(a => [a.action, a.target_id]),
    [['key.revoke', k.key.id]],
  )
  assert.equal((await as(k.api_key, { url: '/API/admin/users' })).statusCode, 401, 'revoked: its next request fails')
  assert.equal(await authenticates(plain.json().api_key), true, 'other keys of the user keep working')
  const again = await asAdmin({ method: 'POST', url: `/API/admin/keys/${k.key.id}/revoke` })
  assert.equal(again.json().changed, false)
  assert.deepEqual(await audited(again), [])
  const after = (await asAdmin({ url: `/API/admin/users/${u.id}/keys` }))
    .json()
    .data.find((r: { id: string }) => r.id === k.key.id)
  assert.notEqual(after.revoked_at, null)
})

test('keys: error table', async () => {
  const u = await env.user('0.00')
  const issue = (body?: unknown): Req => ({ method: 'POST', url: `/API/admin/users/${u.id}/keys`, body })
  const cases: Array<[string, Req, number, string]> = [
    ['unknown scope', issue({ scopes: ['root'] }), 400, 'validation_error'],
    ['scope twice', issue({ scopes: ['admin', 'admin'] }), 400, 'validation_error'],
    ['scopes not an array', issue({ scopes: 'admin' }), 400, 'validation_error'],
    ['unknown field', issue({ loopback_only: true }), 400, 'unknown_field'],
    ['no body', issue(), 400, 'validation_error'],
    ['unknown user', { method: 'POST', url: '/API/admin/users/nobody/keys', body: {} }, 404, 'not_found'],
    ['bad user id', { method: 'POST', url: '/API/admin/users/a%20b/keys', body: {} }, 400, 'validation_error'],
    ['list for unknown user', { url: '/API/admin/users/nobody/keys' }, 404, 'not_found'],
    ['revoke unknown key', { method: 'POST', url: '/API/admin/keys/key_nope/revoke' }, 404, 'not_found'],
    ['revoke the acting key', { method: 'POST', url: `/API/admin/keys/${admin.keyId}/revoke` }, 409, 'invalid_state'],
  ]
  await expectErrors(cases)
})

test('balance adjustments: credit and debit with a reason by the acting key; never below zero (402); ledger paged', async () => {
  const u = await env.user('10.00')
  const credit = await asAdmin({
    method: 'POST',
    url: '/API/admin/balance-adjustments',
    body: { user_id: u.id, amount: '15.25', reason: 'goodwill for outage #42' },
  })
  assert.equal(credit.statusCode, 201, credit.body)
  assert.equal(credit.json().balance, '25.25')
  const entry = credit.json().entry
  assert.deepEqual(
    { ...entry, id: undefined, created_at: undefined },
    {
      id: undefined,
      created_at: undefined,
      user_id: u.id,
      amount: '15.25',
      balance_after: '25.25',
      kind: 'adjustment',
      reason: 'goodwill for outage #42',
      actor: admin.keyId,
      order_id: null,
      payment_id: null,
    },
  )
  const audit = await audited(credit)
  assert.deepEqual(
    audit.map(a => [a.action, a.target_id, a.details]),
    [['balance.adjust', u.id, { amount: '15.25', reason: 'goodwill for outage #42' }]],
  )

  const debit = await asAdmin({
    method: 'POST',
    url: '/API/admin/balance-adjustments',
    body: { user_id: u.id, amount: '-25.25', reason: 'chargeback' },
  })
  assert.equal(debit.statusCode, 201, debit.body)
  assert.equal(debit.json().balance, '0.00')
  assert.equal(debit.json().entry.amount, '-25.25')

  const before = await fingerprint()
  const over = await asAdmin({
    method: 'POST',
    url: '/API/admin/balance-adjustments',
    body: { user_id: u.id, amount: '-0.01', reason: 'one cent too far' },
  })
  assert.equal(over.statusCode, 402, over.body)
  assert.equal(over.json().error.code, 'insufficient_balance')
  assert.equal(await fingerprint(), before, 'a refused debit writes no ledger entry and no audit row')
  assert.equal(await balanceOf(u.id), 0n)
  assert.equal(await ledgerSum(u.id), 0n)

  const ledger = await asAdmin({ url: `/API/admin/users/${u.id}/ledger?per_page=2` })
  assert.equal(ledger.statusCode, 200, ledger.body)
  assert.deepEqual(ledger.json().meta, { total: 3, page: 1, per_page: 2, pages: 2 })
  const amounts = [
    ...ledger.json().data,
    ...(await asAdmin({ url: `/API/admin/users/${u.id}/ledger?per_page=2&page=2` })).json().data,
  ].map((e: { amount: string }) => e.amount)
  assert.deepEqual(amounts.sort(), ['-25.25', '10.00', '15.25'])
})

test('balance adjustments: error table', async () => {
  const u = await env.user('1.00')
  const body = (over: Record<string, unknown>) => ({ user_id: u.id, amount: '1.00', reason: 'a reason', ...over })
  const cases: Array<[string, unknown, number, string]> = [
    ['zero', body({ amount: '0.00' }), 400, 'validation_error'],
    ['three decimals', body({ amount: '1.001' }), 400, 'validation_error'],
    ['a number', body({ amount: 1 }), 400, 'validation_error'],
    ['plus sign', body({ amount: '+1.00' }), 400, 'validation_error'],
    ['reason too short', body({ reason: 'no' }), 400, 'validation_error'],
    ['reason of spaces', body({ reason: '     ' }), 400, 'validation_error'],
    ['missing reason', { user_id: u.id, amount: '1.00' }, 400, 'validation_error'],
    ['unknown field', body({ kind: 'top_up' }), 400, 'unknown_field'],
    ['unknown user', body({ user_id: 'nobody' }), 404, 'not_found'],
  ]
  await expectErrors(
    cases.map(([name, b, status, code]) => [
      name,
      { method: 'POST', url: '/API/admin/balance-adjustments', body: b },
      status,
      code,
    ]),
  )
  assert.equal((await asAdmin({ url: '/API/admin/users/nobody/ledger' })).statusCode, 404)
})

test('security: a customer key gets 403 on every route here and changes nothing; no key or a bad key gets 401', async () => {
  const customer = await env.user('50.00')
  const victim = await env.user('20.00')
  const victimKey = (
    await db().selectFrom('api_keys').select('id').where('user_id', '=', victim.id).executeTakeFirstOrThrow()
  ).id
  const routes: Req[] = [
    { method: 'POST', url: '/API/admin/users', body: { email: 'sneaky@example.com', balance: '1000.00' } },
    { url: '/API/admin/users' },
    { url: `/API/admin/users/${victim.id}` },
    { url: `/API/admin/users/${victim.id}/keys` },
    { method: 'POST', url: `/API/admin/users/${victim.id}/deactivate` },
    { method: 'POST', url: `/API/admin/users/${victim.id}/reactivate` },
    // A customer minting itself an admin key, or crediting its own balance, is the escalation to stop.
    { method: 'POST', url: `/API/admin/users/${customer.id}/keys`, body: { scopes: ['admin'] } },
    { method: 'POST', url: `/API/admin/keys/${victimKey}/revoke` },
    {
      method: 'POST',
      url: '/API/admin/balance-adjustments',
      body: { user_id: customer.id, amount: '1000.00', reason: 'free money' },
    },
    { url: `/API/admin/users/${victim.id}/ledger` },
  ]
  for (const r of routes) {
    const before = await fingerprint()
    const forbidden = await as(customer.key, r)
    assert.equal(forbidden.statusCode, 403, `${r.method ?? 'GET'} ${r.url}: ${forbidden.body}`)
    assert.equal(forbidden.json().error.code, 'forbidden')
    for (const key of [undefined, 'oxb_' + '0'.repeat(64), customer.key + 'x']) {
      const res = await as(key, r)
      assert.equal(res.statusCode, 401, `${r.method ?? 'GET'} ${r.url} with key ${String(key)}`)
      assert.equal(res.json().error.code, 'unauthorized')
    }
    assert.equal(await fingerprint(), before, `${r.method ?? 'GET'} ${r.url} changed state`)
  }
  assert.equal(await balanceOf(customer.id), 5000n)
})

test('a key records when it was last used, and the admin key list shows it', async () => {
  const u = await env.user('1.00')
  const before = await db()
    .selectFrom('api_keys')
    .select('last_used_at')
    .where('id', '=', u.keyId)
    .executeTakeFirstOrThrow()
  assert.equal(before.last_used_at, null)
  await env.request({ method: 'GET', url: '/API/balance', key: u.key })
  // Authentication writes last_used_at without holding up the request, so the row changes after the answer.
  let used = null as Date | null
  await waitFor(
    async () => {
      used = (
        await db().selectFrom('api_keys').select('last_used_at').where('id', '=', u.keyId).executeTakeFirstOrThrow()
      ).last_used_at
      return used !== null
    },
    { what: 'last_used_at to be written' },
  )
  assert.ok(used instanceof Date, 'last_used_at written')
  const list = await asAdmin({ url: `/API/admin/users/${u.id}/keys` })
  assert.equal(list.statusCode, 200, list.body)
  assert.notEqual(JSON.stringify(list.json()).match(/"last_used_at":"[^"]+"/), null)
})
