/**
 * An operator's suspension of a Plesk subscription (issue 13, contract "B — Plesk"): the admin
 * routes queue a `plesk.action` job that suspends the webspace at the fake Plesk; neither a
 * renewal nor the lifecycle lifts it; the operator's resumption lifts only that hold (a subscription
 * also suspended for non-payment stays suspended until renewed). Plus the CLI and, on PostgreSQL,
 * concurrent FTP password requests.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type SqlBool } from 'kysely'
import { startTestEnv, onPostgres, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { runLifecycle } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { activeSubscription, settledAction, subscriptionRow, webspace } from './support.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
beforeEach(() => {
  env.clock.current = null
  env.providers.fakes.plesk!.clearFaults()
})

const HOUR = 3_600_000
const db = () => env.deps.db
const fake = () => env.providers.fakes.plesk!
let n = 0
const tag = () => `o${++n}${Math.random().toString(36).slice(2, 6)}`
const lifecycle = () =>
  runLifecycle({ db: db(), clock: env.clock, logger: silentLogger, settings: lifecycleSettings(env.config) })

const suspend = (key: string, subscriptionId: string, reason?: string) =>
  env.request({
    url: '/API/admin/plesk/suspend',
    key,
    body: { subscription_id: subscriptionId, ...(reason !== undefined ? { reason } : {}) },
  })
const resume = (key: string, subscriptionId: string) =>
  env.request({ url: '/API/admin/plesk/resume', key, body: { subscription_id: subscriptionId } })
const renew = (key: string, subscriptionId: string) =>
  env.request({
    url: '/API/orders/create_order_scale_plesk',
    key,
    body: { subscription_id: subscriptionId, months: 1, type_payment: 'balance' },
  })

test('operator suspend: Plesk suspended, the hold remembered; customer actions refused; renewal and lifecycle keep it', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const s = await activeSubscription(env, u, tag())
  assertError(await suspend(u.key, s.id), 403, 'forbidden')

  const res = await suspend(admin.key, s.id, 'abuse report #12')
  assert.equal(res.statusCode, 202, res.body)
  const a = res.json().action
  assert.deepEqual([a.action, a.status], ['suspend', 'queued'])
  assert.equal((await settledAction(env, u.key, s.id, a.id)).status, 'done')
  assert.equal(webspace(env, s.domain).status, 16)
  let row = await subscriptionRow(env, s.id)
  assert.equal(row.status, 'active', 'the lifecycle status is its own')
  assert.ok(row.operator_suspended_at)
  assert.equal(row.operator_suspended_by, admin.keyId)
  assert.equal(row.operator_suspend_reason, 'abuse report #12')
  assertError(await suspend(admin.key, s.id), 409, 'invalid_state')

  for (const r of [
    await env.request({
      url: '/API/plesk/ftp_password',
      key: u.key,
      body: { subscription_id: s.id, password: 'Whatever123' },
    }),
    await env.request({ url: '/API/plesk/login', key: u.key, body: { subscription_id: s.id } }),
  ]) {
    assertError(r, 409, 'invalid_state')
    assert.equal(r.json().error.operator_suspended, true)
  }

  // A renewal of the active subscription: Plesk stays suspended.
  const r1 = await renew(u.key, s.id)
  assert.equal(r1.statusCode, 200, r1.body)
  await env.runner.drain()
  assert.equal((await subscriptionRow(env, s.id)).status, 'active')
  assert.equal(webspace(env, s.domain).status, 16)

  // It expires: the lifecycle suspends it for non-payment; a renewal then re-activates the
  // status, but not the webspace: the operator's hold stands.
  row = await subscriptionRow(env, s.id)
  await db().updateTable('plesk_subscriptions').set({ auto_renew: false }).where('id', '=', s.id).execute()
  env.clock.current = new Date(row.expires_at.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.equal((await subscriptionRow(env, s.id)).status, 'suspended')
  const r2 = await renew(u.key, s.id)
  assert.equal(r2.statusCode, 200, r2.body)
  await env.runner.drain()
  row = await subscriptionRow(env, s.id)
  assert.equal(row.status, 'active')
  assert.ok(row.operator_suspended_at, 'the hold stands')
  assert.equal(webspace(env, s.domain).status, 16, 'the renewal did not re-activate the webspace')
  await lifecycle()
  await env.runner.drain()
  assert.equal(webspace(env, s.domain).status, 16)

  // The operator's resumption lifts it.
  const back = await resume(admin.key, s.id)
  assert.equal(back.statusCode, 202, back.body)
  assert.equal((await settledAction(env, u.key, s.id, back.json().action.id)).status, 'done')
  assert.equal(webspace(env, s.domain).status, 0)
  row = await subscriptionRow(env, s.id)
  assert.deepEqual(
    [row.operator_suspended_at, row.operator_suspended_by, row.operator_suspend_reason],
    [null, null, null],
  )
  assertError(await resume(admin.key, s.id), 409, 'invalid_state')
  const audits = await db()
    .selectFrom('audit_log')
    .select('action')
    .where('target_id', '=', s.id)
    .where('action', 'in', ['plesk.suspend', 'plesk.resume'])
    .execute()
  assert.deepEqual(audits.map(x => x.action).sort(), ['plesk.resume', 'plesk.suspend'])
  // The customer heard of both (mail and webhooks fan out from these); the operator's note stayed out.
  const events = await db()
    .selectFrom('events')
    .select(['type', 'data'])
    .where('type', 'in', ['service.suspended', 'service.resumed'])
    .where(sql<SqlBool>`data->'service'->>'id' = ${s.id}`)
    .orderBy('seq')
    .execute()
  const operator = events.filter(e => e.type === 'service.resumed' || /operator/.test(JSON.stringify(e.data)))
  assert.deepEqual(
    operator.map(e => e.type),
    ['service.suspended', 'service.resumed'],
  )
  assert.ok(!JSON.stringify(events).includes('abuse report'))
})

test('operator resume does not lift the unpaid suspension: Plesk stays suspended until a renewal', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const s = await activeSubscription(env, u, tag())
  await db().updateTable('plesk_subscriptions').set({ auto_renew: false }).where('id', '=', s.id).execute()
  const sub = await subscriptionRow(env, s.id)
  env.clock.current = new Date(sub.expires_at.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.equal((await subscriptionRow(env, s.id)).status, 'suspended')
  assertError(await resume(admin.key, s.id), 409, 'invalid_state', undefined)

  const sus = await suspend(admin.key, s.id)
  assert.equal(sus.statusCode, 202, sus.body)
  await settledAction(env, u.key, s.id, sus.json().action.id)
  const back = await resume(admin.key, s.id)
  assert.equal((await settledAction(env, u.key, s.id, back.json().action.id)).status, 'done')
  assert.equal((await subscriptionRow(env, s.id)).status, 'suspended')
  assert.equal((await subscriptionRow(env, s.id)).operator_suspended_at, null)
  assert.equal(webspace(env, s.domain).status, 16, 'still suspended for non-payment')
  assert.equal((await renew(u.key, s.id)).statusCode, 200)
  await env.runner.drain()
  assert.equal(webspace(env, s.domain).status, 0, 'the renewal re-activates it (no hold left)')
})

test('a suspension Plesk refuses is recorded failed and drops the hold: the subscription stays usable', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const s = await activeSubscription(env, u, tag())
  fake().injectFault({ operation: 'webspace.set', fault: 'http500', times: 1000 })
  const res = await suspend(admin.key, s.id)
  const end = await settledAction(env, u.key, s.id, res.json().action.id)
  fake().clearFaults()
  assert.equal(end.status, 'failed')
  assert.equal(webspace(env, s.domain).status, 0)
  assert.equal((await subscriptionRow(env, s.id)).operator_suspended_at, null)
  const link = await env.request({ url: '/API/plesk/login', key: u.key, body: { subscription_id: s.id } })
  assert.equal(link.statusCode, 200, link.body)
  assertError(
    await env.request({ url: '/API/admin/plesk/suspend', key: admin.key, body: { subscription_id: 'nope' } }),
    404,
    'not_found',
  )
})

test(
  'concurrent FTP password requests on one subscription: one action, the others 409 action_pending',
  { skip: !onPostgres && 'PostgreSQL only (--pg-only)' },
  async () => {
    const u = await env.user('100.00')
    const s = await activeSubscription(env, u, tag())
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        env.request({
          url: '/API/plesk/ftp_password',
          key: u.key,
          body: { subscription_id: s.id, password: `Concurrent${i}x` },
        }),
      ),
    )
    const codes = answers.map(r => r.statusCode).sort()
    assert.deepEqual(codes, [202, 409, 409, 409, 409, 409, 409, 409], answers.map(r => r.body).join('\n'))
    for (const r of answers.filter(x => x.statusCode === 409)) assert.equal(r.json().error.code, 'action_pending')
    const rows = await db()
      .selectFrom('plesk_actions')
      .select(['id', 'job_id'])
      .where('subscription_id', '=', s.id)
      .execute()
    assert.equal(rows.length, 1)
    const jobs = await db()
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'plesk.action')
      .where(
        'id',
        'in',
        rows.map(r => r.job_id!),
      )
      .execute()
    assert.equal(jobs.length, 1)
    const winner = answers.find(r => r.statusCode === 202)!
    await settledAction(env, u.key, s.id, winner.json().action.id)
  },
)
