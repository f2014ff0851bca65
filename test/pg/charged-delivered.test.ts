/**
 * Issue 8, "what is charged is what is delivered", as a hostile customer would try it, on
 * PostgreSQL with real concurrency: orders racing on one service, crypto orders left unpaid,
 * operator retries after later orders, a lapsed auto-renewal. After every test, the money audit
 * (balance = Σ ledger, payments) and the delivery audit (paid periods, addons, refunds) are clean.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { onPostgres, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { TERM_SECONDS } from '../../src/domain/billing/pricing.ts'
import { runLifecycle } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { retryFailedJob } from '../../src/domain/admin/retry-job.ts'
import { jobDefinitions } from '../../src/jobs/catalog.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { assertAuditClean, balanceOf, settle, startPaymentsEnv } from '../payments/helpers.ts'

const skip = onPostgres ? false : 'money races need PostgreSQL (runs in the PostgreSQL suite)'

const ORDER = '/API/orders/create_order'
const ADDON = '/API/orders/create_order_addon'
const PLESK = '/API/orders/create_order_plesk'
const SCALE_PLESK = '/API/orders/create_order_scale_plesk'
const INVOICE = '/API/invoice'
const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const PLESK_BASIC = 'plan123-4567-8901-2345-678901234567'
const PLESK_PRO = 'plan345-6789-0123-4567-890123456789'
const HOUR = 3_600_000

let env: TestEnv
before(async () => {
  if (!skip) env = await startPaymentsEnv({ AUTO_RENEW_AHEAD_HOURS: '720' })
})
after(async () => {
  if (!skip) await env.close()
})
beforeEach(() => {
  if (!skip) env.clock.current = null
})

const db = () => env.deps.db
const serverRow = (id: string) => db().selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const orderRow = (id: string) => db().selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const subRow = (id: string) =>
  db().selectFrom('plesk_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const lifecycle = () =>
  runLifecycle({ db: db(), clock: env.clock, logger: silentLogger, settings: lifecycleSettings(env.config) })
const retry = (jobId: string) =>
  retryFailedJob(db(), jobDefinitions(env.deps), env.deps.secretBox, { jobId, actor: 'operator', now: env.clock.now() })
const failedJobOf = async (orderId: string) =>
  db().selectFrom('jobs').select(['id', 'state']).where('order_id', '=', orderId).executeTakeFirstOrThrow()

const assertDeliveryClean = () => assertAuditClean(env)

/**
 * What the customer holds, scaled by TERM_SECONDS so it stays exact: balance plus the remaining
 * time of each live server at its plan's list price. It may never exceed what they put in.
 */
async function holdings(userId: string): Promise<bigint> {
  const now = env.clock.now().getTime()
  const servers = await db()
    .selectFrom('servers')
    .innerJoin('vps_plans', 'vps_plans.id', 'servers.plan_id')
    .select(['servers.expire_date', 'vps_plans.price_cents'])
    .where('servers.user_id', '=', userId)
    .where('servers.status', 'in', ['active', 'suspended', 'suspending', 'resizing'])
    .execute()
  let value = (await balanceOf(env, userId)) * TERM_SECONDS
  for (const s of servers) {
    value += BigInt(Math.max(0, Math.floor((s.expire_date.getTime() - now) / 1000))) * s.price_cents
  }
  return value
}
const putIn = (cents: bigint): bigint => cents * TERM_SECONDS

async function userWithServer(balance: string, plan = '5') {
  const u = await env.user(balance)
  const res = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: plan, os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.json().status, 'completed', res.body)
  return { ...u, serverId: res.json().server_status.new_id as string }
}

async function payInvoice(paymentUrl: string): Promise<void> {
  const res = await fetch(paymentUrl, { method: 'POST' })
  assert.equal(res.status, 200, await res.text())
  await settle(env)
}

