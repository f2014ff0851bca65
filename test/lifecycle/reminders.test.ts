/**
 * Reminders before expiry (issue 11): the lifecycle run writes `service.expiring` 7, 3 and 1 days
 * before a service expires when it will not renew by itself, and `balance.low` once per term when
 * an auto-renewal will not be covered; each once per service, term and threshold, however often
 * or however concurrently the run goes. Business time moves through `env.clock`.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { runLifecycle, type LifecycleReport } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { recordEvent } from '../../src/domain/events/record-event.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { formatAmount } from '../../src/lib/money.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
beforeEach(() => {
  env.clock.current = null
})

const DAY = 24 * 3600_000
const PLESK_BASIC = 'plan123-4567-8901-2345-678901234567'
const db = () => env.deps.db
const lifecycle = () =>
  runLifecycle({ db: db(), clock: env.clock, logger: silentLogger, settings: lifecycleSettings(env.config) })
const server = (id: string) => db().selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
/** ISO-8601 to the second, as events carry times. */
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** Moves business time to `days` before `expire` and runs the lifecycle there (which must not fail). */
async function runAt(expire: Date, days: number): Promise<LifecycleReport> {
  env.clock.current = new Date(expire.getTime() - days * DAY)
  const report = await lifecycle()
  assert.equal(report.failures, 0, 'a rewrite is a no-op, not an error')
  return report
}

interface Reminder {
  type: string
  user_id: string | null
  occurred_at: Date
  dedupe_key: string | null
  data: Record<string, any>
}

/** The reminders about one service, in the order they were written. */
const reminders = (serviceId: string): Promise<Reminder[]> =>
  db()
    .selectFrom('events')
    .select(['type', 'user_id', 'occurred_at', 'dedupe_key', 'data'])
    .where('type', 'in', ['service.expiring', 'balance.low'])
    .where(sql<string>`data->'service'->>'id'`, '=', serviceId)
    .orderBy('seq')
    .execute()

async function activeServer(u: { id: string; key: string }, autoRenew: boolean): Promise<string> {
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'remind' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const id = res.json().server_status.new_id as string
  assert.equal((await server(id)).status, 'active')
  const set = await env.request({
    url: '/API/services/auto_renew',
    key: u.key,
    body: { user_id: u.id, server_id: id, auto_renew: autoRenew ? 1 : 0 },
  })
  assert.equal(set.statusCode, 200, set.body)
  return id
}

async function activeSubscription(u: { id: string; key: string }, autoRenew: boolean) {
  const clientId = newUuid()
  await db()
    .insertInto('plesk_clients')
    .values({
      id: clientId,
      user_id: u.id,
      name: 'Reminder Client',
      login: `m${clientId.slice(0, 8)}`,
      email: `${clientId}@test.invalid`,
    })
    .execute()
  const res = await env.request({
    url: '/API/orders/create_order_plesk',
    key: u.key,
    body: {
      plan_id: PLESK_BASIC,
      client_id: clientId,
      domain_name: `remind-${clientId.slice(0, 8)}.example.org`,
      ftp_login: `ftp${clientId.slice(0, 6)}`,
      ftp_password: 'Remind12345',
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(res.json().order?.status, 'completed', res.body)
  const sub = await db()
    .updateTable('plesk_subscriptions')
    .set({ auto_renew: autoRenew })
    .where('client_id', '=', clientId)
    .returningAll()
    .executeTakeFirstOrThrow()
  assert.equal(sub.status, 'active')
  return sub
}

test('a server that does not auto-renew gets one 7-day, one 3-day and one 1-day reminder, in that order', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const s = await server(id)
  const expire = s.expire_date
  const reports: LifecycleReport[] = []
  for (const days of [10, 6.5, 6, 2.5, 2, 0.5, 0.2, -1]) reports.push(await runAt(expire, days))
  const got = await reminders(id)
  assert.deepEqual(
    got.map(e => [e.type, e.data.days_left]),
    [
      ['service.expiring', 7],
      ['service.expiring', 3],
      ['service.expiring', 1],
    ],
  )
  assert.deepEqual(
    got.map(e => e.occurred_at.getTime()),
    [6.5, 2.5, 0.5].map(d => expire.getTime() - d * DAY),
    'written by the first run past each threshold',
  )
  for (const e of got) {
    assert.equal(e.user_id, u.id)
    assert.equal(e.dedupe_key, `expiring:server:${id}:${iso(expire)}:${e.data.days_left}`)
    assert.deepEqual(e.data, {
      service: { kind: 'server', id, name: 'remind', expires_at: iso(expire) },
      days_left: e.data.days_left,
      auto_renew: false,
      renewal_price: '12.99',
      balance: '87.01',
    })
  }
  assert.ok(reports[1]!.expiringReminders >= 1, 'the run reports what it wrote')
})

test('a server cancelled at the end of its term gets no reminder to renew it', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const cancel = await env.request({
    url: '/API/services/cancel',
    key: u.key,
    body: { user_id: u.id, service_id: id, when: 'end_of_term' },
  })
  assert.equal(cancel.statusCode, 200, cancel.body)
  const expire = (await server(id)).expire_date
  for (const days of [6.5, 2.5, 0.5]) await runAt(expire, days)
  assert.deepEqual(await reminders(id), [], 'nothing to remind: the customer chose to let it end')
})

test('an auto-renewing server the balance covers gets no reminder and is renewed', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, true)
  const expire = (await server(id)).expire_date
  for (const days of [6.5, 2.5, 0.5]) await runAt(expire, days)
  assert.deepEqual(await reminders(id), [])
  assert.ok((await server(id)).expire_date > expire, 'renewed at 0.5 days')
})

