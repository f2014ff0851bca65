/**
 * POST /API/orders/create_order (docs/0xhost-compat.md 3.9–3.11): new server, change of plan,
 * extension by hours. Happy paths against the docs' examples, a table of errors, and security.
 * The first two tests replay the docs' sequence with the demo key (3396.52 → 3383.53 → 3328.78),
 * so they must stay first; every other test uses its own users.
 */
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY, DEMO_SERVER_ID, DEMO_USER_ID } from '../../src/seed/seed-demo.ts'
import { revokeApiKey } from '../../src/domain/auth/api-keys.ts'
import { assertError, inCase, unauthorizedBody } from '../assertions.ts'

const ORDER = '/API/orders/create_order'
const DOCS_NEW_SERVER = {
  user_id: DEMO_USER_ID,
  plan_id: '5',
  os_image_id: '13',
  location: 'Slovenia',
  name_server: 'testServerAPI',
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const TERM_S = 720n * 3600n
const HOUR_MS = 3_600_000

/** The documented top-level fields, in the docs' order, plus `status` (processing/completed/failed), oxbill's one addition. */
const ORDER_KEYS = [
  'success',
  'amount',
  'balance_before',
  'type',
  'plan_id',
  'password',
  'hours_purchased',
  'upgrade_difference',
  'order_id',
  'status',
  'server_status',
]
/** Seed 003's `server_status`, key for key. */
const SERVER_ROW_KEYS = [
  'id',
  'id_solusvm',
  'solusvm_uuid',
  'cpu_cores',
  'ram',
  'disk',
  'disk_type',
  'cpu',
  'ramD',
  'diskD',
  'name',
  'auto_renew',
  'primary_ip',
  'extra_ips',
  'status',
  'updated_at',
  'plan_id',
  'location',
  'os_image_id',
  'rental_duration_hours',
  'owner_id',
  'created_at',
  'expire_date',
  'metadata',
  'user_id',
  'username',
  'userIsActive',
  'plan_price',
]

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
afterEach(() => {
  env.clock.current = null
  env.providers.fakes.solusvm!.clearFaults()
})

/** Division rounded up (toward +∞) to whole cents, written apart from src/lib/money.ts on purpose. */
function roundUp(num: bigint, den: bigint): bigint {
  return num >= 0n ? (num + den - 1n) / den : -(-num / den)
}

const euros = (cents: bigint): string =>
  `${cents < 0n ? '-' : ''}${(cents < 0n ? -cents : cents) / 100n}.${String((cents < 0n ? -cents : cents) % 100n).padStart(2, '0')}`
const fmt = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ')

async function balanceCents(userId: string): Promise<bigint> {
  const u = await env.deps.db
    .selectFrom('users')
    .select('balance_cents')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  return u.balance_cents
}

async function ledgerSum(userId: string): Promise<bigint> {
  const rows = await env.deps.db
    .selectFrom('ledger_entries')
    .select('delta_cents')
    .where('user_id', '=', userId)
    .execute()
  return rows.reduce((s, r) => s + r.delta_cents, 0n)
}

async function serverRow(id: string) {
  return env.deps.db.selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** Everything an order could write for `userIds`, to prove a refused request wrote nothing. */
async function snapshot(...userIds: string[]) {
  const db = env.deps.db
  const per = await Promise.all(
    userIds.map(async id => ({
      balance: String(await balanceCents(id)),
      ledger: (await db.selectFrom('ledger_entries').select('id').where('user_id', '=', id).execute()).length,
      orders: (await db.selectFrom('orders').select('id').where('user_id', '=', id).execute()).length,
      servers: (
        await db
          .selectFrom('servers')
          .select(['id', 'status', 'plan_id', 'expire_date'])
          .where('user_id', '=', id)
          .orderBy('id')
          .execute()
      ).map(s => ({ ...s, expire_date: s.expire_date.toISOString() })),
    })),
  )
  const jobs = (await db.selectFrom('jobs').select('id').execute()).length
  const keys = (await db.selectFrom('idempotency_keys').select('key').execute()).length
  return { per, jobs, keys }
}

/** Orders a server for a fresh user through the API; the business clock decides its expiry. */
async function serverFor(
  user: { id: string; key: string },
  planId = '5',
): Promise<{ serverId: string; vmId: number; expire: Date }> {
  const res = await env.request({
    url: ORDER,
    key: user.key,
    body: { user_id: user.id, plan_id: planId, os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().status, 'completed', res.body)
  const s = await serverRow(res.json().server_status.new_id)
  return { serverId: s.id, vmId: s.id_solusvm!, expire: s.expire_date }
}

// ---------------------------------------------------------------- happy

test('new server: the docs example (3.9 new server) with the demo key', async () => {
  const res = await env.request({ url: ORDER, key: DEMO_API_KEY, body: DOCS_NEW_SERVER })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.deepEqual(Object.keys(b), ORDER_KEYS)
  assert.equal(b.success, true)
  assert.equal(b.amount, 12.99)
  assert.equal(b.balance_before, '3396.52')
  assert.equal(b.type, 'new_server')
  assert.equal(b.plan_id, '5')
  assert.equal(typeof b.password, 'string')
  assert.ok(b.password.length >= 16, b.password)
  assert.equal(b.hours_purchased, '720')
  assert.equal(b.upgrade_difference, 0)
  assert.match(b.order_id, UUID)
  assert.equal(b.status, 'completed')

  const ss = b.server_status
  assert.deepEqual(Object.keys(ss), ['new_id', 'id_solusvm', 'name', 'metadata', 'primary_ip', 'status'])
  assert.match(ss.new_id, UUID)
  assert.ok(Number.isInteger(ss.id_solusvm), String(ss.id_solusvm))
  assert.equal(ss.name, 'testServerAPI')
  assert.equal(ss.metadata, `password=${b.password}`)
  assert.match(ss.primary_ip, IPV4)
  assert.equal(ss.status, 'active')

  assert.equal(await balanceCents(DEMO_USER_ID), 338353n)
  assert.equal(await ledgerSum(DEMO_USER_ID), 338353n)
  const server = await serverRow(ss.new_id)
  assert.equal(server.user_id, DEMO_USER_ID)
  assert.equal(server.status, 'active')
  assert.equal(server.id_solusvm, ss.id_solusvm)
  assert.equal(server.primary_ip, ss.primary_ip)
  const vm = env.providers.fakes.solusvm!.servers().find(s => s.id === ss.id_solusvm)
  assert.ok(vm, 'the fake SolusVM has the VM')
  assert.equal(vm.name, 'testServerAPI')

  // Shown once: the root password is nowhere in the database.
  const db = env.deps.db
  const stored = JSON.stringify(
    await Promise.all([
      db.selectFrom('orders').selectAll().execute(),
      db.selectFrom('servers').selectAll().execute(),
      db.selectFrom('jobs').selectAll().execute(),
      db.selectFrom('job_steps').selectAll().execute(),
      db.selectFrom('job_secrets').selectAll().execute(),
      db.selectFrom('ledger_entries').selectAll().execute(),
    ]),
    (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
  )
  assert.ok(!stored.includes(b.password), 'the root password is stored in plain text')
})

test('change of plan: the docs example (3.11 change plan) with the demo key, 29.99 + 24.76 = 54.75', async () => {
  const before = await serverRow(DEMO_SERVER_ID)
  assert.equal(before.plan_id, '5')
  // 3 775 000 s of remaining term: 1700 × R / 2 592 000 = 2475.89 cents → 24.76, the docs' upgrade_difference.
  const remaining = 3_775_000n
  env.clock.current = new Date(before.expire_date.getTime() - Number(remaining) * 1000)
  const diff = roundUp((2999n - 1299n) * remaining, TERM_S)
  assert.equal(diff, 2476n)

  const res = await env.request({
    url: ORDER,
    key: DEMO_API_KEY,
    body: { user_id: DEMO_USER_ID, server_id: DEMO_SERVER_ID, plan_id: '7' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.deepEqual(Object.keys(b), ORDER_KEYS)
  assert.equal(b.success, true)
  assert.equal(b.amount, 54.75)
  assert.equal(b.balance_before, '3383.53')
  assert.equal(b.type, 'scale_server')
  assert.equal(b.plan_id, '7')
  assert.equal(b.password, null)
  assert.equal(b.hours_purchased, '720')
  assert.equal(b.upgrade_difference, 24.76)
  assert.match(b.order_id, UUID)
  assert.equal(b.status, 'completed')

  const s = b.server_status
  assert.deepEqual(Object.keys(s), SERVER_ROW_KEYS)
  assert.equal(s.id, DEMO_SERVER_ID)
  assert.equal(s.id_solusvm, before.id_solusvm)
  assert.equal(s.solusvm_uuid, before.solusvm_uuid)
  assert.equal(s.cpu_cores, 2)
  assert.equal(s.ram, 6442450944)
  assert.equal(s.disk, 40)
  assert.equal(s.disk_type, 'ssd')
  assert.equal(s.cpu, null)
  assert.equal(s.ramD, null)
  assert.equal(s.diskD, null)
  assert.equal(s.name, 'demo-server-001')
  assert.equal(s.auto_renew, 0)
  assert.match(s.primary_ip, IPV4)
  assert.equal(s.extra_ips, null)
  assert.equal(s.status, 'active')
  assert.match(s.updated_at, TIMESTAMP)
  assert.equal(s.plan_id, 7)
  assert.equal(s.location, 'Slovenia')
  assert.equal(s.os_image_id, 13)
  assert.equal(s.rental_duration_hours, 720)
  assert.equal(s.owner_id, DEMO_USER_ID)
  assert.match(s.created_at, TIMESTAMP)
  assert.equal(s.expire_date, fmt(new Date(before.expire_date.getTime() + 720 * HOUR_MS)))
  assert.equal(s.metadata, '', 'the root password is never shown again')
  assert.equal(s.user_id, DEMO_USER_ID)
  assert.equal(s.username, 'demo')
  assert.equal(s.userIsActive, 1)
  assert.equal(s.plan_price, '29.99')

  assert.equal(await balanceCents(DEMO_USER_ID), 338353n - 5475n)
  assert.equal(await ledgerSum(DEMO_USER_ID), 338353n - 5475n)
  const after = await serverRow(DEMO_SERVER_ID)
  assert.equal(after.plan_id, '7')
  assert.equal(after.expire_date.getTime(), before.expire_date.getTime() + 720 * HOUR_MS)
  const vm = env.providers.fakes.solusvm!.servers().find(v => v.id === before.id_solusvm)
  assert.equal(vm?.planId, 7, 'the VM was resized at SolusVM')
})

test('change of plan: remaining time exact to the second, rounded up once', async () => {
  const u = await env.user('100.00')
  env.clock.current = new Date('2025-06-01T00:00:00Z')
  const { serverId, expire } = await serverFor(u)
  assert.equal(expire.getTime(), Date.parse('2025-06-01T00:00:00Z') + 720 * HOUR_MS)
  // 1700 × 12 960 / 2 592 000 = 8.5 cents exactly: rounding up gives 9, half-even or truncation 8.
  const remaining = 12_960n
  env.clock.current = new Date(expire.getTime() - Number(remaining) * 1000)
  const diff = roundUp(1700n * remaining, TERM_S)
  assert.equal(diff, 9n)
  const amount = 2999n + diff

  const res = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, plan_id: 7 } })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.amount, Number(euros(amount)))
  assert.equal(b.amount, 30.08)
  assert.equal(b.upgrade_difference, 0.09)
  assert.equal(b.balance_before, '87.01')
  assert.equal(b.plan_id, '7')
  assert.equal(b.server_status.plan_id, 7)
  assert.equal(b.server_status.expire_date, fmt(new Date(expire.getTime() + 720 * HOUR_MS)))
  assert.equal(await balanceCents(u.id), 10000n - 1299n - amount)
  assert.equal(await ledgerSum(u.id), 10000n - 1299n - amount)
  const order = await env.deps.db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', b.order_id)
    .executeTakeFirstOrThrow()
  assert.equal(order.amount_cents, amount)
  assert.equal(order.upgrade_difference_cents, diff)
  assert.equal(order.credit_cents, 0n)
  assert.equal(order.order_type, 'scale_server')
})

test('downgrade 7 → 5: amount never negative, the rest credited when the job completes', async () => {
  const u = await env.user('100.00')
  const t0 = new Date('2025-06-01T00:00:00Z')
  env.clock.current = t0
  const { serverId, expire } = await serverFor(u, '7')
  // One hour into the term: −1700 × 2 588 400 / 2 592 000 = −1697.64 → −1697 (rounded up: the credit
  // toward zero); 12.99 − 16.97 = −3.98 → credit 3.98.
  env.clock.current = new Date(t0.getTime() + HOUR_MS)
  const remaining = BigInt(expire.getTime() - env.clock.current.getTime()) / 1000n
  const diff = roundUp((1299n - 2999n) * remaining, TERM_S)
  assert.equal(diff, -1697n)
  const credit = -(1299n + diff)
  assert.equal(credit, 398n)

  const res = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, plan_id: '5' } })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.success, true)
  assert.equal(b.status, 'completed')
  assert.equal(b.amount, 0)
  assert.equal(b.upgrade_difference, -16.97)
  assert.equal(b.balance_before, '70.01')
  assert.equal(b.server_status.plan_id, 5)
  assert.equal(b.server_status.plan_price, '12.99')
  assert.equal(b.server_status.expire_date, fmt(new Date(expire.getTime() + 720 * HOUR_MS)))

  assert.equal(await balanceCents(u.id), 7001n + credit)
  assert.equal(await ledgerSum(u.id), 7001n + credit)
  const rows = await env.deps.db
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents'])
    .where('order_id', '=', b.order_id)
    .execute()
  assert.deepEqual(rows, [{ kind: 'downgrade_credit', delta_cents: credit }])
})

