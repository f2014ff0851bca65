/**
 * Cancellation now and termination (issue 13, part C): an unpaid server or subscription stays
 * suspended for TERMINATE_SUSPENDED_AFTER_HOURS after its expiry, then is deleted at the fake
 * SolusVM / fake Plesk with its addons ended; an immediate cancellation terminates at once, with
 * (CANCEL_REFUND_UNUSED) or without a refund of the unused time, exact to the cent and rounded
 * down; addons end at their server's expiry or now. Hostile: two immediate cancellations at once,
 * an open order, another customer's service, a delete SolusVM keeps refusing. Every test ends with
 * balance = Σ ledger and a clean delivery audit, and the audit still catches a tampered refund.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { assertAuditsClean } from '../audits.ts'
import { runLifecycle } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { auditDelivery } from '../../src/domain/billing/audit-delivery.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { waitFor } from '../wait.ts'

/** Refunds off (the default) and on: the setting is read once, at start. */
let env: TestEnv
let envR: TestEnv
before(async () => {
  env = await startTestEnv()
  envR = await startTestEnv({ env: { CANCEL_REFUND_UNUSED: 'true' } })
})
after(async () => {
  await env.close()
  await envR.close()
})
beforeEach(() => {
  for (const e of [env, envR]) {
    e.clock.current = null
    e.providers.fakes.solusvm!.clearFaults()
  }
})

const HOUR = 3600_000
const ADDON = 'addon12345-6789-0123-4567-890123456789'
const TERM_SECONDS = 720n * 3600n
const lifecycle = (e: TestEnv) =>
  runLifecycle({ db: e.deps.db, clock: e.clock, logger: silentLogger, settings: lifecycleSettings(e.config) })
