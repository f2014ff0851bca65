/**
 * POST /API/orders/create_order_addon (docs/0xhost-compat.md 3.14): an extra IPv4 for a server. The docs' example
 * with the demo key, a table of errors, provider failures (refunded), and security.
 */
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY, DEMO_SERVER_ID, DEMO_USER_ID } from '../../src/seed/seed-demo.ts'
import { assertError, inCase, unauthorizedBody } from '../assertions.ts'

const ADDON_URL = '/API/orders/create_order_addon'
const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
afterEach(() => {
  env.providers.fakes.solusvm!.clearFaults()
})

async function balanceCents(userId: string): Promise<bigint> {
  return (
    await env.deps.db.selectFrom('users').select('balance_cents').where('id', '=', userId).executeTakeFirstOrThrow()
  ).balance_cents
}

async function ledgerSum(userId: string): Promise<bigint> {
  const rows = await env.deps.db
    .selectFrom('ledger_entries')
    .select('delta_cents')
    .where('user_id', '=', userId)
    .execute()
  return rows.reduce((s, r) => s + r.delta_cents, 0n)
}

/** The IPv4 addresses the fake SolusVM holds for a VM. */
function vmIps(vmId: number): string[] {
  const vm = env.providers.fakes.solusvm!.servers().find(s => s.id === vmId)
  assert.ok(vm, `the fake SolusVM has VM ${vmId}`)
  return vm.ipv4.map(ip => ip.ip)
}

async function snapshot(...userIds: string[]) {
  const db = env.deps.db
  const per = await Promise.all(
    userIds.map(async id => ({
      balance: String(await balanceCents(id)),
      ledger: (await db.selectFrom('ledger_entries').select('id').where('user_id', '=', id).execute()).length,
      orders: (await db.selectFrom('orders').select('id').where('user_id', '=', id).execute()).length,
      addons: (await db.selectFrom('server_addons').select('id').where('user_id', '=', id).execute()).length,
      servers: await db
        .selectFrom('servers')
        .select(['id', 'status', 'extra_ips'])
        .where('user_id', '=', id)
        .orderBy('id')
        .execute(),
    })),
  )
  return { per, jobs: (await db.selectFrom('jobs').select('id').execute()).length }
}

/** A fresh user (with `balance`) owning an active server bought through the API. */
async function userWithServer(balance = '100.00') {
  const u = await env.user(balance)
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().status, 'completed', res.body)
  const s = await env.deps.db
    .selectFrom('servers')
    .selectAll()
    .where('id', '=', res.json().server_status.new_id)
    .executeTakeFirstOrThrow()
  return { ...u, serverId: s.id, vmId: s.id_solusvm! }
}

// ---------------------------------------------------------------- happy