test('downgrade: nothing is credited before the resize has happened', async () => {
  const u = await env.user('100.00')
  env.clock.current = new Date('2025-06-01T00:00:00Z')
  const { serverId, vmId } = await serverFor(u, '7')
  // The first resize attempt fails (retryable), so the request answers while the job waits to retry.
  env.providers.fakes.solusvm!.injectFault({ fault: 'http500', method: 'POST', path: `/servers/${vmId}/resize` })
  const res = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, plan_id: '5' } })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.status, 'processing')
  assert.equal(b.success, true)
  assert.equal(b.amount, 0)
  assert.equal(b.upgrade_difference, -17)
  assert.equal(b.balance_before, '70.01')
  assert.equal(await balanceCents(u.id), 7001n, 'no credit before the change is done')
  assert.equal((await serverRow(serverId)).status, 'resizing')

  assert.equal(await env.settle(b.order_id), 'completed')
  // Full term left: 12.99 − 17.00 = −4.01 → 4.01 credited.
  assert.equal(await balanceCents(u.id), 7001n + 401n)
  assert.equal(await ledgerSum(u.id), 7001n + 401n)
  const s = await serverRow(serverId)
  assert.equal(s.status, 'active')
  assert.equal(s.plan_id, '5')
})

test('extension by hours: number and numeric string, price × hours / 720 rounded up', async () => {
  const u = await env.user('100.00')
  env.clock.current = new Date('2025-06-01T00:00:00Z')
  const { serverId, expire } = await serverFor(u)
  env.clock.current = new Date('2025-06-02T12:00:00Z')
  let expected = expire.getTime()
  let balance = 10000n - 1299n
  for (const hours of [1, '1', 36] as const) {
    const n = Number(hours)
    const price = roundUp(1299n * BigInt(n), 720n)
    const res = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, hours } })
    assert.equal(res.statusCode, 200, res.body)
    const b = res.json()
    assert.deepEqual(Object.keys(b), ORDER_KEYS)
    assert.equal(b.success, true)
    assert.equal(b.type, 'renew_server')
    assert.equal(b.plan_id, 5)
    assert.equal(b.amount, Number(euros(price)))
    assert.equal(b.balance_before, euros(balance))
    assert.equal(b.password, null)
    assert.equal(b.hours_purchased, String(n))
    assert.equal(b.upgrade_difference, 0)
    assert.equal(b.status, 'completed')
    expected += n * HOUR_MS
    balance -= price
    assert.equal(b.server_status.expire_date, fmt(new Date(expected)))
    assert.equal((await serverRow(serverId)).expire_date.getTime(), expected)
  }
  assert.equal(roundUp(1299n, 720n), 2n)
  assert.equal(roundUp(1299n * 36n, 720n), 65n, '64.95 cents rounds up to 65')
  assert.equal(await balanceCents(u.id), 10000n - 1299n - 2n - 2n - 65n)
  assert.equal(await ledgerSum(u.id), await balanceCents(u.id))
  assert.equal(
    (
      await env.deps.db
        .selectFrom('jobs')
        .select('id')
        .where(
          'order_id',
          'in',
          env.deps.db
            .selectFrom('orders')
            .select('id')
            .where('user_id', '=', u.id)
            .where('order_type', '=', 'renew_server'),
        )
        .execute()
    ).length,
    0,
    'an extension needs no job',
  )
})