const server = (e: TestEnv, id: string) =>
  e.deps.db.selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const subscription = (e: TestEnv, id: string) =>
  e.deps.db.selectFrom('plesk_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const addonRow = (e: TestEnv, id: string) =>
  e.deps.db.selectFrom('server_addons').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const balance = async (e: TestEnv, userId: string) =>
  (await e.deps.db.selectFrom('users').select('balance_cents').where('id', '=', userId).executeTakeFirstOrThrow())
    .balance_cents
const vm = (e: TestEnv, id: number) => e.providers.fakes.solusvm!.servers().find(s => s.id === id)
const webspaceExists = (e: TestEnv, domain: string) => e.providers.fakes.plesk!.webspaces().some(w => w.name === domain)
const eventsOf = async (e: TestEnv, id: string, type: string) =>
  (
    await e.deps.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', type as 'service.cancelled')
      .execute()
  ).filter(r => (r.data as { service?: { id: string } }).service?.id === id)
const terminateJobs = async (e: TestEnv, id: string) =>
  (
    await e.deps.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', 'in', ['server.terminate', 'plesk.terminate'])
      .execute()
  ).filter(j => {
    const p = j.payload as { serverId?: string; subscriptionId?: string }
    return p.serverId === id || p.subscriptionId === id
  })

const cancel = (e: TestEnv, key: string, serviceId: string, when: string, extra: Record<string, unknown> = {}) =>
  e.request({ url: '/API/services/cancel', key, body: { service_id: serviceId, when, ...extra } })
const quote = (e: TestEnv, key: string, serviceId: string, when: string) =>
  e.request({ url: '/API/services/cancel/quote', key, body: { service_id: serviceId, when } })

async function activeServer(e: TestEnv, u: { id: string; key: string }, autoRenew = false): Promise<string> {
  const res = await e.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const id = res.json().server_status.new_id as string
  assert.equal((await server(e, id)).status, 'active')
  const set = await e.request({
    url: '/API/services/auto_renew',
    key: u.key,
    body: { server_id: id, auto_renew: autoRenew ? 1 : 0 },
  })
  assert.equal(set.statusCode, 200, set.body)
  return id
}

async function withAddon(e: TestEnv, u: { id: string; key: string }, serverId: string): Promise<string> {
  const res = await e.request({
    url: '/API/orders/create_order_addon',
    key: u.key,
    body: { user_id: u.id, server_id: serverId, addon_id: ADDON },
  })
  assert.equal(res.statusCode, 200, res.body)
  const orderId = res.json().order.id as string
  assert.equal(await e.settle(orderId), 'completed')
  const id = res.json().addon_server.id as string
  assert.equal((await addonRow(e, id)).status, 'assigned')
  return id
}

async function activeSubscription(e: TestEnv, u: { id: string; key: string }, tag: string): Promise<string> {
  const client = await e.request({
    url: '/API/plesk/clients/create',
    key: u.key,
    body: { name: 'Host Co', login: `tx${tag}`, email: `tx${tag}@example.com`, password: 'Pass1234word' },
  })
  assert.equal(client.statusCode, 200, client.body)
  const order = await e.request({
    url: '/API/orders/create_order_plesk',
    key: u.key,
    body: {
      plan_id: 'plan123-4567-8901-2345-678901234567',
      client_id: client.json().data.id,
      domain_name: `term-${tag}.example`,
      ftp_login: `tx${tag}ftp`,
      ftp_password: 'Ftp12345xy',
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(order.statusCode, 200, order.body)
  await e.runner.drain()
  const id = order.json().subscription.id as string
  assert.equal((await subscription(e, id)).status, 'active')
  return id
}

/** Runs due jobs until `read` leaves `from` (a retried job becomes due a little later). */
async function until(e: TestEnv, read: () => Promise<string>, from: string): Promise<string> {
  let status = from
  await waitFor(
    async () => {
      await e.runner.drain()
      status = await read()
      return status !== from
    },
    { timeoutMs: 15_000, intervalMs: 20, what: `leaving ${from}` },
  )
  return status
}

/** The unused value of a single paid term at `at`, computed here independently: price × remaining s / term s, rounded down. */
function expectedRefund(price: bigint, expiry: Date, at: Date): bigint {
  const remaining = BigInt(Math.floor(expiry.getTime() / 1000) - Math.floor(at.getTime() / 1000))
  return (price * remaining) / TERM_SECONDS
}

test('unpaid: suspended at expiry, terminated after the grace period — VM deleted at SolusVM, addon ended; the subscription deleted at Plesk', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u)
  const addon = await withAddon(env, u, id)
  const subId = await activeSubscription(env, u, 'unpaid')
  // Not renewed from the balance: it lapses unpaid (no auto-renew switch for subscriptions yet).
  await env.deps.db.updateTable('plesk_subscriptions').set({ auto_renew: false }).where('id', '=', subId).execute()
  const s = await server(env, id)
  const sub = await subscription(env, subId)
  const ip = (await addonRow(env, addon)).assigned_value
  assert.ok(vm(env, s.id_solusvm!)?.ipv4.some(a => a.ip === ip))

  const later = new Date(Math.max(s.expire_date.getTime(), sub.expires_at.getTime()))
  env.clock.current = new Date(later.getTime() + HOUR)
  const first = await lifecycle(env)
  assert.equal(first.failures, 0, JSON.stringify(first))
  assert.equal((await server(env, id)).status, 'suspending', JSON.stringify(first))
  await env.runner.drain()
  const st = await until(env, async () => (await server(env, id)).status, 'suspending')
  assert.equal(st, 'suspended')
  assert.equal(await until(env, async () => (await subscription(env, subId)).status, 'suspending'), 'suspended')

  // Within the grace period: kept (the customer may still pay).
  const grace = env.config.terminateSuspendedAfterHours
  assert.equal(grace, 336)
  env.clock.current = new Date(s.expire_date.getTime() + grace * HOUR - 60_000)
  const early = await lifecycle(env)
  assert.equal((await server(env, id)).status, 'suspended')
  assert.equal(early.serversTerminatedUnpaid, 0)

  // Past it: terminated, once however many runs overlap.
  env.clock.current = new Date(later.getTime() + grace * HOUR + 60_000)
  const reports = await Promise.all([lifecycle(env), lifecycle(env), lifecycle(env)])
  assert.equal(
    reports.reduce((n, r) => n + r.serversTerminatedUnpaid, 0),
    1,
  )
  assert.equal(
    reports.reduce((n, r) => n + r.subscriptionsTerminatedUnpaid, 0),
    1,
  )
  assert.equal((await server(env, id)).status, 'terminating')
  assert.equal((await terminateJobs(env, id)).length, 1)
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'deleted')
  assert.equal(await until(env, async () => (await subscription(env, subId)).status, 'terminating'), 'deleted')
  assert.equal(vm(env, s.id_solusvm!), undefined, 'the VM is gone at SolusVM')
  assert.equal(webspaceExists(env, sub.domain_name), false, 'the webspace is gone at Plesk')
  const a = await addonRow(env, addon)
  assert.equal(a.status, 'released')
  assert.deepEqual((await server(env, id)).extra_ips, [])
  for (const [sid, n] of [
    [id, 1],
    [subId, 1],
    [addon, 1],
  ] as const) {
    const t = await eventsOf(env, sid, 'service.terminated')
    assert.equal(t.length, n, sid)
    assert.equal((t[0]!.data as { reason: string }).reason, 'unpaid')
  }
  await lifecycle(env)
  await env.runner.drain()
  assert.equal((await eventsOf(env, id, 'service.terminated')).length, 1, 'never doubled')
  await assertAuditsClean(env)
})

test('addon cancelled at the end of the term: ends at its server expiry (IP removed at SolusVM), the renewed server stays', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u, true)
  const addon = await withAddon(env, u, id)
  const s = await server(env, id)
  const ip = (await addonRow(env, addon)).assigned_value
  const res = await cancel(env, u.key, addon, 'end_of_term')
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json().cancellation, {
    service_id: addon,
    service_kind: 'addon',
    when: 'end_of_term',
    effective_at: s.expire_date.toISOString(),
    refund: null,
  })
  // Listed with its end; cancelling again answers the same.
  const listed = await env.request({ method: 'GET', url: `/API/servers/detail?server_id=${id}`, key: u.key })
  assert.equal(listed.json().data.addons[0].cancel_at, s.expire_date.toISOString())
  assert.deepEqual((await cancel(env, u.key, addon, 'end_of_term')).json(), res.json())

  env.clock.current = new Date(s.expire_date.getTime() - 2 * HOUR)
  await lifecycle(env)
  assert.equal((await addonRow(env, addon)).status, 'assigned', 'not before its end')
  env.clock.current = new Date(s.expire_date.getTime() + 60_000)
  const r = await lifecycle(env)
  assert.equal(r.addonsReleased, 1)
  assert.equal(await until(env, async () => (await addonRow(env, addon)).status, 'releasing'), 'released')
  const after = await server(env, id)
  assert.equal(after.status, 'active', 'the server was renewed and stays')
  assert.ok(after.expire_date > s.expire_date)
  assert.equal(after.extra_ips.includes(ip), false)
  assert.equal(
    vm(env, s.id_solusvm!)!.ipv4.some(a => a.ip === ip),
    false,
    'the IP is gone at SolusVM',
  )
  assert.equal((await eventsOf(env, addon, 'service.terminated')).length, 1)
  await assertAuditsClean(env)
})