test(
  '1a: an extension racing an upgrade on one server is refused while the upgrade is in flight; no balance is created',
  { skip },
  async () => {
    const u = await userWithServer('1000.00', '3')
    // The upgrade's resize task fails once, so its job is still in flight (processing) when the extensions arrive.
    env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: /\/resize$/, fault: 'http500' })
    const up = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '7' },
    })
    assert.equal(up.statusCode, 200, up.body)
    const upOrder = up.json().order_id as string
    assert.equal((await orderRow(upOrder)).status, 'processing')
    const ext = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, hours: 8760 },
    })
    assertError(ext, 409, 'invalid_state')
    assert.equal(ext.json().error.pending_order_id, upOrder, 'the refusal names the order in flight')
    assert.equal(ext.json().error.pending_order_status, 'processing')
    assert.equal(await env.settle(upOrder), 'completed')

    // Now the same race for real: an upgrade and five year-long extensions at once.
    const racers = await Promise.all([
      env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: u.serverId, plan_id: '11' } }),
      ...Array.from({ length: 5 }, () =>
        env.request({ url: ORDER, key: u.key, body: { user_id: u.id, server_id: u.serverId, hours: 8760 } }),
      ),
    ])
    // Each is served, refused while another holds the server, or (the upgrade on a long term) not covered.
    for (const r of racers) {
      assert.ok(
        r.statusCode === 200 ||
          (r.statusCode === 409 && r.json().error.code === 'invalid_state') ||
          r.statusCode === 402,
        r.body,
      )
    }
    assert.ok(racers.filter(r => r.statusCode === 200).length >= 1)
    for (const r of racers.filter(r => r.statusCode === 200)) await env.settle(r.json().order_id)
    // The exploit continues with a downgrade that credits the hours back at the expensive plan's price.
    const down = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '3' },
    })
    assert.equal(down.statusCode, 200, down.body)
    await env.settle(down.json().order_id)
    assert.ok((await holdings(u.id)) <= putIn(100000n), 'balance + service value never exceeds what was put in')
    await assertDeliveryClean()
  },
)

test(
  '1b: an unpaid crypto extension holds the server: an upgrade is refused until it is paid, then priced on the new state',
  { skip },
  async () => {
    const u = await userWithServer('1000.00', '3')
    const ext = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, hours: 8760, type_payment: 'crypto' },
    })
    assert.equal(ext.statusCode, 200, ext.body)
    assert.equal(ext.json().status, 'pending_payment')
    const extOrder = ext.json().order_id as string
    const up = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '7' },
    })
    assertError(up, 409, 'invalid_state')
    assert.equal(up.json().error.pending_order_id, extOrder)
    assert.equal(up.json().error.pending_order_status, 'pending_payment')
    const addon = await env.request({
      url: ADDON,
      key: u.key,
      body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId },
    })
    assertError(addon, 409, 'invalid_state')
    await payInvoice(ext.json().payment.payment_url)
    assert.equal((await orderRow(extOrder)).status, 'completed')
    const up2 = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '7' },
    })
    assert.equal(up2.statusCode, 200, up2.body)
    assert.equal(await env.settle(up2.json().order_id), 'completed')
    const down = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '3' },
    })
    await env.settle(down.json().order_id)
    // What the crypto payment credited counts as put in.
    const credited = (
      await db()
        .selectFrom('payments')
        .select('credited_cents')
        .where('order_id', '=', extOrder)
        .executeTakeFirstOrThrow()
    ).credited_cents
    assert.ok((await holdings(u.id)) <= putIn(100000n + credited))
    await assertDeliveryClean()
  },
)