test('extension of an expired or suspended server starts from now', async () => {
  const u = await env.user('100.00')
  const { serverId } = await serverFor(u)
  const now = new Date('2025-09-01T08:00:00Z')
  env.clock.current = now
  await env.deps.db
    .updateTable('servers')
    .set({ status: 'suspended', expire_date: new Date('2025-08-01T00:00:00Z') })
    .where('id', '=', serverId)
    .execute()
  const res = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, hours: '48' } })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().amount, 0.87)
  assert.equal((await serverRow(serverId)).expire_date.getTime(), now.getTime() + 48 * HOUR_MS)
  assert.equal(res.json().server_status.expire_date, '2025-09-03 08:00:00')
})

test('change of plan on an expired (still active) server: the new term starts now', async () => {
  const u = await env.user('100.00')
  const { serverId } = await serverFor(u)
  const now = new Date('2025-09-01T00:00:00Z')
  env.clock.current = now
  await env.deps.db
    .updateTable('servers')
    .set({ expire_date: new Date('2025-08-22T00:00:00Z') })
    .where('id', '=', serverId)
    .execute()
  const res = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, plan_id: '7' } })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().amount, 29.99, 'no remaining time: just the new term')
  assert.equal(res.json().server_status.expire_date, fmt(new Date(now.getTime() + 720 * HOUR_MS)))
})