test('immediate cancel without the refund setting: terminated now, nothing credited, cannot be undone', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u)
  const addon = await withAddon(env, u, id)
  const s = await server(env, id)
  const before = await balance(env, u.id)
  env.clock.current = new Date(s.expire_date.getTime() - 100 * HOUR)
  const q = await quote(env, u.key, id, 'immediate')
  assert.equal(q.statusCode, 200, q.body)
  assert.equal(q.json().cancellation.refund, null)
  assert.equal((await server(env, id)).status, 'active', 'the preview changed nothing')

  const res = await cancel(env, u.key, id, 'immediate')
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json().cancellation, {
    service_id: id,
    service_kind: 'server',
    when: 'immediate',
    effective_at: env.clock.current.toISOString(),
    refund: null,
  })
  assert.deepEqual(q.json(), res.json(), 'the preview said what the cancellation did')
  const row = await server(env, id)
  assert.equal(row.status, 'terminating')
  assert.equal(row.auto_renew, false)
  assert.equal(row.expire_date.getTime(), env.clock.current.getTime(), 'paid time cut to now')
  const detail = await env.request({ method: 'GET', url: `/API/servers/detail?server_id=${id}`, key: u.key })
  assert.equal(detail.json().data.status, 'terminating')
  const cancelled = await eventsOf(env, id, 'service.cancelled')
  assert.equal((cancelled[0]!.data as { effective: string }).effective, 'now')

  assertError(await cancel(env, u.key, id, 'immediate'), 409, 'invalid_state')
  assertError(await cancel(env, u.key, id, 'end_of_term'), 409, 'invalid_state')
  assertError(
    await env.request({ url: '/API/services/cancel/undo', key: u.key, body: { service_id: id } }),
    409,
    'invalid_state',
  )
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'deleted')
  assert.equal(vm(env, s.id_solusvm!), undefined)
  assert.equal((await addonRow(env, addon)).status, 'released')
  assert.equal((await eventsOf(env, id, 'service.terminated'))[0]!.data.reason, 'cancelled')
  assert.equal(await balance(env, u.id), before, 'nothing credited')
  await assertAuditsClean(env)
})