test(
  '2a: an operator retry of a failed Plesk renewal after a later one succeeded extends from the current expiry, never back',
  { skip },
  async () => {
    const u = await env.user('100.00')
    const clientId = newUuid()
    await db()
      .insertInto('plesk_clients')
      .values({
        id: clientId,
        user_id: u.id,
        name: 'Retry Client',
        login: `r${clientId.slice(0, 8)}`,
        email: `${clientId}@test.invalid`,
      })
      .execute()
    const created = await env.request({
      url: PLESK,
      key: u.key,
      body: {
        plan_id: PLESK_BASIC,
        client_id: clientId,
        domain_name: `retry-${clientId.slice(0, 8)}.example.org`,
        ftp_login: 'ftpretry',
        ftp_password: 'Retry12345',
        subscription_duration: 1,
        type_payment: 'balance',
      },
    })
    assert.equal(created.json().order.status, 'completed', created.body)
    assert.equal(created.json().order?.status, 'completed', created.body)
    const subId = created.json().subscription.id as string
    const start = (await subRow(subId)).expires_at
    env.providers.fakes.plesk!.injectFault({ operation: 'webspace.set', fault: 'error' })
    const failed = await env.request({
      url: SCALE_PLESK,
      key: u.key,
      body: { subscription_id: subId, months: 1, type_payment: 'balance' },
    })
    assert.equal(failed.json().order.status, 'failed', failed.body)
    const later = await env.request({
      url: SCALE_PLESK,
      key: u.key,
      body: { subscription_id: subId, months: 3, type_payment: 'balance' },
    })
    assert.equal(later.json().order.status, 'completed', later.body)
    const afterLater = (await subRow(subId)).expires_at
    const job = await failedJobOf(failed.json().order.id)
    assert.equal(job.state, 'failed')
    await retry(job.id)
    assert.equal(await env.settle(failed.json().order.id), 'completed')
    const final = (await subRow(subId)).expires_at
    assert.ok(final > afterLater, `retry extends from ${afterLater.toISOString()}, got ${final.toISOString()}`)
    assert.ok(final > start)
    // 4 months paid (1 + 3) plus the original month, each charged once.
    assert.equal(await balanceOf(env, u.id), 10000n - 5n * 999n)
    await assertDeliveryClean()
  },
)

test(
  '2b: an operator retry of a failed downgrade after a second downgrade is refused: no second credit, no extra term',
  { skip },
  async () => {
    const u = await userWithServer('500.00', '11')
    env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: /\/resize$/, fault: 'task-fail', times: 5 })
    const first = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '7' },
    })
    assert.equal(await env.settle(first.json().order_id), 'failed')
    env.providers.fakes.solusvm!.clearFaults()
    const second = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '5' },
    })
    assert.equal(await env.settle(second.json().order_id), 'completed')
    const before = { balance: await balanceOf(env, u.id), expire: (await serverRow(u.serverId)).expire_date.getTime() }
    const job = await failedJobOf(first.json().order_id)
    await assert.rejects(
      retry(job.id),
      (err: Error & { code?: string }) => err.code === 'invalid_state' && /on plan 5 now/.test(err.message),
    )
    assert.equal(await balanceOf(env, u.id), before.balance)
    assert.equal((await serverRow(u.serverId)).expire_date.getTime(), before.expire)
    assert.equal((await orderRow(first.json().order_id)).status, 'failed')
    await assertDeliveryClean()
  },
)

test('2c: an operator retry of a failed upgrade re-quotes it on the remaining time now', { skip }, async () => {
  const t0 = new Date()
  env.clock.current = t0
  const u = await userWithServer('500.00', '5')
  env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: /\/resize$/, fault: 'task-fail', times: 5 })
  const first = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, server_id: u.serverId, plan_id: '7' },
  })
  assert.equal(await env.settle(first.json().order_id), 'failed')
  env.providers.fakes.solusvm!.clearFaults()
  const quoted = (await orderRow(first.json().order_id)).amount_cents
  env.clock.current = new Date(t0.getTime() + 10 * 24 * HOUR)
  await retry((await failedJobOf(first.json().order_id)).id)
  assert.equal(await env.settle(first.json().order_id), 'completed')
  const requoted = (await orderRow(first.json().order_id)).amount_cents
  assert.ok(requoted < quoted, `ten days less to upgrade: ${requoted} < ${quoted}`)
  assert.equal(await balanceOf(env, u.id), 50000n - 1299n - requoted)
  await assertDeliveryClean()
})