// ---------------------------------------------------------------- errors

test('errors: a table of refused bodies, each with its code and field, and nothing written', async () => {
  const u = await env.user('100.00')
  const { serverId } = await serverFor(u)
  const id = u.id
  const cases: Array<[string, Record<string, unknown>, number, string, string?]> = [
    [
      'server_id + plan_id + hours',
      { user_id: id, server_id: serverId, plan_id: '7', hours: 5 },
      400,
      'ambiguous_request',
    ],
    [
      'server_id + os_image_id',
      { user_id: id, server_id: serverId, plan_id: '7', os_image_id: '13' },
      400,
      'ambiguous_request',
    ],
    ['server_id + location', { user_id: id, server_id: serverId, location: 'Slovenia' }, 400, 'ambiguous_request'],
    [
      'hours without server_id',
      { user_id: id, plan_id: '5', os_image_id: '13', location: 'Slovenia', hours: 5 },
      400,
      'ambiguous_request',
    ],
    ['missing location', { user_id: id, plan_id: '5', os_image_id: '13' }, 400, 'validation_error', 'location'],
    [
      'missing os_image_id',
      { user_id: id, plan_id: '5', location: 'Slovenia' },
      400,
      'validation_error',
      'os_image_id',
    ],
    ['missing plan_id', { user_id: id, os_image_id: '13', location: 'Slovenia' }, 400, 'validation_error', 'plan_id'],
    ['missing user_id', { plan_id: '5', os_image_id: '13', location: 'Slovenia' }, 400, 'validation_error', 'user_id'],
    ['server_id alone', { user_id: id, server_id: serverId }, 400, 'validation_error', 'plan_id'],
    [
      'plan_id boolean',
      { user_id: id, plan_id: true, os_image_id: '13', location: 'Slovenia' },
      400,
      'validation_error',
      'plan_id',
    ],
    [
      'user_id number',
      { user_id: 12345, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
      400,
      'validation_error',
      'user_id',
    ],
    ['hours "abc"', { user_id: id, server_id: serverId, hours: 'abc' }, 400, 'validation_error', 'hours'],
    ['hours 0', { user_id: id, server_id: serverId, hours: 0 }, 400, 'validation_error', 'hours'],
    ['hours "0"', { user_id: id, server_id: serverId, hours: '0' }, 400, 'validation_error', 'hours'],
    ['hours 8761', { user_id: id, server_id: serverId, hours: 8761 }, 400, 'validation_error', 'hours'],
    ['hours "8761"', { user_id: id, server_id: serverId, hours: '8761' }, 400, 'validation_error', 'hours'],
    ['hours 1.5', { user_id: id, server_id: serverId, hours: 1.5 }, 400, 'validation_error', 'hours'],
    ['hours -1', { user_id: id, server_id: serverId, hours: -1 }, 400, 'validation_error', 'hours'],
    [
      'name_server with a space',
      { user_id: id, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'bad name' },
      400,
      'validation_error',
      'name_server',
    ],
    [
      'type_payment "cash"',
      { user_id: id, plan_id: '5', os_image_id: '13', location: 'Slovenia', type_payment: 'cash' },
      400,
      'validation_error',
      'type_payment',
    ],
    [
      'change to the current plan',
      { user_id: id, server_id: serverId, plan_id: '5' },
      400,
      'validation_error',
      'plan_id',
    ],
    ['unknown plan', { user_id: id, plan_id: '999', os_image_id: '13', location: 'Slovenia' }, 404, 'not_found'],
    ['unknown os image', { user_id: id, plan_id: '5', os_image_id: '999', location: 'Slovenia' }, 404, 'not_found'],
    ['unknown location', { user_id: id, plan_id: '5', os_image_id: '13', location: 'Atlantis' }, 404, 'not_found'],
    ['change to an unknown plan', { user_id: id, server_id: serverId, plan_id: '999' }, 404, 'not_found'],
    [
      'unknown server',
      { user_id: id, server_id: 'server00000-0000-0000-0000-000000000000', hours: 1 },
      404,
      'not_found',
    ],
  ]
  const before = await snapshot(id)
  for (const [name, body, status, code, field] of cases) {
    const res = await env.request({ url: ORDER, key: u.key, body })
    inCase(name, () => assertError(res, status, code, field))
  }
  assert.deepEqual(await snapshot(id), before)
})

test('errors: not-found answers name the missing resource', async () => {
  const u = await env.user('100.00')
  for (const [body, resource, id] of [
    [{ plan_id: '999', os_image_id: '13', location: 'Slovenia' }, 'plan', '999'],
    [{ plan_id: '5', os_image_id: '999', location: 'Slovenia' }, 'os_image', '999'],
    [{ plan_id: '5', os_image_id: '13', location: 'Atlantis' }, 'location', 'Atlantis'],
  ] as const) {
    const res = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, ...body } })
    assertError(res, 404, 'not_found')
    assert.equal(res.json().error.resource, resource)
    assert.equal(res.json().error.id, id)
  }
})

