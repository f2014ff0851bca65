/**
 * The delivery audit (`oxbill audit`, beside balance = Σ ledger): a world built by real orders is
 * clean, and each kind of violation, planted behind the application's back, is reported.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { auditDelivery, type DeliveryViolation } from '../../src/domain/billing/audit-delivery.ts'
import { credit } from '../../src/domain/billing/ledger.ts'
import { newId } from '../../src/lib/ids.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

const HOUR = 3_600_000
const db = () => env.deps.db
const audit = (now = new Date()) =>
  auditDelivery(db(), { now, suspendGraceHours: 0, toleranceMs: 2 * env.config.lifecycleIntervalMs })
const ORDER = '/API/orders/create_order'

async function reported(check: DeliveryViolation['check'], id: string, now?: Date): Promise<void> {
  const { violations } = await audit(now)
  assert.ok(
    violations.some(v => v.check === check && v.id === id),
    `${check} for ${id} in ${JSON.stringify(violations)}`,
  )
}

/** A customer with a server, an extension and an addon, all bought through the API. */
async function world() {
  const u = await env.user('100.00')
  const created = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(created.json().status, 'completed', created.body)
  const serverId = created.json().server_status.new_id as string
  const ext = await env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: serverId, hours: 48 } })
  assert.equal(ext.json().status, 'completed', ext.body)
  const addon = await env.request({
    url: '/API/orders/create_order_addon',
    key: u.key,
    body: { user_id: u.id, addon_id: 'addon12345-6789-0123-4567-890123456789', server_id: serverId },
  })
  assert.equal(await env.settle(addon.json().order.id), 'completed')
  return {
    user: u,
    serverId,
    newOrder: created.json().order_id as string,
    extOrder: ext.json().order_id as string,
    addonOrder: addon.json().order.id as string,
  }
}

test('a world of real orders (demo data, servers, extensions, addons, plan changes) is clean', async () => {
  const w = await world()
  const up = await env.request({
    url: ORDER,
    key: w.user.key,
    body: { user_id: w.user.id, server_id: w.serverId, plan_id: '7' },
  })
  assert.equal(await env.settle(up.json().order_id), 'completed')
  const { violations, services } = await audit()
  assert.deepEqual(violations, [])
  assert.ok(services >= 3)
})

test('an addon order completed without its IP on the server', async () => {
  const w = await world()
  await db().updateTable('server_addons').set({ status: 'unassigned' }).where('order_id', '=', w.addonOrder).execute()
  await reported('addon_not_delivered', w.addonOrder)
})