test('the docs example (3.14 addon) with the demo key: 3.99 charged, one more IPv4 at SolusVM', async () => {
  const server = await env.deps.db
    .selectFrom('servers')
    .selectAll()
    .where('id', '=', DEMO_SERVER_ID)
    .executeTakeFirstOrThrow()
  const ipsBefore = vmIps(server.id_solusvm!)
  const res = await env.request({
    url: ADDON_URL,
    key: DEMO_API_KEY,
    body: { user_id: DEMO_USER_ID, addon_id: ADDON_ID, server_id: DEMO_SERVER_ID },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.deepEqual(Object.keys(b), ['success', 'order', 'addon_server'])
  assert.equal(b.success, true)

  // The docs' fields, plus order_number; metadata is the documented string (never "Array"), its object beside it.
  assert.deepEqual(Object.keys(b.order), ['id', 'order_number', 'status', 'metadata', 'details', 'amount', 'currency'])
  assert.match(b.order.id, UUID)
  assert.match(b.order.order_number, /^ADDON_\d{8}_\d{6}$/)
  assert.equal(b.order.status, 'completed')
  assert.equal(
    b.order.metadata,
    `addon_id=${ADDON_ID}, addon_name=IPv4 address, kind=ipv4, server_id=${DEMO_SERVER_ID}`,
  )
  assert.deepEqual(b.order.details, {
    addon_id: ADDON_ID,
    addon_name: 'IPv4 address',
    kind: 'ipv4',
    server_id: DEMO_SERVER_ID,
  })
  assert.equal(b.order.amount, '3.99')
  assert.equal(b.order.currency, 'EUR')

  const a = b.addon_server
  assert.deepEqual(Object.keys(a), [
    'id',
    'addon_id',
    'server_id',
    'user_id',
    'assigned_price',
    'status',
    'assigned_value',
  ])
  assert.match(a.id, UUID)
  assert.equal(a.addon_id, ADDON_ID)
  assert.equal(a.server_id, DEMO_SERVER_ID)
  assert.equal(a.user_id, DEMO_USER_ID)
  assert.equal(a.assigned_price, '3.99')
  assert.equal(a.status, 'assigned')
  assert.match(a.assigned_value, IPV4)

  const ipsAfter = vmIps(server.id_solusvm!)
  assert.equal(ipsAfter.length, ipsBefore.length + 1)
  assert.deepEqual(
    ipsAfter.filter(ip => !ipsBefore.includes(ip)),
    [a.assigned_value],
  )

  const db = env.deps.db
  const row = await db.selectFrom('server_addons').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'assigned')
  assert.equal(row.assigned_value, a.assigned_value)
  assert.equal(row.assigned_price_cents, 399n)
  assert.equal(row.order_id, b.order.id)
  const s = await db
    .selectFrom('servers')
    .select(['extra_ips', 'status'])
    .where('id', '=', DEMO_SERVER_ID)
    .executeTakeFirstOrThrow()
  assert.deepEqual(s, { extra_ips: [...server.extra_ips, a.assigned_value], status: 'active' })
  assert.equal(await balanceCents(DEMO_USER_ID), 339652n - 399n)
  assert.equal(await ledgerSum(DEMO_USER_ID), 339652n - 399n)
  const ledger = await db
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents', 'balance_after_cents'])
    .where('order_id', '=', b.order.id)
    .execute()
  assert.deepEqual(ledger, [{ kind: 'order_debit', delta_cents: -399n, balance_after_cents: 339652n - 399n }])
  const stored = await db.selectFrom('orders').select('metadata').where('id', '=', b.order.id).executeTakeFirstOrThrow()
  assert.equal(typeof stored.metadata, 'object')
})

test('a second addon on the same server gets another address; the server row lists both', async () => {
  const u = await userWithServer()
  const body = { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId, type_payment: 'balance' }
  const first = await env.request({ url: ADDON_URL, key: u.key, body })
  const second = await env.request({ url: ADDON_URL, key: u.key, body })
  assert.equal(first.statusCode, 200, first.body)
  assert.equal(second.statusCode, 200, second.body)
  const ips = [first.json().addon_server.assigned_value, second.json().addon_server.assigned_value]
  assert.notEqual(ips[0], ips[1])
  const s = await env.deps.db
    .selectFrom('servers')
    .select(['extra_ips', 'primary_ip'])
    .where('id', '=', u.serverId)
    .executeTakeFirstOrThrow()
  assert.deepEqual(s.extra_ips, ips)
  assert.deepEqual(vmIps(u.vmId).sort(), [s.primary_ip!, ...ips].sort())
  assert.equal(await balanceCents(u.id), 10000n - 1299n - 2n * 399n)
})

// ---------------------------------------------------------------- errors

test('errors: a table of refused requests, each with its code, and nothing written', async () => {
  const u = await userWithServer()
  const other = await userWithServer()
  const base = { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId }
  const cases: Array<[string, Record<string, unknown>, number, string, string?]> = [
    ['unknown addon', { ...base, addon_id: 'addon00000-0000-0000-0000-000000000000' }, 404, 'not_found'],
    ["another user's server", { ...base, server_id: other.serverId }, 404, 'not_found'],
    ['unknown server', { ...base, server_id: 'no-such-server' }, 404, 'not_found'],
    ['missing server_id', { user_id: u.id, addon_id: ADDON_ID }, 400, 'validation_error', 'server_id'],
    ['missing addon_id', { user_id: u.id, server_id: u.serverId }, 400, 'validation_error', 'addon_id'],
    ['addon_id a number', { ...base, addon_id: 12345 }, 400, 'validation_error', 'addon_id'],
    ['server_id with a space', { ...base, server_id: 'server 1' }, 400, 'validation_error', 'server_id'],
    ['another user_id', { ...base, user_id: other.id }, 403, 'forbidden'],
  ]
  const before = await snapshot(u.id, other.id)
  for (const [name, body, status, code, field] of cases) {
    const res = await env.request({ url: ADDON_URL, key: u.key, body })
    inCase(name, () => assertError(res, status, code, field))
  }
  const unknown = await env.request({
    url: ADDON_URL,
    key: u.key,
    body: { ...base, addon_id: 'addon00000-0000-0000-0000-000000000000' },
  })
  assert.equal(unknown.json().error.resource, 'addon')
  assert.deepEqual(await snapshot(u.id, other.id), before)
})

test('errors: a server that is not active → 409 invalid_state', async () => {
  const u = await userWithServer()
  for (const status of ['provisioning', 'suspended', 'provision_failed'] as const) {
    await env.deps.db.updateTable('servers').set({ status }).where('id', '=', u.serverId).execute()
    const before = await snapshot(u.id)
    const res = await env.request({
      url: ADDON_URL,
      key: u.key,
      body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId },
    })
    assertError(res, 409, 'invalid_state')
    assert.equal(res.json().error.status, status)
    assert.deepEqual(await snapshot(u.id), before)
  }
})

test('errors: insufficient balance → 402, no order, no addon row, no job, balance unchanged', async () => {
  const u = await userWithServer('15.00')
  assert.equal(await balanceCents(u.id), 201n)
  const before = await snapshot(u.id)
  const ipsBefore = vmIps(u.vmId)
  const res = await env.request({
    url: ADDON_URL,
    key: u.key,
    body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId },
  })
  assertError(res, 402, 'insufficient_balance')
  assert.equal(res.json().error.required, '3.99')
  assert.equal(res.json().error.available, '2.01')
  assert.deepEqual(await snapshot(u.id), before)
  assert.deepEqual(vmIps(u.vmId), ipsBefore)
})