test('errors: an OS image the plan does not offer', async () => {
  await env.deps.db
    .insertInto('vps_plans')
    .values({
      id: 'ubuntu-only',
      name: 'Ubuntu only',
      price_cents: 500n,
      vcpu: 1,
      ram_bytes: 1024n ** 3n,
      disk_gb: 10,
      solusvm_plan_id: 3,
      os_image_ids: ['13'],
    })
    .execute()
  const u = await env.user('100.00')
  const before = await snapshot(u.id)
  const res = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: 'ubuntu-only', os_image_id: '6', location: 'Slovenia' },
  })
  assertError(res, 400, 'validation_error', 'os_image_id')
  assert.deepEqual(await snapshot(u.id), before)
  const ok = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: 'ubuntu-only', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.equal(ok.json().amount, 5)
})

test('errors: insufficient balance → 402 with required/available, and nothing written', async () => {
  const u = await env.user('5.00')
  const before = await snapshot(u.id)
  const res = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assertError(res, 402, 'insufficient_balance')
  assert.equal(res.json().error.required, '12.99')
  assert.equal(res.json().error.available, '5.00')
  assert.equal(res.json().error.currency, 'EUR')
  assert.deepEqual(await snapshot(u.id), before)
  assert.equal(await balanceCents(u.id), 500n)
})

