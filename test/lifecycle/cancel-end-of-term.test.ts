/**
 * Cancellation at the end of the term (contract "Cancel at end of term"): the cancellation is
 * recorded with its event and auto-renew goes off; at the expiry the lifecycle deletes the VM at
 * the fake SolusVM and the server ends `deleted` with one `service.terminated`, however often or
 * concurrently the lifecycle runs; it is never renewed. Undone in time, the server renews as any
 * other. Orders on a cancelled server are refused, and a cancellation is refused while an order
 * is open, so no paid time is lost.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { assertAuditsClean } from '../audits.ts'
import { runLifecycle } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { waitFor } from '../wait.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
beforeEach(() => {
  env.clock.current = null
  env.providers.fakes.solusvm!.clearFaults()
})

const HOUR = 3600_000
const db = () => env.deps.db
const fake = () => env.providers.fakes.solusvm!
const lifecycle = () =>
  runLifecycle({ db: db(), clock: env.clock, logger: silentLogger, settings: lifecycleSettings(env.config) })
const server = (id: string) => db().selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const vmExists = (id: number) =>
  fake()
    .servers()
    .some(s => s.id === id)
const events = (serverId: string, type: string) =>
  db()
    .selectFrom('events')
    .selectAll()
    .where('type', '=', type as 'service.cancelled')
    .where(eb => eb(eb.ref('data', '->>').key('service' as never), 'is not', null))
    .execute()
    .then(rows => rows.filter(r => (r.data as { service: { id: string } }).service.id === serverId))
const renewals = (serverId: string) =>
  db()
    .selectFrom('orders')
    .select('id')
    .where('server_id', '=', serverId)
    .where('order_type', '=', 'renew_server')
    .execute()

async function activeServer(u: { id: string; key: string }, autoRenew = true): Promise<string> {
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const id = res.json().server_status.new_id as string
  assert.equal((await server(id)).status, 'active')
  const set = await autoRenew_(u.key, id, autoRenew ? 1 : 0)
  assert.equal(set.statusCode, 200, set.body)
  return id
}

const autoRenew_ = (key: string, serverId: string, value: 0 | 1) =>
  env.request({ url: '/API/services/auto_renew', key, body: { server_id: serverId, auto_renew: value } })
const cancel = (key: string, serviceId: string, extra: Record<string, unknown> = {}) =>
  env.request({ url: '/API/services/cancel', key, body: { service_id: serviceId, when: 'end_of_term', ...extra } })
const undo = (key: string, serviceId: string) =>
  env.request({ url: '/API/services/cancel/undo', key, body: { service_id: serviceId } })

/** Runs due jobs until the server leaves `terminating` (a retried delete becomes due a little later). */
async function untilNotTerminating(id: string): Promise<string> {
  let status = 'terminating'
  await waitFor(
    async () => {
      await env.runner.drain()
      status = (await server(id)).status
      return status !== 'terminating'
    },
    { timeoutMs: 10_000, intervalMs: 20, what: `server ${id} to leave terminating` },
  )
  return status
}