test('two completed addon orders holding one IP', async () => {
  const w = await world()
  const second = await env.request({
    url: '/API/orders/create_order_addon',
    key: w.user.key,
    body: { user_id: w.user.id, addon_id: 'addon12345-6789-0123-4567-890123456789', server_id: w.serverId },
  })
  assert.equal(await env.settle(second.json().order.id), 'completed')
  const first = await db()
    .selectFrom('server_addons')
    .select('assigned_value')
    .where('order_id', '=', w.addonOrder)
    .executeTakeFirstOrThrow()
  // Only by dropping the index that forbids it.
  await sql`DROP INDEX server_addons_one_ip`.execute(db())
  try {
    await db()
      .updateTable('server_addons')
      .set({ assigned_value: first.assigned_value })
      .where('order_id', '=', second.json().order.id)
      .execute()
    const { violations } = await audit()
    assert.ok(
      violations.some(v => v.check === 'addon_ip_shared' && [w.addonOrder, second.json().order.id].includes(v.id)),
      JSON.stringify(violations),
    )
  } finally {
    await db()
      .deleteFrom('server_addons')
      .where('order_id', '=', second.json().order.id)
      .execute()
      .catch(() => {})
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS server_addons_one_ip ON server_addons(server_id, assigned_value) WHERE status = 'assigned'`.execute(
      db(),
    )
  }
})

test('a completed order that was also refunded, and a failed one that was not', async () => {
  const w = await world()
  await db()
    .transaction()
    .execute(trx =>
      credit(trx, {
        userId: w.user.id,
        amount: 1299n,
        kind: 'refund',
        orderId: w.newOrder,
        reason: 'planted',
        actor: 'test',
      }),
    )
  await reported('completed_and_refunded', w.newOrder)
  await db().updateTable('orders').set({ status: 'failed' }).where('id', '=', w.extOrder).execute()
  await reported('failed_not_refunded', w.extOrder)
})

test('a completed order without its paid period, and a period whose order is not completed', async () => {
  const w = await world()
  await db().deleteFrom('service_periods').where('order_id', '=', w.extOrder).execute()
  await reported('order_without_period', w.extOrder)
  const w2 = await world()
  await db().updateTable('orders').set({ status: 'processing' }).where('id', '=', w2.extOrder).execute()
  const period = await db()
    .selectFrom('service_periods')
    .select('id')
    .where('order_id', '=', w2.extOrder)
    .executeTakeFirstOrThrow()
  await reported('period_without_completed_order', period.id)
})

test('a term bought twice over the same time, one of the wrong length, and an expiry the periods do not explain', async () => {
  const w = await world()
  const ext = await db()
    .selectFrom('service_periods')
    .selectAll()
    .where('order_id', '=', w.extOrder)
    .executeTakeFirstOrThrow()
  await db()
    .updateTable('service_periods')
    .set({ starts_at: new Date(ext.starts_at.getTime() - HOUR), ends_at: new Date(ext.ends_at.getTime() - HOUR) })
    .where('id', '=', ext.id)
    .execute()
  await db()
    .updateTable('servers')
    .set({ expire_date: new Date(ext.ends_at.getTime() - HOUR) })
    .where('id', '=', w.serverId)
    .execute()
  await reported('period_overlap', ext.id)

  const w2 = await world()
  const ext2 = await db()
    .selectFrom('service_periods')
    .selectAll()
    .where('order_id', '=', w2.extOrder)
    .executeTakeFirstOrThrow()
  await db()
    .updateTable('service_periods')
    .set({ ends_at: new Date(ext2.ends_at.getTime() + HOUR) })
    .where('id', '=', ext2.id)
    .execute()
  await db()
    .updateTable('servers')
    .set({ expire_date: new Date(ext2.ends_at.getTime() + HOUR) })
    .where('id', '=', w2.serverId)
    .execute()
  await reported('period_length', ext2.id)

  const w3 = await world()
  await db()
    .updateTable('servers')
    .set({ expire_date: sql`expire_date + interval '1 hour'` })
    .where('id', '=', w3.serverId)
    .execute()
  await reported('paid_through_mismatch', w3.serverId)
})

test('a live service with no paid period at all', async () => {
  const w = await world()
  await db().deleteFrom('service_periods').where('service_id', '=', w.serverId).execute()
  await reported('no_paid_period', w.serverId)
})

test('a plan change that delivered more than the converted time plus its term', async () => {
  const w = await world()
  const up = await env.request({
    url: ORDER,
    key: w.user.key,
    body: { user_id: w.user.id, server_id: w.serverId, plan_id: '7' },
  })
  assert.equal(await env.settle(up.json().order_id), 'completed')
  const p = await db()
    .selectFrom('service_periods')
    .selectAll()
    .where('order_id', '=', up.json().order_id)
    .executeTakeFirstOrThrow()
  await db()
    .updateTable('service_periods')
    .set({ ends_at: new Date(p.ends_at.getTime() + HOUR) })
    .where('id', '=', p.id)
    .execute()
  await db()
    .updateTable('servers')
    .set({ expire_date: new Date(p.ends_at.getTime() + HOUR) })
    .where('id', '=', w.serverId)
    .execute()
  await reported('period_length', p.id)
})

test('a service still active past its term and the grace', async () => {
  const w = await world()
  const s = await db()
    .selectFrom('servers')
    .select('expire_date')
    .where('id', '=', w.serverId)
    .executeTakeFirstOrThrow()
  await reported(
    'active_past_term',
    w.serverId,
    new Date(s.expire_date.getTime() + 2 * env.config.lifecycleIntervalMs + HOUR),
  )
  // Within the lifecycle's tolerance it is not (yet) a violation.
  const { violations } = await audit(new Date(s.expire_date.getTime() + 1000))
  assert.ok(!violations.some(v => v.check === 'active_past_term' && v.id === w.serverId))
})

test('periods are ordered as applied even when ids and transaction starts disagree', async () => {
  const w = await world()
  // A period row whose id sorts first but was written last still comes last in the replay.
  const last = await db()
    .selectFrom('service_periods')
    .selectAll()
    .where('service_id', '=', w.serverId)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow()
  await db()
    .updateTable('service_periods')
    .set({ id: `per_000000000000${newId('period').slice(-12)}` })
    .where('id', '=', last.id)
    .execute()
  const { violations } = await audit()
  assert.ok(!violations.some(v => v.id === w.serverId), JSON.stringify(violations))
})