test('errors: insufficient balance for a change of plan or an extension leaves the server as it was', async () => {
  const u = await env.user('13.00')
  env.clock.current = new Date('2025-06-01T00:00:00Z')
  const { serverId } = await serverFor(u)
  assert.equal(await balanceCents(u.id), 1n)
  const before = await snapshot(u.id)
  const scale = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, server_id: serverId, plan_id: '7' },
  })
  assertError(scale, 402, 'insufficient_balance')
  assert.equal(scale.json().error.required, euros(2999n + 1700n))
  assert.equal(scale.json().error.available, '0.01')
  const extend = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, hours: 1 } })
  assertError(extend, 402, 'insufficient_balance')
  assert.equal(extend.json().error.required, '0.02')
  assert.deepEqual(await snapshot(u.id), before)
  assert.equal((await serverRow(serverId)).status, 'active', 'the refused change did not leave the server resizing')
})

test('errors: a server that is not active → 409 invalid_state, nothing written', async () => {
  const u = await env.user('100.00')
  const { serverId } = await serverFor(u)
  await env.deps.db.updateTable('servers').set({ status: 'provisioning' }).where('id', '=', serverId).execute()
  const before = await snapshot(u.id)
  for (const body of [
    { user_id: u.id, server_id: serverId, plan_id: '7' },
    { user_id: u.id, server_id: serverId, hours: 24 },
  ]) {
    const res = await env.request({ url: ORDER, key: u.key, body })
    assertError(res, 409, 'invalid_state')
    assert.equal(res.json().error.status, 'provisioning')
  }
  assert.deepEqual(await snapshot(u.id), before)
})