test(
  '3: concurrent IPv4 addon orders on one server: each completed order has its own IP, the others are refused',
  { skip },
  async () => {
    const u = await userWithServer('100.00')
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        env.request({ url: ADDON, key: u.key, body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId } }),
      ),
    )
    const ok = results.filter(r => r.statusCode === 200)
    for (const r of results.filter(r => r.statusCode !== 200)) assertError(r, 409, 'invalid_state')
    assert.ok(ok.length >= 1)
    for (const r of ok) await env.settle(r.json().order.id)
    for (let i = 0; i < 2; i++) {
      const r = await env.request({
        url: ADDON,
        key: u.key,
        body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId },
      })
      assert.equal(r.statusCode, 200, r.body)
      await env.settle(r.json().order.id)
    }
    const assigned = await db()
      .selectFrom('server_addons')
      .select('assigned_value')
      .where('server_id', '=', u.serverId)
      .where('status', '=', 'assigned')
      .execute()
    const completed = await db()
      .selectFrom('orders')
      .select('id')
      .where('server_id', '=', u.serverId)
      .where('order_type', '=', 'addon')
      .where('status', '=', 'completed')
      .execute()
    assert.equal(assigned.length, completed.length)
    assert.equal(new Set(assigned.map(a => a.assigned_value)).size, assigned.length, 'no IP is shared')
    assert.equal(await balanceOf(env, u.id), 10000n - 1299n - BigInt(completed.length) * 399n)
    // The index keeps it so whatever a job does.
    await assert.rejects(
      db()
        .updateTable('server_addons')
        .set({ assigned_value: assigned[0]!.assigned_value })
        .where('server_id', '=', u.serverId)
        .where('status', '=', 'assigned')
        .where('assigned_value', '=', assigned[1]!.assigned_value)
        .execute(),
      /server_addons_one_ip/,
    )
    await assertDeliveryClean()
  },
)

test(
  '4: an expired server held by an unpaid crypto plan change is suspended; the order is cancelled and its invoice cannot be re-issued',
  { skip },
  async () => {
    const u = await userWithServer('12.99')
    const change = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '7', type_payment: 'crypto' },
    })
    assert.equal(change.json().status, 'pending_payment', change.body)
    assert.equal((await serverRow(u.serverId)).status, 'resizing')
    env.clock.current = new Date((await serverRow(u.serverId)).expire_date.getTime() + HOUR)
    const report = await lifecycle()
    assert.ok(report.overdueOrdersCancelled >= 1)
    assert.ok(report.serversSuspended >= 1)
    await env.runner.drain()
    assert.equal((await serverRow(u.serverId)).status, 'suspended')
    assert.equal((await orderRow(change.json().order_id)).status, 'cancelled')
    const again = await env.request({
      url: INVOICE,
      key: u.key,
      body: {
        user_id: u.id,
        order_id: change.json().order_id,
        currency: 'EUR',
        pay_currency: 'USDT',
        network: 'TRC20',
      },
    })
    assertError(again, 409, 'invalid_state')
    await assertDeliveryClean()
  },
)