test('cancel at the end of the term: event, auto-renew off, never renewed; at expiry deleted at SolusVM, terminated once', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, true)
  const s = await server(id)
  const res = await cancel(u.key, id)
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json(), {
    success: true,
    cancellation: {
      service_id: id,
      service_kind: 'server',
      when: 'end_of_term',
      effective_at: s.expire_date.toISOString(),
      refund: null,
    },
  })
  const after = await server(id)
  assert.equal(after.auto_renew, false)
  assert.equal(after.cancel_at?.getTime(), s.expire_date.getTime())
  const cancelled = await events(id, 'service.cancelled')
  assert.equal(cancelled.length, 1)
  assert.equal((cancelled[0]!.data as { effective: string }).effective, 'end_of_term')
  assert.equal(cancelled[0]!.user_id, u.id)

  // Shown on the detail and the list rows.
  const detail = await env.request({ method: 'GET', url: `/API/servers/detail?server_id=${id}`, key: u.key })
  assert.equal(detail.json().data.cancel_at, s.expire_date.toISOString())
  const list = await env.request({ method: 'GET', url: '/API/servers/list', key: u.key })
  assert.equal(list.json().data.find((r: { id: string }) => r.id === id).cancel_at, s.expire_date.toISOString())

  // Cancelling again answers the same cancellation and records nothing new.
  const again = await cancel(u.key, id)
  assert.equal(again.statusCode, 200, again.body)
  assert.deepEqual(again.json(), res.json())
  assert.equal((await events(id, 'service.cancelled')).length, 1)

  // Within the auto-renew window, and just before the expiry: nothing happens to it.
  env.clock.current = new Date(s.expire_date.getTime() - 2 * HOUR)
  await lifecycle()
  env.clock.current = new Date(s.expire_date.getTime() - 1000)
  await lifecycle()
  assert.equal((await renewals(id)).length, 0)
  assert.equal((await server(id)).status, 'active')

  // At the expiry: ended, not suspended; two overlapping runs write one job.
  env.clock.current = new Date(s.expire_date.getTime() + 60_000)
  const reports = await Promise.all([lifecycle(), lifecycle(), lifecycle()])
  assert.equal(
    reports.reduce((n, r) => n + r.serversTerminated, 0),
    1,
  )
  assert.equal((await server(id)).status, 'terminating')
  const jobs = await db().selectFrom('jobs').select('id').where('kind', '=', 'server.terminate').execute()
  const mine = (await db().selectFrom('jobs').selectAll().where('kind', '=', 'server.terminate').execute()).filter(
    j => (j.payload as { serverId: string }).serverId === id,
  )
  assert.equal(mine.length, 1, `one terminate job (of ${jobs.length})`)
  assert.equal(await untilNotTerminating(id), 'deleted')
  await lifecycle()
  await env.runner.drain()
  assert.equal((await server(id)).status, 'deleted')
  assert.equal(vmExists(s.id_solusvm!), false, 'the VM is gone at SolusVM')
  const terminated = await events(id, 'service.terminated')
  assert.equal(terminated.length, 1)
  assert.equal((terminated[0]!.data as { reason: string }).reason, 'cancelled')
  assert.equal((await events(id, 'service.suspended')).length, 0)
  assert.equal((await renewals(id)).length, 0)

  // After it took effect: no undo, no auto-renew, no power action.
  assertError(await undo(u.key, id), 409, 'invalid_state')
  assertError(await autoRenew_(u.key, id, 1), 409, 'invalid_state')
  assertError(
    await env.request({ url: '/API/servers/power', key: u.key, body: { server_id: id, action: 'start' } }),
    409,
    'invalid_state',
  )
  await assertAuditsClean(env)
})

test('undo before the expiry: the cancellation is gone and the server renews normally', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, true)
  const s = await server(id)
  assert.equal((await cancel(u.key, id)).statusCode, 200)

  // While pending, auto-renew cannot be turned on (it would contradict the cancellation); off is fine.
  const on = await autoRenew_(u.key, id, 1)
  assertError(on, 409, 'invalid_state')
  assert.match(on.json().message, /cancel/)
  assert.equal(on.json().error.cancel_at, s.expire_date.toISOString())
  assert.equal((await autoRenew_(u.key, id, 0)).statusCode, 200)

  const res = await undo(u.key, id)
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json(), { success: true, service_id: id, service_kind: 'server', cancel_at: null })
  assert.equal((await server(id)).cancel_at, null)
  assertError(await undo(u.key, id), 409, 'invalid_state')
  assert.equal((await autoRenew_(u.key, id, 1)).statusCode, 200)

  env.clock.current = new Date(s.expire_date.getTime() - 2 * HOUR)
  await lifecycle()
  assert.equal((await renewals(id)).length, 1, 'renewed')
  env.clock.current = new Date(s.expire_date.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.equal((await server(id)).status, 'active')
  assert.equal(vmExists(s.id_solusvm!), true)
  assert.equal((await events(id, 'service.terminated')).length, 0)
  await assertAuditsClean(env)
})

test('undo once the cancel time has passed (before the lifecycle ran) is refused', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const s = await server(id)
  assert.equal((await cancel(u.key, id)).statusCode, 200)
  env.clock.current = new Date(s.expire_date.getTime() + 1000)
  assertError(await undo(u.key, id), 409, 'invalid_state')
  assert.notEqual((await server(id)).cancel_at, null)
})

