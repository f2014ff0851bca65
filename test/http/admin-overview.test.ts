/**
 * Admin API: overviews (orders, servers, Plesk subscriptions, jobs, audit log), the retry of a
 * failed job, and a sweep over every admin route in the OpenAPI document: declared schemas and
 * errors, 403 for a customer key and 401 without one, with no state change.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { waitFor } from '../wait.ts'
import { DEMO_USER_ID } from '../../src/seed/seed-demo.ts'

let env: TestEnv
let admin: { id: string; key: string; keyId: string }
before(async () => {
  env = await startTestEnv()
  admin = await env.user('0.00', true)
})
after(async () => {
  await env.close()
})
beforeEach(() => {
  env.providers.fakes.solusvm!.clearFaults()
})

const db = () => env.deps.db
type Req = { method?: string; url: string; body?: unknown }
type User = Awaited<ReturnType<TestEnv['user']>>
const as = (key: string | undefined, r: Req) =>
  env.request({ method: r.method ?? 'GET', url: r.url, body: r.body, key })
const asAdmin = (r: Req) => as(admin.key, r)
const ORDER = '/API/orders/create_order'

async function audited(res: LightMyRequestResponse) {
  const rows = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('request_id', '=', String(res.headers['x-request-id']))
    .execute()
  for (const r of rows) assert.equal(r.actor, admin.keyId)
  return rows
}

/** Every table an admin route could write, to prove a refused request changed nothing. */
async function fingerprint(): Promise<string> {
  const d = db()
  const tables = [
    'users',
    'api_keys',
    'ledger_entries',
    'orders',
    'servers',
    'plesk_subscriptions',
    'jobs',
    'job_secrets',
    'audit_log',
    'vps_plans',
    'os_images',
    'locations',
    'addons',
    'plesk_plans',
  ] as const
  const all: Record<string, unknown> = {}
  for (const t of tables) all[t] = await d.selectFrom(t).selectAll().execute()
  // last_used_at is bookkeeping that every authenticated request may touch, not a state change.
  return JSON.stringify(all, (k, v: unknown) =>
    k === 'last_used_at' ? undefined : typeof v === 'bigint' ? v.toString() : v,
  )
}

async function newServer(u: User, fault = false) {
  if (fault) env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: '/servers', fault: 'start-fail' })
  const res = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  return res.json<{ order_id: string; status: string; server_status: { new_id: string } }>()
}

const ids = (res: LightMyRequestResponse, field = 'id') =>
  (res.json().data as Array<Record<string, unknown>>).map(r => r[field])
const failedJobOf = (orderId: string) =>
  db().selectFrom('jobs').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow()
const balanceOf = async (id: string) =>
  (await db().selectFrom('users').select('balance_cents').where('id', '=', id).executeTakeFirstOrThrow()).balance_cents