test('4: an unpaid order ends at its deadline however often its invoice is re-issued', { skip }, async () => {
  const u = await userWithServer('12.99')
  const ext = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, server_id: u.serverId, hours: 24, type_payment: 'crypto' },
  })
  const orderId = ext.json().order_id as string
  const order = await orderRow(orderId)
  assert.ok(order.pay_by !== null)
  assert.ok(order.pay_by.getTime() <= order.created_at.getTime() + env.config.invoiceLifetimeMinutes * 60_000 + 1000)
  // The re-issue of an open invoice answers it; it never moves the deadline.
  const reissued = await env.request({
    url: INVOICE,
    key: u.key,
    body: { user_id: u.id, order_id: orderId, currency: 'EUR', pay_currency: 'USDT', network: 'TRC20' },
  })
  assert.equal(reissued.statusCode, 200, reissued.body)
  assert.equal((await orderRow(orderId)).pay_by!.getTime(), order.pay_by.getTime())
  env.clock.current = new Date(order.pay_by.getTime() + 1000)
  const late = await env.request({
    url: INVOICE,
    key: u.key,
    body: { user_id: u.id, order_id: orderId, currency: 'EUR', pay_currency: 'USDT', network: 'TRC20' },
  })
  assertError(late, 409, 'invalid_state')
  await lifecycle()
  assert.equal((await orderRow(orderId)).status, 'cancelled')
  assert.equal((await serverRow(u.serverId)).status, 'active')
})