// ---------------------------------------------------------------- security

test('security: no key, an unknown key and a revoked key get the same 401, and nothing is written', async () => {
  const u = await env.user('100.00')
  const revoked = await env.user('100.00')
  assert.equal(await revokeApiKey(env.deps.db, revoked.keyId, env.clock.now()), true)
  const body = { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' }
  const before = await snapshot(u.id, revoked.id)
  const answers = [
    await env.request({ url: ORDER, body }),
    await env.request({ url: ORDER, body, key: `oxb_${'0'.repeat(64)}` }),
    await env.request({ url: ORDER, body, key: '' }),
    await env.request({ url: ORDER, body: { ...body, user_id: revoked.id }, key: revoked.key }),
  ]
  const bodies = answers.map(unauthorizedBody)
  for (const b of bodies) assert.deepEqual(b, bodies[0])
  assert.deepEqual(await snapshot(u.id, revoked.id), before)
})

test('security: the loopback-only demo key is refused from another address, with the same 401', async () => {
  const before = await snapshot(DEMO_USER_ID)
  const remote = await env.request({
    url: ORDER,
    key: DEMO_API_KEY,
    body: DOCS_NEW_SERVER,
    remoteAddress: '203.0.113.7',
  })
  const none = await env.request({ url: ORDER, body: DOCS_NEW_SERVER, remoteAddress: '203.0.113.7' })
  // A forwarded-for header must not make a remote client look local.
  const spoofed = await env.request({
    url: ORDER,
    key: DEMO_API_KEY,
    body: DOCS_NEW_SERVER,
    remoteAddress: '203.0.113.7',
    headers: { 'x-forwarded-for': '127.0.0.1' },
  })
  assert.deepEqual(unauthorizedBody(remote), unauthorizedBody(none))
  assert.deepEqual(unauthorizedBody(spoofed), unauthorizedBody(none))
  assert.deepEqual(await snapshot(DEMO_USER_ID), before)
})

test('security: a customer key naming another user_id → 403, nothing changes for either user', async () => {
  const a = await env.user('100.00')
  const b = await env.user('100.00')
  const { serverId } = await serverFor(b)
  const before = await snapshot(a.id, b.id)
  for (const body of [
    { user_id: b.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
    { user_id: b.id, server_id: serverId, plan_id: '7' },
    { user_id: b.id, server_id: serverId, hours: 10 },
  ]) {
    const res = await env.request({ url: ORDER, key: a.key, body })
    assertError(res, 403, 'forbidden')
  }
  assert.deepEqual(await snapshot(a.id, b.id), before)
})

test("security: another user's server_id → 404, indistinguishable from a missing one", async () => {
  const a = await env.user('100.00')
  const b = await env.user('100.00')
  const { serverId } = await serverFor(b)
  const before = await snapshot(a.id, b.id)
  for (const body of [
    { user_id: a.id, server_id: serverId, plan_id: '7' },
    { user_id: a.id, server_id: serverId, hours: 10 },
  ]) {
    const theirs = await env.request({ url: ORDER, key: a.key, body })
    const missing = await env.request({ url: ORDER, key: a.key, body: { ...body, server_id: 'no-such-server' } })
    assertError(theirs, 404, 'not_found')
    assertError(missing, 404, 'not_found')
    assert.equal(theirs.json().error.message, `server '${serverId}' was not found`)
    assert.equal(missing.json().error.message, "server 'no-such-server' was not found")
  }
  assert.deepEqual(await snapshot(a.id, b.id), before)
})

test('security: an admin key may order for another user, who pays', async () => {
  const admin = await env.user('0', true)
  const target = await env.user('50.00')
  const res = await env.request({
    url: ORDER,
    key: admin.key,
    body: { user_id: target.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.balance_before, '50.00')
  assert.equal(b.status, 'completed')
  const server = await serverRow(b.server_status.new_id)
  assert.equal(server.user_id, target.id)
  const order = await env.deps.db
    .selectFrom('orders')
    .select(['user_id', 'amount_cents'])
    .where('id', '=', b.order_id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(order, { user_id: target.id, amount_cents: 1299n })
  assert.equal(await balanceCents(target.id), 5000n - 1299n)
  assert.equal(await balanceCents(admin.id), 0n)

  const ext = await env.request({
    url: ORDER,
    key: admin.key,
    body: { user_id: target.id, server_id: server.id, hours: 720 },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  assert.equal(ext.json().amount, 12.99)
  assert.equal(await balanceCents(target.id), 5000n - 2n * 1299n)
  // The admin's own user_id with the target's server is still a 404: servers belong to the user named.
  const own = await env.request({
    url: ORDER,
    key: admin.key,
    body: { user_id: admin.id, server_id: server.id, hours: 1 },
  })
  assertError(own, 404, 'not_found')
})