test('immediate cancel with CANCEL_REFUND_UNUSED: the unused time credited to the cent (rounded down), once; the audit catches a tampered refund', async () => {
  const u = await envR.user('100.00')
  const id = await activeServer(envR, u)
  const s = await server(envR, id)
  const [period] = await envR.deps.db.selectFrom('service_periods').selectAll().where('service_id', '=', id).execute()
  assert.equal(period!.amount_cents, 1299n)
  // 100 h 7 min 13 s before the expiry: 1299 × 360433 / 2592000 = 180.63… → 180 cents.
  const at = new Date(s.expire_date.getTime() - (100 * 3600 + 7 * 60 + 13) * 1000)
  envR.clock.current = at
  const want = expectedRefund(1299n, s.expire_date, at)
  assert.equal(want, 180n)
  const before = await balance(envR, u.id)

  const q = await quote(envR, u.key, id, 'immediate')
  assert.equal(q.json().cancellation.refund, '1.80')
  assert.equal(await balance(envR, u.id), before, 'the preview credits nothing')
  assert.equal(
    (await envR.deps.db.selectFrom('service_periods').select('id').where('service_id', '=', id).execute()).length,
    1,
  )
  assert.equal((await quote(envR, u.key, id, 'end_of_term')).json().cancellation.refund, null)

  // Two at once: one termination, one refund; the other is refused.
  const answers = await Promise.all([cancel(envR, u.key, id, 'immediate'), cancel(envR, u.key, id, 'immediate')])
  const ok = answers.filter(r => r.statusCode === 200)
  assert.equal(ok.length, 1, answers.map(r => r.body).join(' | '))
  for (const r of answers) if (r.statusCode !== 200) assertError(r, 409, 'invalid_state')
  assert.equal(ok[0]!.json().cancellation.refund, '1.80')
  assert.equal(await balance(envR, u.id), before + want)
  const refunds = await envR.deps.db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('user_id', '=', u.id)
    .where('kind', '=', 'cancel_refund')
    .execute()
  assert.equal(refunds.length, 1)
  assert.equal(refunds[0]!.delta_cents, want)
  assert.equal((await terminateJobs(envR, id)).length, 1)
  await assertAuditsClean(envR)
  assert.equal(await until(envR, async () => (await server(envR, id)).status, 'terminating'), 'deleted')
  await assertAuditsClean(envR)

  // The audit still catches a refund that is not the unused value.
  const cut = await envR.deps.db
    .selectFrom('service_periods')
    .selectAll()
    .where('service_id', '=', id)
    .where('kind', '=', 'cancel')
    .executeTakeFirstOrThrow()
  assert.equal(cut.amount_cents, -want)
  await envR.deps.db.updateTable('service_periods').set({ amount_cents: -999n }).where('id', '=', cut.id).execute()
  const audit = await auditDelivery(envR.deps.db, { now: envR.clock.now(), suspendGraceHours: 0, toleranceMs: 0 })
  const checks = audit.violations.map(v => v.check).sort()
  assert.deepEqual(checks, ['cancel_refund_mismatch', 'cancel_refund_unmatched'])
  await envR.deps.db
    .updateTable('service_periods')
    .set({ amount_cents: cut.amount_cents })
    .where('id', '=', cut.id)
    .execute()
  await assertAuditsClean(envR)
})

