/**
 * The services lifecycle (`services.lifecycle`): auto-renewal from the balance once per term,
 * suspension of expired servers and Plesk subscriptions at the (fake) providers, and resumption
 * when an extension or a renewal pays for them. Business time moves through `env.clock`.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { auditLedger } from '../../src/domain/billing/ledger.ts'
import { runLifecycle } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { DEMO_API_KEY, DEMO_SUBSCRIPTION_ID } from '../../src/seed/seed-demo.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { reconcilePayments } from '../../src/domain/payments/reconcile-payments.ts'

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

const HOUR = 3600_000
const db = () => env.deps.db
const lifecycle = () =>
  runLifecycle({ db: db(), clock: env.clock, logger: silentLogger, settings: lifecycleSettings(env.config) })
const server = (id: string) => db().selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const subscription = () =>
  db().selectFrom('plesk_subscriptions').selectAll().where('id', '=', DEMO_SUBSCRIPTION_ID).executeTakeFirstOrThrow()
const balance = async (userId: string) =>
  (await db().selectFrom('users').select('balance_cents').where('id', '=', userId).executeTakeFirstOrThrow())
    .balance_cents
const renewals = (serverId: string) =>
  db()
    .selectFrom('orders')
    .selectAll()
    .where('server_id', '=', serverId)
    .where('order_type', '=', 'renew_server')
    .execute()
const vm = (id: number) => env.providers.fakes.solusvm!.servers().find(s => s.id === id)!
const webspace = (domain: string) => env.providers.fakes.plesk!.webspaces().find(w => w.name === domain)!

async function activeServer(u: { id: string; key: string }, autoRenew: boolean): Promise<string> {
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
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

test('auto-renew: a server expiring within the window is renewed once per term from the balance', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, true)
  const expire = (await server(id)).expire_date
  env.clock.current = new Date(expire.getTime() - 25 * HOUR)
  await lifecycle()
  assert.equal((await renewals(id)).length, 0, 'not yet within AUTO_RENEW_AHEAD_HOURS')
  env.clock.current = new Date(expire.getTime() - 2 * HOUR)
  await lifecycle()
  await lifecycle()
  const orders = await renewals(id)
  assert.equal(orders.length, 1, 'two runs, one renewal')
  assert.equal(orders[0]!.status, 'completed')
  assert.equal(orders[0]!.amount_cents, 1299n)
  assert.equal((orders[0]!.metadata as { auto_renew_for: string }).auto_renew_for, expire.toISOString())
  assert.equal((await server(id)).expire_date.getTime(), expire.getTime() + 720 * HOUR)
  assert.equal(await balance(u.id), 10000n - 1299n - 1299n)
  const ledger = await db()
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents', 'actor'])
    .where('order_id', '=', orders[0]!.id)
    .execute()
  assert.deepEqual(
    ledger.map(l => [l.kind, l.delta_cents, l.actor]),
    [['order_debit', -1299n, 'lifecycle']],
  )
  assert.equal((await server(id)).status, 'active')
})

test('auto-renew with a balance that does not cover it writes nothing; the server then expires', async () => {
  const u = await env.user('12.99')
  const id = await activeServer(u, true)
  const expire = (await server(id)).expire_date
  const ledgerBefore = await db().selectFrom('ledger_entries').select('id').where('user_id', '=', u.id).execute()
  env.clock.current = new Date(expire.getTime() - HOUR)
  const report = await lifecycle()
  assert.ok(report.notCovered >= 1)
  assert.equal((await renewals(id)).length, 0)
  assert.equal(await balance(u.id), 0n)
  assert.equal(
    (await db().selectFrom('ledger_entries').select('id').where('user_id', '=', u.id).execute()).length,
    ledgerBefore.length,
  )
  assert.equal((await server(id)).expire_date.getTime(), expire.getTime())
})

test('auto-renew off: no renewal', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  env.clock.current = new Date((await server(id)).expire_date.getTime() - HOUR)
  await lifecycle()
  assert.equal((await renewals(id)).length, 0)
  assert.equal(await balance(u.id), 10000n - 1299n)
})

test('an expired server is suspended at SolusVM; plan changes and addons are refused; an extension resumes it', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const s = await server(id)
  env.clock.current = new Date(s.expire_date.getTime() + HOUR)
  const report = await lifecycle()
  assert.ok(report.serversSuspended >= 1)
  assert.equal((await server(id)).status, 'suspending')
  await env.runner.drain()
  assert.equal((await server(id)).status, 'suspended')
  assert.equal(vm(s.id_solusvm!).isSuspended, true)

  assertError(
    await env.request({
      url: '/API/orders/create_order',
      key: u.key,
      body: { user_id: u.id, server_id: id, plan_id: '7' },
    }),
    409,
    'invalid_state',
  )
  assertError(
    await env.request({
      url: '/API/orders/create_order_addon',
      key: u.key,
      body: { user_id: u.id, server_id: id, addon_id: 'addon12345-6789-0123-4567-890123456789' },
    }),
    409,
    'invalid_state',
  )

  const ext = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, server_id: id, hours: 720 },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  await env.runner.drain()
  assert.equal((await server(id)).status, 'active')
  assert.equal(vm(s.id_solusvm!).isSuspended, false)
  assert.equal((await server(id)).expire_date.getTime(), env.clock.current.getTime() + 720 * HOUR)
  await lifecycle()
  assert.equal((await server(id)).status, 'active', 'paid up: not suspended again')
})

test('a 1-hour extension of a suspended server resumes it too (an expired term restarts from now)', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const s = await server(id)
  env.clock.current = new Date(s.expire_date.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.equal((await server(id)).status, 'suspended')
  const jobsBefore = await db().selectFrom('jobs').select('id').where('kind', '=', 'server.resume').execute()
  const ext = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, server_id: id, hours: 1 },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  await env.runner.drain()
  assert.equal(
    (await db().selectFrom('jobs').select('id').where('kind', '=', 'server.resume').execute()).length,
    jobsBefore.length + 1,
  )
  assert.equal((await server(id)).status, 'active')
})

test('a crypto extension of a suspended server resumes it once the invoice is paid (server.extend job)', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const s = await server(id)
  env.clock.current = new Date(s.expire_date.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.equal(vm(s.id_solusvm!).isSuspended, true)
  // Back to the real time: the invoice's lifetime runs on OxaPay's (fake) clock.
  env.clock.current = null
  const ext = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, server_id: id, hours: 720, type_payment: 'crypto' },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  assert.equal((await server(id)).status, 'suspended', 'nothing changes before the payment')
  env.providers.fakes.oxapay!.pay(ext.json().payment.track_id)
  // Nobody listens for the callback here: the reconciliation's poll settles it.
  await reconcilePayments(env.deps)
  await env.runner.drain()
  assert.equal((await server(id)).status, 'active')
  assert.equal(vm(s.id_solusvm!).isSuspended, false)
})

test('Plesk: auto-renewal for one month through plesk.renew, suspension when expired, a renewal re-activates', async () => {
  const sub0 = await subscription()
  assert.equal(sub0.auto_renew, true)
  const plan = await db()
    .selectFrom('plesk_plans')
    .select('price_cents')
    .where('id', '=', sub0.plan_id)
    .executeTakeFirstOrThrow()
  const before = await balance(sub0.user_id)
  env.clock.current = new Date(sub0.expires_at.getTime() - HOUR)
  await lifecycle()
  await lifecycle()
  assert.equal((await subscription()).status, 'renewing')
  await env.runner.drain()
  const sub1 = await subscription()
  assert.equal(sub1.status, 'active')
  assert.ok(sub1.expires_at.getTime() > sub0.expires_at.getTime() + 27 * 24 * HOUR)
  assert.equal(webspace(sub1.domain_name).expiration, Math.floor(sub1.expires_at.getTime() / 1000))
  const orders = (
    await db()
      .selectFrom('orders')
      .selectAll()
      .where('subscription_id', '=', sub0.id)
      .where('order_type', '=', 'plesk_renew')
      .execute()
  ).filter(o => (o.metadata as { auto_renew_for?: string }).auto_renew_for === sub0.expires_at.toISOString())
  assert.equal(orders.length, 1, 'two runs, one renewal')
  assert.equal(orders[0]!.status, 'completed')
  assert.equal(await balance(sub0.user_id), before - plan.price_cents)

  await db().updateTable('plesk_subscriptions').set({ auto_renew: false }).where('id', '=', sub0.id).execute()
  env.clock.current = new Date(sub1.expires_at.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.equal((await subscription()).status, 'suspended')
  assert.equal(webspace(sub1.domain_name).status, 16)

  const res = await env.request({
    url: '/API/orders/create_order_scale_plesk',
    key: DEMO_API_KEY,
    body: { subscription_id: sub0.id, months: 1, type_payment: 'balance' },
  })
  assert.equal(res.statusCode, 200, res.body)
  await env.runner.drain()
  assert.equal((await subscription()).status, 'active')
  assert.equal(webspace(sub1.domain_name).status, 0)
})

test('the worker loop arms services.lifecycle as a singleton job', async () => {
  await env.runner.armSchedules(true)
  await env.runner.drain()
  const job = await db()
    .selectFrom('jobs')
    .selectAll()
    .where('singleton', '=', 'services.lifecycle')
    .executeTakeFirstOrThrow()
  assert.equal(job.state, 'done')
})

test('the ledger adds up after all of it', async () => {
  assert.deepEqual((await auditLedger(db())).violations, [])
})

test('idempotency keys are kept for the retention, then pruned; running ones stay', async () => {
  const u = await env.user('50.00')
  const row = (key: string, ageHours: number, state: 'running' | 'done') => ({
    api_key_id: u.keyId,
    key,
    fingerprint: 'f',
    state,
    response_status: 200,
    response_body: JSON.stringify({ ok: true }),
    lease_until: new Date(Date.now() - 1000),
    created_at: new Date(Date.now() - ageHours * HOUR),
  })
  await db()
    .insertInto('idempotency_keys')
    .values([row('old-done', 49, 'done'), row('young-done', 47, 'done'), row('old-running', 49, 'running')])
    .execute()
  env.clock.current = null
  const report = await lifecycle()
  assert.ok(report.idempotencyKeysPruned >= 1)
  const left = (await db().selectFrom('idempotency_keys').select('key').where('api_key_id', '=', u.keyId).execute())
    .map(r => r.key)
    .sort()
  assert.deepEqual(left, ['old-running', 'young-done'])
})