test('orders: filter by user, type, status and date range; amounts as strings; no secrets', async () => {
  const t0 = new Date(Date.now() - 1000)
  const u1 = await env.user('100.00')
  const u2 = await env.user('100.00')
  const o1 = await newServer(u1)
  const ext = await env.request({
    url: ORDER,
    key: u1.key,
    body: { user_id: u1.id, server_id: o1.server_status.new_id, hours: '24' },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  const o2 = await newServer(u2, true)
  assert.equal(o2.status, 'failed')

  const mine = await asAdmin({ url: `/API/admin/orders?user_id=${u1.id}` })
  assert.equal(mine.statusCode, 200, mine.body)
  assert.deepEqual(ids(mine), [ext.json().order_id, o1.order_id], 'newest first')
  assert.equal(mine.json().data[1].amount, '12.99')
  assert.equal(mine.json().data[1].order_type, 'new_server')
  assert.equal(mine.body.includes('password'), false)
  assert.deepEqual(ids(await asAdmin({ url: `/API/admin/orders?user_id=${u1.id}&type=renew_server` })), [
    ext.json().order_id,
  ])
  assert.deepEqual(ids(await asAdmin({ url: `/API/admin/orders?user_id=${u2.id}&status=failed` })), [o2.order_id])
  assert.deepEqual(ids(await asAdmin({ url: `/API/admin/orders?user_id=${u2.id}&status=completed` })), [])
  assert.equal(
    (await asAdmin({ url: `/API/admin/orders?status=failed&type=new_server&from=${t0.toISOString()}` })).json().meta
      .total,
    1,
  )
  assert.equal(
    (await asAdmin({ url: `/API/admin/orders?user_id=${u1.id}&from=${encodeURIComponent(t0.toISOString())}` })).json()
      .meta.total,
    2,
  )
  assert.equal(
    (await asAdmin({ url: `/API/admin/orders?user_id=${u1.id}&to=${t0.toISOString()}` })).json().meta.total,
    0,
    'to is exclusive and before the orders',
  )
  assert.equal((await asAdmin({ url: `/API/admin/orders?user_id=${u1.id}&from=2999-01-01` })).json().meta.total, 0)
  const page = await asAdmin({ url: `/API/admin/orders?user_id=${u1.id}&per_page=1&page=2` })
  assert.deepEqual([ids(page), page.json().meta], [[o1.order_id], { total: 2, page: 2, per_page: 1, pages: 2 }])

  for (const [q, field] of [
    ['from=2024-02-30', 'from'],
    ['to=yesterday', 'to'],
    ['from=2024-02-02&to=2024-02-01', 'to'],
    ['type=bogus', 'type'],
    ['status=Failed', 'status'],
    ['user_id=a%20b', 'user_id'],
    ['per_page=0', 'per_page'],
  ] as const) {
    const res = await asAdmin({ url: `/API/admin/orders?${q}` })
    assert.equal(res.statusCode, 400, `${q}: ${res.body}`)
    assert.equal(res.json().error.field, field, q)
  }
  assert.equal((await asAdmin({ url: '/API/admin/orders?customer=x' })).json().error.code, 'unknown_field')
})

test('services: servers and Plesk subscriptions by user and status', async () => {
  const u = await env.user('100.00')
  const ok = await newServer(u)
  const bad = await newServer(u, true)
  const servers = await asAdmin({ url: `/API/admin/servers?user_id=${u.id}` })
  assert.equal(servers.statusCode, 200, servers.body)
  assert.deepEqual(ids(servers), [bad.server_status.new_id, ok.server_status.new_id])
  assert.deepEqual(ids(await asAdmin({ url: `/API/admin/servers?user_id=${u.id}&status=provision_failed` })), [
    bad.server_status.new_id,
  ])
  const active = await asAdmin({ url: `/API/admin/servers?user_id=${u.id}&status=active` })
  assert.deepEqual(ids(active), [ok.server_status.new_id])
  assert.match(active.json().data[0].primary_ip, /^\d+\.\d+\.\d+\.\d+$/)

  const subs = await asAdmin({ url: `/API/admin/plesk-subscriptions?user_id=${DEMO_USER_ID}` })
  assert.equal(subs.statusCode, 200, subs.body)
  assert.ok(subs.json().meta.total >= 1)
  const status = subs.json().data[0].status as string
  assert.ok(
    (await asAdmin({ url: `/API/admin/plesk-subscriptions?status=${status}` }))
      .json()
      .data.every((s: { status: string }) => s.status === status),
  )
  assert.equal((await asAdmin({ url: `/API/admin/plesk-subscriptions?user_id=${u.id}` })).json().meta.total, 0)
  assert.equal(subs.body.includes('password'), false)
  assert.equal((await asAdmin({ url: '/API/admin/servers?state=active' })).statusCode, 400)
})

test('jobs: by state and kind, with attempts and last error, never payloads or secrets', async () => {
  const u = await env.user('100.00')
  const bad = await newServer(u, true)
  const res = await asAdmin({ url: '/API/admin/jobs?state=failed&kind=server.create&per_page=100' })
  assert.equal(res.statusCode, 200, res.body)
  const job = res.json().data.find((j: { order_id: string }) => j.order_id === bad.order_id)
  assert.ok(job, 'the failed job is listed')
  assert.equal(job.state, 'failed')
  assert.equal(job.attempts, 1)
  assert.match(job.last_error, /start/i)
  // Kept sealed for a retry, which must create the VM with the password the order showed (issue 13 item 5).
  assert.equal(job.holds_secret, true, 'the root password is kept for a retry')
  assert.deepEqual(Object.keys(job).sort(), [
    'attempts',
    'created_at',
    'finished_at',
    'holds_secret',
    'id',
    'kind',
    'last_error',
    'lease_until',
    'max_attempts',
    'order_id',
    'run_at',
    'state',
    'updated_at',
    'version',
  ])
  assert.ok(
    res.json().data.every((j: { state: string; kind: string }) => j.state === 'failed' && j.kind === 'server.create'),
  )
  assert.deepEqual(ids(await asAdmin({ url: `/API/admin/jobs?order_id=${bad.order_id}` })), [job.id])
  assert.equal((await asAdmin({ url: '/API/admin/jobs?state=exploded' })).statusCode, 400)
})

/** A server order whose create keeps failing until the job gives up (3 attempts), so no VM exists. */
async function exhaustedServer(u: User) {
  env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: '/servers', fault: 'http500', times: 3 })
  const res = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const orderId = res.json().order_id as string
  // Each retry comes due after a backoff on the database's clock: drain until the job has given up.
  await waitFor(
    async () => {
      await env.runner.drain()
      return (await failedJobOf(orderId)).state === 'failed'
    },
    { what: 'the job to give up' },
  )
  const job = await failedJobOf(orderId)
  assert.equal(job.state, 'failed')
  return { orderId, job }
}