test('an auto-renewing server the balance does not cover gets the reminders and one balance.low', async () => {
  const u = await env.user('20.00')
  const id = await activeServer(u, true)
  const expire = (await server(id)).expire_date
  for (const days of [6.5, 6, 2.5, 0.5, 0.2]) await runAt(expire, days)
  const got = await reminders(id)
  assert.deepEqual(
    got.filter(e => e.type === 'service.expiring').map(e => e.data.days_left),
    [7, 3, 1],
  )
  assert.deepEqual(
    got.filter(e => e.type === 'balance.low').map(e => e.occurred_at.getTime()),
    [expire.getTime() - 6.5 * DAY],
    'once per term, with the first reminder',
  )
  const ref = { kind: 'server', id, name: 'remind', expires_at: iso(expire) }
  for (const e of got.filter(x => x.type === 'service.expiring')) {
    assert.equal(e.data.auto_renew, true)
    assert.equal(e.data.renewal_price, '12.99')
    assert.equal(e.data.balance, '7.01')
  }
  const low = got.find(e => e.type === 'balance.low')!
  assert.equal(low.user_id, u.id)
  assert.equal(low.dedupe_key, `balance_low:server:${id}:${iso(expire)}`)
  assert.deepEqual(low.data, { balance: '7.01', needed: '12.99', service: ref })
  assert.equal((await server(id)).expire_date.getTime(), expire.getTime(), 'not renewed')
})

test('after a renewal the new term gets its own reminders', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const first = (await server(id)).expire_date
  await runAt(first, 2.5)
  const ext = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, server_id: id, hours: 720 },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  const second = (await server(id)).expire_date
  assert.equal(second.getTime(), first.getTime() + 30 * DAY)
  await runAt(first, 2.4)
  await runAt(second, 6.5)
  await runAt(second, 2.5)
  const got = await reminders(id)
  assert.deepEqual(
    got.map(e => [e.data.service.expires_at, e.data.days_left, e.data.balance]),
    [
      [iso(first), 3, '87.01'],
      [iso(second), 7, '74.02'],
      [iso(second), 3, '74.02'],
    ],
  )
})

test('a scan that was down from 8 days to 2 writes only the 3-day reminder', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const expire = (await server(id)).expire_date
  await runAt(expire, 8)
  await runAt(expire, 2)
  assert.deepEqual(
    (await reminders(id)).map(e => e.data.days_left),
    [3],
  )
})

test('a Plesk subscription: reminders when auto-renew is off, balance.low when the balance does not cover it', async () => {
  const plan = await db()
    .selectFrom('plesk_plans')
    .select('price_cents')
    .where('id', '=', PLESK_BASIC)
    .executeTakeFirstOrThrow()
  const price = formatAmount(plan.price_cents)
  const rich = await env.user('100.00')
  const off = await activeSubscription(rich, false)
  const poor = await env.user(price)
  const short = await activeSubscription(poor, true)
  const covered = await activeSubscription(await env.user('100.00'), true)
  for (const days of [6.5, 2.5]) {
    await runAt(off.expires_at, days)
    await runAt(short.expires_at, days)
    await runAt(covered.expires_at, days)
  }
  const offGot = await reminders(off.id)
  assert.deepEqual(
    offGot.map(e => [e.type, e.data.days_left]),
    [
      ['service.expiring', 7],
      ['service.expiring', 3],
    ],
  )
  assert.deepEqual(offGot[0]!.data, {
    service: { kind: 'plesk_subscription', id: off.id, name: off.domain_name, expires_at: iso(off.expires_at) },
    days_left: 7,
    auto_renew: false,
    renewal_price: price,
    balance: formatAmount(10000n - plan.price_cents),
  })
  assert.equal(offGot[0]!.dedupe_key, `expiring:plesk_subscription:${off.id}:${iso(off.expires_at)}:7`)
  const shortGot = await reminders(short.id)
  assert.deepEqual(shortGot.map(e => e.type).sort(), ['balance.low', 'service.expiring', 'service.expiring'])
  const low = shortGot.find(e => e.type === 'balance.low')!
  assert.deepEqual(low.data, {
    balance: '0.00',
    needed: price,
    service: { kind: 'plesk_subscription', id: short.id, name: short.domain_name, expires_at: iso(short.expires_at) },
  })
  assert.equal(low.user_id, poor.id)
  assert.deepEqual(await reminders(covered.id), [])
})