test('orders on a cancelled server are refused; a cancellation is refused while an order is open', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  assert.equal((await cancel(u.key, id)).statusCode, 200)
  const expire = (await server(id)).expire_date
  const order = (body: Record<string, unknown>, url = '/API/orders/create_order') =>
    env.request({ url, key: u.key, body: { user_id: u.id, server_id: id, ...body } })
  for (const [body, url] of [
    [{ hours: 24 }, undefined],
    [{ hours: 24, type_payment: 'crypto' }, undefined],
    [{ plan_id: '7' }, undefined],
    [{ addon_id: 'addon12345-6789-0123-4567-890123456789' }, '/API/orders/create_order_addon'],
  ] as const) {
    const res = await order(body, url)
    assertError(res, 409, 'invalid_state')
    assert.equal(res.json().error.cancel_at, expire.toISOString(), JSON.stringify(body))
  }
  const renewal = await env.request({ url: '/API/invoice', key: u.key, body: { user_id: u.id, server_id: id } })
  assertError(renewal, 409, 'invalid_state')
  assert.equal((await server(id)).expire_date.getTime(), expire.getTime(), 'no time was bought')
  assert.equal(
    (
      await db()
        .selectFrom('orders')
        .select('id')
        .where('server_id', '=', id)
        .where('order_type', '!=', 'new_server')
        .execute()
    ).length,
    0,
  )

  // The other way round: an unpaid extension holds the server, so it cannot be cancelled under it.
  const v = await env.user('100.00')
  const other = await activeServer(v, false)
  const ext = await env.request({
    url: '/API/orders/create_order',
    key: v.key,
    body: { user_id: v.id, server_id: other, hours: 24, type_payment: 'crypto' },
  })
  assert.equal(ext.statusCode, 200, ext.body)
  const refused = await cancel(v.key, other)
  assertError(refused, 409, 'invalid_state')
  assert.equal(refused.json().error.pending_order_id, ext.json().order_id)
  const row = await server(other)
  assert.equal(row.cancel_at, null)
  assert.equal((await events(other, 'service.cancelled')).length, 0)
  await assertAuditsClean(env)
})

test('only an active server can be cancelled; another customer cannot touch it', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const other = await env.user('100.00')
  assertError(await cancel(other.key, id), 404, 'not_found')
  assertError(await undo(other.key, id), 404, 'not_found')
  assertError(await cancel(other.key, id, { user_id: u.id }), 403, 'forbidden')
  assertError(await cancel(u.key, 'no-such-server'), 404, 'not_found')
  const bad = await env.request({ url: '/API/services/cancel', key: u.key, body: { service_id: id, when: 'now' } })
  assert.equal(bad.statusCode, 400, bad.body)
  await db().updateTable('servers').set({ status: 'suspended' }).where('id', '=', id).execute()
  assertError(await cancel(u.key, id), 409, 'invalid_state')
  await db().updateTable('servers').set({ status: 'active' }).where('id', '=', id).execute()
  assert.equal((await server(id)).cancel_at, null)
  // An admin key acts for the owner, audited.
  const admin = await env.user('0.00', true)
  const res = await cancel(admin.key, id, { user_id: u.id })
  assert.equal(res.statusCode, 200, res.body)
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'service.cancel')
    .where('target_id', '=', id)
    .execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.actor, admin.keyId)
})

test('a delete SolusVM keeps refusing: retried, back to active with the cancellation kept, ended by the next run', async () => {
  const u = await env.user('100.00')
  const id = await activeServer(u, false)
  const s = await server(id)
  assert.equal((await cancel(u.key, id)).statusCode, 200)
  // Every job attempt (3) sends DELETE up to three times (the HTTP client retries idempotent calls).
  fake().injectFault({ method: 'DELETE', path: `/servers/${s.id_solusvm}`, fault: 'http500', times: 9 })
  env.clock.current = new Date(s.expire_date.getTime() + HOUR)
  // Servers of the other tests whose cancellation is due are ended by the same runs.
  assert.ok((await lifecycle()).serversTerminated >= 1)
  assert.equal((await server(id)).status, 'terminating')
  assert.equal(await untilNotTerminating(id), 'active')
  const back = await server(id)
  assert.equal(back.cancel_at?.getTime(), s.expire_date.getTime())
  assert.equal(vmExists(s.id_solusvm!), true)
  assert.equal((await events(id, 'service.terminated')).length, 0)
  // The next run: not suspended, ended.
  await lifecycle()
  assert.equal((await server(id)).status, 'terminating', 'ended again, not suspended')
  assert.equal(await untilNotTerminating(id), 'deleted')
  assert.equal(vmExists(s.id_solusvm!), false)
  assert.equal((await events(id, 'service.terminated')).length, 1)
  await assertAuditsClean(env)
})