test('immediate cancel of a Plesk subscription with a refund, and of an addon (never refunded)', async () => {
  const u = await envR.user('100.00')
  const subId = await activeSubscription(envR, u, 'now')
  const sub = await subscription(envR, subId)
  const [period] = await envR.deps.db
    .selectFrom('service_periods')
    .selectAll()
    .where('service_id', '=', subId)
    .execute()
  const at = new Date(sub.expires_at.getTime() - 200 * HOUR - 17_000)
  envR.clock.current = at
  const months = BigInt(Math.round((sub.expires_at.getTime() - period!.starts_at.getTime()) / 1000))
  const remaining = BigInt(Math.floor(sub.expires_at.getTime() / 1000) - Math.floor(at.getTime() / 1000))
  const want = (period!.amount_cents * remaining) / months
  const before = await balance(envR, u.id)
  const res = await cancel(envR, u.key, subId, 'immediate')
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().cancellation.service_kind, 'plesk')
  assert.equal(res.json().cancellation.refund, (Number(want) / 100).toFixed(2))
  assert.equal(await balance(envR, u.id), before + want)
  assert.equal(await until(envR, async () => (await subscription(envR, subId)).status, 'terminating'), 'deleted')
  assert.equal(webspaceExists(envR, sub.domain_name), false)

  envR.clock.current = null
  const id = await activeServer(envR, u)
  const addon = await withAddon(envR, u, id)
  const ip = (await addonRow(envR, addon)).assigned_value
  const vmId = (await server(envR, id)).id_solusvm!
  const mid = await balance(envR, u.id)
  const a = await cancel(envR, u.key, addon, 'immediate')
  assert.equal(a.statusCode, 200, a.body)
  assert.equal(a.json().cancellation.service_kind, 'addon')
  assert.equal(a.json().cancellation.refund, '0.00')
  assert.equal(await until(envR, async () => (await addonRow(envR, addon)).status, 'releasing'), 'released')
  assert.equal(await balance(envR, u.id), mid)
  assert.equal((await server(envR, id)).extra_ips.includes(ip), false)
  assert.equal(
    vm(envR, vmId)!.ipv4.some(x => x.ip === ip),
    false,
  )
  assert.equal((await server(envR, id)).status, 'active', 'its server stays')
  assertError(await cancel(envR, u.key, addon, 'immediate'), 409, 'invalid_state')
  await assertAuditsClean(envR)

  // The audit notices a released addon whose IP is still on the server.
  await envR.deps.db
    .updateTable('servers')
    .set({ extra_ips: [ip] })
    .where('id', '=', id)
    .execute()
  const audit = await auditDelivery(envR.deps.db, { now: envR.clock.now(), suspendGraceHours: 0, toleranceMs: 0 })
  assert.deepEqual(
    audit.violations.map(v => v.check),
    ['addon_not_released'],
  )
  await envR.deps.db.updateTable('servers').set({ extra_ips: [] }).where('id', '=', id).execute()
})

test('refused: an open order on the service, another customer’s service (404), a bad when', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u)
  const addon = await withAddon(env, u, id)
  const ext = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, server_id: id, hours: 24, type_payment: 'crypto' },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  for (const target of [id, addon]) {
    for (const send of [cancel, quote]) {
      const r = await send(env, u.key, target, 'immediate')
      assertError(r, 409, 'invalid_state')
      assert.equal(r.json().error.pending_order_id, ext.json().order_id)
    }
  }
  assert.equal((await server(env, id)).status, 'active')
  assert.equal((await addonRow(env, addon)).status, 'assigned')
  assert.equal((await terminateJobs(env, id)).length, 0)

  const other = await env.user('100.00')
  for (const target of [id, addon]) {
    assertError(await cancel(env, other.key, target, 'immediate'), 404, 'not_found')
    assertError(await quote(env, other.key, target, 'immediate'), 404, 'not_found')
  }
  const bad = await env.request({ url: '/API/services/cancel', key: u.key, body: { service_id: id, when: 'now' } })
  assert.equal(bad.statusCode, 400, bad.body)
  assert.equal((await server(env, id)).status, 'active')
  await assertAuditsClean(env)
})

test('a delete SolusVM keeps refusing: retried, back where it came from (active, then suspended), the next run ends it, once', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u)
  const s = await server(env, id)
  // Every job attempt (3) sends DELETE up to three times (the HTTP client retries idempotent calls).
  env.providers.fakes.solusvm!.injectFault({
    method: 'DELETE',
    path: `/servers/${s.id_solusvm}`,
    fault: 'http500',
    times: 9,
  })
  env.clock.current = new Date(s.expire_date.getTime() - 10 * HOUR)
  assert.equal((await cancel(env, u.key, id, 'immediate')).statusCode, 200)
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'active')
  const back = await server(env, id)
  assert.equal(back.cancel_at?.getTime(), env.clock.current.getTime(), 'the cancellation is kept')
  assert.ok(vm(env, s.id_solusvm!))
  assert.equal((await eventsOf(env, id, 'service.terminated')).length, 0)
  assertError(
    await env.request({ url: '/API/services/cancel/undo', key: u.key, body: { service_id: id } }),
    409,
    'invalid_state',
  )
  const [failed] = await terminateJobs(env, id)
  assert.equal(failed!.state, 'failed')
  assert.equal(failed!.attempts, 3)
  await assertAuditsClean(env)
  const r = await lifecycle(env)
  assert.ok(r.serversTerminated >= 1)
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'deleted')
  assert.equal(vm(env, s.id_solusvm!), undefined)
  assert.equal((await eventsOf(env, id, 'service.terminated')).length, 1)

  // Unpaid past the grace: giving up leaves it suspended, and the next run tries again.
  env.clock.current = null
  const v = await env.user('100.00')
  const sid = await activeServer(env, v)
  const t = await server(env, sid)
  env.clock.current = new Date(t.expire_date.getTime() + HOUR)
  await lifecycle(env)
  assert.equal(await until(env, async () => (await server(env, sid)).status, 'suspending'), 'suspended')
  env.providers.fakes.solusvm!.injectFault({
    method: 'DELETE',
    path: `/servers/${t.id_solusvm}`,
    fault: 'http500',
    times: 9,
  })
  env.clock.current = new Date(t.expire_date.getTime() + 337 * HOUR)
  assert.ok((await lifecycle(env)).serversTerminatedUnpaid >= 1)
  assert.equal(await until(env, async () => (await server(env, sid)).status, 'terminating'), 'suspended')
  assert.equal((await eventsOf(env, sid, 'service.terminated')).length, 0)
  assert.ok((await lifecycle(env)).serversTerminatedUnpaid >= 1)
  assert.equal(await until(env, async () => (await server(env, sid)).status, 'terminating'), 'deleted')
  assert.equal((await eventsOf(env, sid, 'service.terminated')).length, 1)
  assert.equal((await terminateJobs(env, sid)).length, 2)
  await assertAuditsClean(env)
})