test('provider failure (permanent): order failed, debit refunded, addon failed, success:false', async () => {
  const u = await userWithServer()
  const ipsBefore = vmIps(u.vmId)
  env.providers.fakes.solusvm!.injectFault({
    fault: 'task-fail',
    method: 'POST',
    path: `/servers/${u.vmId}/ips`,
    times: 10,
  })
  const res = await env.request({
    url: ADDON_URL,
    key: u.key,
    body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.success, false)
  assert.equal(b.error.code, 'provision_failed')
  assert.equal(typeof b.message, 'string')
  assert.equal(b.message, b.error.message)
  assert.match(b.message, /refunded/)
  assert.equal(b.order.status, 'failed')
  assert.equal(b.order.amount, '3.99')
  assert.equal(b.addon_server.status, 'failed')
  assert.equal(b.addon_server.assigned_value, '')

  const db = env.deps.db
  assert.equal(await balanceCents(u.id), 10000n - 1299n, 'the debit was refunded')
  assert.equal(await ledgerSum(u.id), 10000n - 1299n)
  const ledger = await db
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents'])
    .where('order_id', '=', b.order.id)
    .orderBy('created_at')
    .execute()
  assert.deepEqual(ledger, [
    { kind: 'order_debit', delta_cents: -399n },
    { kind: 'refund', delta_cents: 399n },
  ])
  const order = await db
    .selectFrom('orders')
    .select(['status', 'failure_reason'])
    .where('id', '=', b.order.id)
    .executeTakeFirstOrThrow()
  assert.equal(order.status, 'failed')
  assert.ok(order.failure_reason && order.failure_reason.length > 0)
  const sa = await db
    .selectFrom('server_addons')
    .select(['status', 'assigned_value'])
    .where('id', '=', b.addon_server.id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(sa, { status: 'failed', assigned_value: '' })
  const job = await db.selectFrom('jobs').select(['state']).where('order_id', '=', b.order.id).executeTakeFirstOrThrow()
  assert.equal(job.state, 'failed')
  assert.deepEqual(vmIps(u.vmId), ipsBefore)
  const server = await db
    .selectFrom('servers')
    .select(['extra_ips', 'status'])
    .where('id', '=', u.serverId)
    .executeTakeFirstOrThrow()
  assert.deepEqual(server, { extra_ips: [], status: 'active' })
})

test('provider failure (keeps failing): processing at first, failed and refunded once the retries run out', async () => {
  const u = await userWithServer()
  env.providers.fakes.solusvm!.injectFault({
    fault: 'http500',
    method: 'POST',
    path: `/servers/${u.vmId}/ips`,
    times: 100,
  })
  const res = await env.request({
    url: ADDON_URL,
    key: u.key,
    body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.success, true)
  assert.equal(b.order.status, 'processing')
  assert.equal(b.addon_server.status, 'unassigned')
  assert.equal(await balanceCents(u.id), 10000n - 1299n - 399n)

  assert.equal(await env.settle(b.order.id), 'failed')
  assert.equal(await balanceCents(u.id), 10000n - 1299n)
  assert.equal(await ledgerSum(u.id), 10000n - 1299n)
  const job = await env.deps.db
    .selectFrom('jobs')
    .select(['state', 'attempts'])
    .where('order_id', '=', b.order.id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(job, { state: 'failed', attempts: env.config.jobMaxAttempts })
  const sa = await env.deps.db
    .selectFrom('server_addons')
    .select('status')
    .where('id', '=', b.addon_server.id)
    .executeTakeFirstOrThrow()
  assert.equal(sa.status, 'failed')
})

// ---------------------------------------------------------------- security

test('security: no key, unknown key, and the demo key from a non-loopback address → identical 401s', async () => {
  const body = { user_id: DEMO_USER_ID, addon_id: ADDON_ID, server_id: DEMO_SERVER_ID }
  const before = await snapshot(DEMO_USER_ID)
  const answers = [
    await env.request({ url: ADDON_URL, body }),
    await env.request({ url: ADDON_URL, body, key: 'your_api_key_here_' }),
    await env.request({ url: ADDON_URL, body, key: DEMO_API_KEY, remoteAddress: '198.51.100.20' }),
  ]
  const bodies = answers.map(unauthorizedBody)
  assert.deepEqual(bodies[1], bodies[0])
  assert.deepEqual(bodies[2], bodies[0])
  assert.deepEqual(await snapshot(DEMO_USER_ID), before)
})

test("security: an admin key may buy an addon for another user's server; that user pays", async () => {
  const admin = await env.user('0', true)
  const u = await userWithServer()
  const res = await env.request({
    url: ADDON_URL,
    key: admin.key,
    body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().addon_server.user_id, u.id)
  assert.equal(res.json().addon_server.status, 'assigned')
  assert.equal(await balanceCents(u.id), 10000n - 1299n - 399n)
  assert.equal(await balanceCents(admin.id), 0n)
})