test('concurrent lifecycle runs write each reminder once (real concurrency on PostgreSQL)', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const base = await server(id)
  const now = new Date(base.expire_date.getTime() + 40 * DAY)
  const expire = new Date(now.getTime() + 2.5 * DAY)
  // More servers than a batch (50), so the runs page through several and overlap.
  const ids = Array.from({ length: 130 }, () => newUuid())
  await db()
    .insertInto('servers')
    .values(
      ids.map((sid, i) => ({
        id: sid,
        user_id: u.id,
        plan_id: base.plan_id,
        os_image_id: base.os_image_id,
        location_id: base.location_id,
        name: `clone-${i}`,
        status: 'active' as const,
        expire_date: expire,
        updated_at: now,
      })),
    )
    .execute()
  const count = async () =>
    Number(
      (
        await db()
          .selectFrom('events')
          .select(eb => eb.fn.countAll().as('n'))
          .where('dedupe_key', 'is not', null)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const before = await count()
  env.clock.current = now
  const runs = await Promise.all([lifecycle(), lifecycle(), lifecycle()])
  const written = (await count()) - before
  for (const sid of ids) {
    assert.deepEqual(
      (await reminders(sid)).map(e => e.data.days_left),
      [3],
      sid,
    )
  }
  assert.ok(written >= ids.length)
  assert.equal(
    runs.reduce((n, r) => n + r.expiringReminders + r.balanceLowWarnings, 0),
    written,
    'the reports count what was written, nothing twice',
  )
  assert.deepEqual(
    runs.map(r => r.failures),
    [0, 0, 0],
  )
})

test('GET /API/events lists the reminders to their owner only', async () => {
  const u = await env.user('20.00')
  const other = await env.user('100.00')
  const id = await activeServer(u, true)
  await runAt((await server(id)).expire_date, 2.5)
  const list = async (key: string) => {
    const res = await env.request({
      method: 'GET',
      url: '/API/events?type=service.expiring,balance.low&per_page=100',
      key,
    })
    assert.equal(res.statusCode, 200, res.body)
    return res.json<{ data: Array<{ type: string; user_id: string; data: Record<string, any> }> }>().data
  }
  const own = (await list(u.key)).filter(e => e.data.service.id === id)
  assert.deepEqual(own.map(e => e.type).sort(), ['balance.low', 'service.expiring'])
  assert.ok(own.every(e => e.user_id === u.id))
  assert.deepEqual(
    (await list(other.key)).filter(e => e.data.service.id === id),
    [],
  )
})

test('recordEvent with a dedupe key writes once and says so; without one it writes every time', async () => {
  const u = await env.user('0.00')
  const now = new Date()
  const data = {
    balance: '0.00',
    needed: '1.00',
    service: { kind: 'server', id: 'x', name: 'x', expires_at: null },
  } as const
  const key = `test:${newUuid()}`
  const first = await recordEvent(db(), { type: 'balance.low', userId: u.id, data, now, dedupeKey: key })
  const again = await recordEvent(db(), { type: 'balance.low', userId: u.id, data, now, dedupeKey: key })
  assert.match(first ?? '', /^evt_/)
  assert.equal(again, null)
  const plain = [
    await recordEvent(db(), { type: 'balance.low', userId: u.id, data, now }),
    await recordEvent(db(), { type: 'balance.low', userId: u.id, data, now }),
  ]
  const rows = await db().selectFrom('events').select(['id', 'dedupe_key']).where('user_id', '=', u.id).execute()
  assert.equal(rows.length, 3)
  assert.deepEqual(
    rows.filter(r => r.dedupe_key === key).map(r => r.id),
    [first],
  )
  assert.ok(plain.every(p => rows.some(r => r.id === p && r.dedupe_key === null)))
})