test('an operator terminates any service now, choosing the refund; audited; a customer key is refused', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u)
  const s = await server(env, id)
  const admin = await env.user('0.00', true)
  const terminate = (key: string, body: Record<string, unknown>) =>
    env.request({ url: '/API/admin/services/terminate', key, body })
  assert.equal((await terminate(u.key, { service_id: id })).statusCode, 403)
  assertError(await terminate(admin.key, { service_id: 'no-such-service' }), 404, 'not_found')

  const at = new Date(s.expire_date.getTime() - 50 * HOUR - 1234)
  env.clock.current = at
  const want = expectedRefund(1299n, s.expire_date, at)
  const before = await balance(env, u.id)
  // The operator refunds although CANCEL_REFUND_UNUSED is off here.
  const res = await terminate(admin.key, { service_id: id, refund: true, reason: 'abuse report #12' })
  assert.equal(res.statusCode, 202, res.body)
  assert.equal(res.json().cancellation.refund, (Number(want) / 100).toFixed(2))
  assert.equal(await balance(env, u.id), before + want)
  const audit = await env.deps.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'service.terminate')
    .where('target_id', '=', id)
    .execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.actor, admin.keyId)
  assert.equal((audit[0]!.details as { reason: string }).reason, 'abuse report #12')
  assertError(await terminate(admin.key, { service_id: id }), 409, 'invalid_state')
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'deleted')
  assert.equal((await eventsOf(env, id, 'service.terminated'))[0]!.data.reason, 'operator')
  await assertAuditsClean(env)
})

test('an operator terminates a deactivated account’s server; the customer’s own cancel is refused for it', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u)
  const admin = await env.user('0.00', true)
  const off = await env.request({ url: `/API/admin/users/${u.id}/deactivate`, key: admin.key })
  assert.equal(off.statusCode, 200, off.body)
  // Its own key is refused at authentication; an admin acting for it through the customer route is refused as a use.
  assert.equal((await cancel(env, u.key, id, 'immediate')).statusCode, 401)
  assert.notEqual((await cancel(env, admin.key, id, 'immediate', { user_id: u.id })).statusCode, 200)
  const res = await env.request({
    url: '/API/admin/services/terminate',
    key: admin.key,
    body: { service_id: id, reason: 'account closed' },
  })
  assert.equal(res.statusCode, 202, res.body)
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'deleted')
  await assertAuditsClean(env)
})

test('an operator termination whose delete gave up is ended by the next run, still for the operator', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(env, u)
  const s = await server(env, id)
  const admin = await env.user('0.00', true)
  env.providers.fakes.solusvm!.injectFault({
    method: 'DELETE',
    path: `/servers/${s.id_solusvm}`,
    fault: 'http500',
    times: 9,
  })
  const res = await env.request({ url: '/API/admin/services/terminate', key: admin.key, body: { service_id: id } })
  assert.equal(res.statusCode, 202, res.body)
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'active')
  assert.ok((await lifecycle(env)).serversTerminated >= 1)
  assert.equal(await until(env, async () => (await server(env, id)).status, 'terminating'), 'deleted')
  const ended = await eventsOf(env, id, 'service.terminated')
  assert.deepEqual(
    ended.map(e => e.data.reason),
    ['operator'],
  )
  await assertAuditsClean(env)
})