test('retry a failed job: charged again, pending again, audited with the request id; a new secret is reported as a boolean only', async () => {
  const u = await env.user('20.00')
  const { orderId, job } = await exhaustedServer(u)
  const bad = { order_id: orderId }
  assert.equal(job.attempts, 3)
  assert.equal(await balanceOf(u.id), 2000n, 'the failure refunded the order')
  // server.create keeps its sealed secret on failure; one failed before that change has none left.
  await db().deleteFrom('job_secrets').where('job_id', '=', job.id).execute()

  const res = await asAdmin({ method: 'POST', url: `/API/admin/jobs/${job.id}/retry` })
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json(), { success: true, job_id: job.id, state: 'pending', new_secret_generated: true })
  const after = await failedJobOf(bad.order_id)
  assert.equal(after.state, 'pending')
  assert.equal(after.attempts, 0)
  assert.equal(await balanceOf(u.id), 2000n - 1299n)
  const debits = await db()
    .selectFrom('ledger_entries')
    .select(['kind', 'actor'])
    .where('order_id', '=', bad.order_id)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  assert.deepEqual(debits.at(-1), { kind: 'order_debit', actor: admin.keyId })
  const audit = await audited(res)
  assert.deepEqual(
    audit.map(a => [a.action, a.target_type, a.target_id]),
    [['job.retry', 'job', job.id]],
  )
  assert.equal(JSON.stringify(audit).includes('"new_secret":true'), true)

  await env.runner.drain()
  assert.equal(
    (await db().selectFrom('orders').select('status').where('id', '=', bad.order_id).executeTakeFirstOrThrow()).status,
    'completed',
  )
  const again = await asAdmin({ method: 'POST', url: `/API/admin/jobs/${job.id}/retry` })
  assert.equal(again.statusCode, 409)
  assert.equal(again.json().error.code, 'invalid_state')
  assert.equal((await asAdmin({ method: 'POST', url: '/API/admin/jobs/job_nope/retry' })).statusCode, 404)
})

test('retry of a failed job the balance cannot cover: 402, nothing changes', async () => {
  const u = await env.user('12.99')
  const bad = await newServer(u, true)
  const spend = await asAdmin({
    method: 'POST',
    url: '/API/admin/balance-adjustments',
    body: { user_id: u.id, amount: '-0.01', reason: 'leave too little' },
  })
  assert.equal(spend.statusCode, 201, spend.body)
  const job = await failedJobOf(bad.order_id)
  const before = await fingerprint()
  const res = await asAdmin({ method: 'POST', url: `/API/admin/jobs/${job.id}/retry` })
  assert.equal(res.statusCode, 402, res.body)
  assert.equal(res.json().error.code, 'insufficient_balance')
  assert.equal(await fingerprint(), before)
})