async function activeSubscription(u: { id: string; key: string }, tag: string): Promise<string> {
  const client = await env.request({
    url: '/API/plesk/clients/create',
    key: u.key,
    body: { name: 'Host Co', login: `cx${tag}`, email: `cx${tag}@example.com`, password: 'Pass1234word' },
  })
  assert.equal(client.statusCode, 200, client.body)
  const order = await env.request({
    url: '/API/orders/create_order_plesk',
    key: u.key,
    body: {
      plan_id: 'plan123-4567-8901-2345-678901234567',
      client_id: client.json().data.id,
      domain_name: `cancel-${tag}.example`,
      ftp_login: `cx${tag}ftp`,
      ftp_password: 'Ftp12345xy',
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(order.statusCode, 200, order.body)
  await env.runner.drain()
  const id = order.json().subscription.id as string
  assert.equal((await subscription(id)).status, 'active')
  return id
}
const subscription = (id: string) =>
  db().selectFrom('plesk_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const webspaceExists = (domain: string) => env.providers.fakes.plesk!.webspaces().some(w => w.name === domain)

test('a Plesk subscription: cancelled, renewals refused, deleted at Plesk at its expiry, terminated once; undo works in time', async () => {
  const u = await env.user('100.00')
  const id = await activeSubscription(u, 'a')
  const sub = await subscription(id)
  const res = await cancel(u.key, id)
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json().cancellation, {
    service_id: id,
    service_kind: 'plesk',
    when: 'end_of_term',
    effective_at: sub.expires_at.toISOString(),
    refund: null,
  })
  assert.equal((await subscription(id)).auto_renew, false)
  assert.equal((await events(id, 'service.cancelled')).length, 1)
  const renew = await env.request({
    url: '/API/orders/create_order_scale_plesk',
    key: u.key,
    body: { subscription_id: id, months: 1, type_payment: 'balance' },
  })
  assertError(renew, 409, 'invalid_state')
  assert.equal(renew.json().error.cancel_at, sub.expires_at.toISOString())

  env.clock.current = new Date(sub.expires_at.getTime() + HOUR)
  await Promise.all([lifecycle(), lifecycle()])
  assert.equal((await subscription(id)).status, 'terminating')
  await waitFor(
    async () => {
      await env.runner.drain()
      return (await subscription(id)).status !== 'terminating'
    },
    { timeoutMs: 10_000, what: 'the subscription to be deleted' },
  )
  await lifecycle()
  assert.equal((await subscription(id)).status, 'deleted')
  assert.equal(webspaceExists(sub.domain_name), false)
  const terminated = await events(id, 'service.terminated')
  assert.equal(terminated.length, 1)
  assert.equal((terminated[0]!.data as { reason: string }).reason, 'cancelled')
  assert.equal((await events(id, 'service.suspended')).length, 0)
  assertError(await undo(u.key, id), 409, 'invalid_state')

  // Undone in time: it stays.
  env.clock.current = null
  const kept = await activeSubscription(u, 'b')
  const keptSub = await subscription(kept)
  assert.equal((await cancel(u.key, kept)).statusCode, 200)
  const undone = await undo(u.key, kept)
  assert.equal(undone.statusCode, 200, undone.body)
  assert.equal(undone.json().service_kind, 'plesk')
  env.clock.current = new Date(keptSub.expires_at.getTime() + HOUR)
  await lifecycle()
  await env.runner.drain()
  assert.notEqual((await subscription(kept)).status, 'deleted')
  assert.equal(webspaceExists(keptSub.domain_name), true)
  // Another customer's subscription is a 404 like a missing one.
  const other = await env.user('1.00')
  assertError(await cancel(other.key, kept), 404, 'not_found')
  await assertAuditsClean(env)
})

test('a cancellation racing extensions: whichever commits first, no paid time is thrown away', async () => {
  for (let round = 0; round < 4; round++) {
    const u = await env.user('100.00')
    const id = await activeServer(u, false)
    const before = (await server(id)).expire_date
    const extend = () =>
      env.request({ url: '/API/orders/create_order', key: u.key, body: { user_id: u.id, server_id: id, hours: 24 } })
    const answers = await Promise.all([extend(), cancel(u.key, id), extend()])
    const s = await server(id)
    const extended = answers.filter((r, i) => i !== 1 && r.statusCode === 200).length
    for (const r of [answers[0], answers[2]]) {
      if (r.statusCode !== 200) assertError(r, 409, 'invalid_state')
    }
    assert.equal(answers[1].statusCode, 200, answers[1].body)
    // The term ends where the money says, and the cancellation ends it exactly there.
    assert.equal(s.expire_date.getTime(), before.getTime() + extended * 24 * HOUR, `round ${round}`)
    assert.equal(s.cancel_at?.getTime(), s.expire_date.getTime(), `round ${round}: cancel_at is the paid expiry`)
    assert.equal(answers[1].json().cancellation.effective_at, s.expire_date.toISOString())
  }
  await assertAuditsClean(env)
})