test('4: an expired subscription held by an unpaid crypto renewal is suspended', { skip }, async () => {
  const u = await env.user('9.99')
  const clientId = newUuid()
  await db()
    .insertInto('plesk_clients')
    .values({
      id: clientId,
      user_id: u.id,
      name: 'Hold Client',
      login: `h${clientId.slice(0, 8)}`,
      email: `${clientId}@test.invalid`,
    })
    .execute()
  const created = await env.request({
    url: PLESK,
    key: u.key,
    body: {
      plan_id: PLESK_BASIC,
      client_id: clientId,
      domain_name: `hold-${clientId.slice(0, 8)}.example.org`,
      ftp_login: 'ftphold',
      ftp_password: 'Hold123456',
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(created.json().order?.status, 'completed', created.body)
  const subId = created.json().subscription.id as string
  await db().updateTable('plesk_subscriptions').set({ auto_renew: false }).where('id', '=', subId).execute()
  const renew = await env.request({
    url: SCALE_PLESK,
    key: u.key,
    body: { subscription_id: subId, months: 1, type_payment: 'crypto' },
  })
  assert.equal(renew.json().order.status, 'pending_payment', renew.body)
  env.clock.current = new Date((await subRow(subId)).expires_at.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.equal((await subRow(subId)).status, 'suspended')
  assert.equal((await orderRow(renew.json().order.id)).status, 'cancelled')
  await assertDeliveryClean()
})

test(
  '5: an unpaid domain reservation ends at its deadline; a paid order for the domain then succeeds at once',
  { skip },
  async () => {
    const squatter = await env.user('0.00')
    const owner = await env.user('50.00')
    const clients = await Promise.all(
      [squatter, owner].map(async u => {
        const id = newUuid()
        await db()
          .insertInto('plesk_clients')
          .values({ id, user_id: u.id, name: 'Client', login: `d${id.slice(0, 8)}`, email: `${id}@test.invalid` })
          .execute()
        return id
      }),
    )
    const domain = `squat-${newUuid().slice(0, 8)}.example.org`
    const body = (clientId: string, type: string) => ({
      plan_id: PLESK_BASIC,
      client_id: clientId,
      domain_name: domain,
      ftp_login: 'ftpsquat',
      ftp_password: 'Squat12345',
      subscription_duration: 1,
      type_payment: type,
    })
    const held = await env.request({ url: PLESK, key: squatter.key, body: body(clients[0]!, 'crypto') })
    assert.equal(held.json().order.status, 'pending_payment', held.body)
    assertError(await env.request({ url: PLESK, key: owner.key, body: body(clients[1]!, 'balance') }), 409, 'conflict')
    const payBy = (await orderRow(held.json().order.id)).pay_by!
    env.clock.current = new Date(payBy.getTime() + 1000)
    // Re-issuing does not help the squatter…
    assertError(
      await env.request({
        url: INVOICE,
        key: squatter.key,
        body: {
          user_id: squatter.id,
          order_id: held.json().order.id,
          currency: 'EUR',
          pay_currency: 'USDT',
          network: 'TRC20',
        },
      }),
      409,
      'invalid_state',
    )
    // …and the owner's paid order goes through before any lifecycle run, racing a second squat attempt.
    const [own, squat] = await Promise.all([
      env.request({ url: PLESK, key: owner.key, body: body(clients[1]!, 'balance') }),
      env.request({ url: PLESK, key: squatter.key, body: body(clients[0]!, 'crypto') }),
    ])
    const winners = [own, squat].filter(r => r.statusCode === 200)
    assert.equal(winners.length, 1, `${own.body} ${squat.body}`)
    if (own.statusCode === 200) assert.equal(own.json().order.status, 'completed', own.body)
    assert.equal((await orderRow(held.json().order.id)).status, 'cancelled')
    await assertDeliveryClean()
  },
)

test('6: a lapsed server is auto-renewed once per lapse even with AUTO_RENEW_AHEAD_HOURS=720', { skip }, async () => {
  const u = await userWithServer('100.00')
  await db().updateTable('servers').set({ auto_renew: true }).where('id', '=', u.serverId).execute()
  env.clock.current = new Date((await serverRow(u.serverId)).expire_date.getTime() + HOUR)
  const runs = await Promise.all([lifecycle(), lifecycle()])
  await lifecycle()
  env.clock.current = new Date(env.clock.current.getTime() + 1000)
  await lifecycle()
  const renewals = await db()
    .selectFrom('orders')
    .select('id')
    .where('server_id', '=', u.serverId)
    .where('order_type', '=', 'renew_server')
    .execute()
  assert.equal(renewals.length, 1, JSON.stringify(runs))
  assert.equal(await balanceOf(env, u.id), 10000n - 2n * 1299n)
  await assertDeliveryClean()
})

test(
  'a plan change applied later than its quote is settled on the remaining time then (a delayed downgrade gains nothing)',
  { skip },
  async () => {
    const t0 = new Date()
    env.clock.current = t0
    const u = await userWithServer('500.00', '11')
    env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: /\/resize$/, fault: 'http500' })
    const down = await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, plan_id: '3' },
    })
    assert.equal((await orderRow(down.json().order_id)).status, 'processing')
    // The job's retry happens two days later: those two days ran on the expensive plan.
    env.clock.current = new Date(t0.getTime() + 48 * HOUR)
    assert.equal(await env.settle(down.json().order_id), 'completed')
    // Worth no more than what was put in, less the two days that ran on the old plan.
    assert.ok((await holdings(u.id)) <= putIn(50000n) - BigInt(48 * 3600) * 6999n)
    await assertDeliveryClean()
  },
)

test('a Plesk renewal onto another plan is settled when applied', { skip }, async () => {
  const u = await env.user('100.00')
  const clientId = newUuid()
  await db()
    .insertInto('plesk_clients')
    .values({
      id: clientId,
      user_id: u.id,
      name: 'Plan Client',
      login: `p${clientId.slice(0, 8)}`,
      email: `${clientId}@test.invalid`,
    })
    .execute()
  const created = await env.request({
    url: PLESK,
    key: u.key,
    body: {
      plan_id: PLESK_BASIC,
      client_id: clientId,
      domain_name: `plan-${clientId.slice(0, 8)}.example.org`,
      ftp_login: 'ftpplan',
      ftp_password: 'Plan123456',
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(created.json().order?.status, 'completed', created.body)
  const subId = created.json().subscription.id as string
  const r = await env.request({
    url: SCALE_PLESK,
    key: u.key,
    body: { subscription_id: subId, months: 1, new_plan_id: PLESK_PRO, type_payment: 'balance' },
  })
  assert.equal(r.json().order.status, 'completed', r.body)
  assert.equal((await subRow(subId)).plan_id, PLESK_PRO)
  await assertDeliveryClean()
})