test('audit log: filter by actor, action, target, request id and time; paged', async () => {
  const u = await env.user('0.00')
  const writes = []
  for (const amount of ['1.00', '2.00', '3.00']) {
    writes.push(
      await asAdmin({
        method: 'POST',
        url: '/API/admin/balance-adjustments',
        body: { user_id: u.id, amount, reason: `credit ${amount}` },
      }),
    )
  }
  const mine = await asAdmin({
    url: `/API/admin/audit-log?actor=${admin.keyId}&action=balance.adjust&target_type=user&target_id=${u.id}&per_page=2`,
  })
  assert.equal(mine.statusCode, 200, mine.body)
  assert.deepEqual(mine.json().meta, { total: 3, page: 1, per_page: 2, pages: 2 })
  assert.deepEqual(
    mine.json().data.map((a: { details: { amount: string } }) => a.details.amount),
    ['3.00', '2.00'],
  )
  const one = await asAdmin({ url: `/API/admin/audit-log?request_id=${String(writes[0]!.headers['x-request-id'])}` })
  assert.deepEqual(
    one.json().data.map((a: { actor: string; request_id: string }) => [a.actor, a.request_id]),
    [[admin.keyId, writes[0]!.headers['x-request-id']]],
  )
  assert.equal((await asAdmin({ url: `/API/admin/audit-log?target_id=${u.id}&from=2999-01-01` })).json().meta.total, 0)
  assert.equal(
    (await asAdmin({ url: '/API/admin/audit-log?actor=cli&action=balance.adjust' }))
      .json()
      .data.every((a: { actor: string }) => a.actor === 'cli'),
    true,
  )
  for (const q of ['action=Balance%20Adjust', 'from=soon', 'limit=5']) {
    assert.equal((await asAdmin({ url: `/API/admin/audit-log?${q}` })).statusCode, 400, q)
  }
})

test('every admin route: documented (operationId, admin tag, error responses); customer key → 403, no key → 401, unknown query → 400; nothing changes', async () => {
  const spec = (await env.request({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, { operationId?: string; tags?: string[]; responses: Record<string, unknown> }>>
  }>()
  const routes = Object.entries(spec.paths)
    .filter(([p]) => p.startsWith('/API/admin/'))
    .flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path: p, op })))
  assert.ok(routes.length >= 35, `only ${routes.length} admin operations documented`)
  const customer = await env.user('50.00')
  const operationIds = new Set<string>()
  for (const { method, path, op } of routes) {
    const name = `${method} ${path}`
    assert.ok(op.operationId, `${name}: operationId`)
    operationIds.add(op.operationId)
    assert.deepEqual(op.tags, ['admin'], name)
    for (const s of ['400', '401', '403', '500']) assert.ok(op.responses[s], `${name}: ${s} declared`)
    // 404 only where the operation names an object (a path parameter): each route declares what it can answer.
    if (path.includes('{')) assert.ok(op.responses['404'], `${name}: 404 declared`)
    // 202: the write was accepted and a job finishes it (a termination).
    assert.ok(op.responses['200'] ?? op.responses['201'] ?? op.responses['202'], `${name}: success declared`)
    const url = path.replace(/\{[^}]+\}/g, customer.id)
    const body =
      method === 'GET' || method === 'DELETE'
        ? undefined
        : { user_id: customer.id, amount: '100.00', reason: 'escalation', scopes: ['admin'] }
    const before = await fingerprint()
    const forbidden = await as(customer.key, { method, url, body })
    assert.equal(forbidden.statusCode, 403, `${name}: ${forbidden.body}`)
    assert.equal(forbidden.json().error.code, 'forbidden')
    assert.equal((await as(undefined, { method, url, body })).statusCode, 401, name)
    // Even for an admin, an unknown query parameter is refused (before anything runs), never ignored.
    // Fastify checks the body first, so only body-less requests are sure to name the query field.
    const unknown = await asAdmin({ method, url: `${url}?zz_unknown=1`, body })
    assert.equal(unknown.statusCode, 400, `${name}: ${unknown.body}`)
    if (body === undefined) assert.equal(unknown.json().error.field, 'zz_unknown', name)
    assert.equal(await fingerprint(), before, `${name} changed state`)
  }
  assert.equal(operationIds.size, routes.length, 'operationIds are unique')
})
