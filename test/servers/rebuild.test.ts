/**
 * Server rebuild (issue 13 A): reinstall, root password reset (revealed once), VNC console link,
 * rescue mode. Every action goes through the real SolusVM adapter to the fake SolusVM, whose
 * state follows it. Refused like power actions (not active, another action open: 409 naming it,
 * another customer's server: 404); a failing SolusVM is retried, then the action is `failed` and
 * the server stays usable; a retry never reinstalls twice; no password lands in the database.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { waitFor } from '../wait.ts'
import { passwordDigest } from '../../src/fakes/solusvm/state.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
beforeEach(() => {
  env.clock.current = null
  fake().clearFaults()
  fake().setResetPasswordMode('password')
})

const db = () => env.deps.db
const fake = () => env.providers.fakes.solusvm!
const server = (id: string) => db().selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const vm = (id: number) =>
  fake()
    .servers()
    .find(s => s.id === id)!
const tasksOf = (vmId: number, action: string) =>
  fake()
    .tasks()
    .filter(t => t.serverId === vmId && t.action === action)

type User = { id: string; key: string; keyId: string }

async function activeServer(u: User): Promise<{ id: string; vmId: number; password: string }> {
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const id = res.json().server_status.new_id as string
  const s = await server(id)
  assert.equal(s.status, 'active')
  return { id, vmId: s.id_solusvm!, password: res.json().password as string }
}

const post = (url: string, key: string, body: Record<string, unknown>) => env.request({ url, key, body })
const reinstall = (key: string, serverId: string, osId: string, extra: Record<string, unknown> = {}) =>
  post('/API/servers/reinstall', key, { server_id: serverId, os_id: osId, ...extra })
const resetPassword = (key: string, serverId: string, extra: Record<string, unknown> = {}) =>
  post('/API/servers/reset_password', key, { server_id: serverId, ...extra })
const reveal = (key: string, serverId: string, actionId: string) =>
  post('/API/servers/actions/reveal_password', key, { server_id: serverId, action_id: actionId })
const consoleOf = (key: string, serverId: string, extra: Record<string, unknown> = {}) =>
  post('/API/servers/console', key, { server_id: serverId, ...extra })
const rescue = (key: string, serverId: string, enabled: boolean, extra: Record<string, unknown> = {}) =>
  post('/API/servers/rescue', key, { server_id: serverId, enabled, ...extra })

interface ActionRow {
  id: string
  action: string
  status: string
  error: string | null
  os_id: string | null
  password_ready: boolean
  password_delivery: string | null
}

const actions = async (key: string, serverId: string) => {
  const res = await env.request({ method: 'GET', url: `/API/servers/actions?server_id=${serverId}`, key })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().actions as ActionRow[]
}

/** Runs due jobs until the action ended (retries with a backoff become due a little later). */
async function settled(key: string, serverId: string, actionId: string): Promise<ActionRow> {
  let found: ActionRow | undefined
  await waitFor(
    async () => {
      await env.runner.drain()
      found = (await actions(key, serverId)).find(a => a.id === actionId)
      return found?.status === 'done' || found?.status === 'failed'
    },
    { timeoutMs: 10_000, intervalMs: 20, what: `action ${actionId} to end` },
  )
  return found!
}

/** Nothing in the database holds `secret` in plain text. */
async function assertNowhere(secret: string): Promise<void> {
  for (const table of [
    'server_actions',
    'servers',
    'jobs',
    'job_steps',
    'job_secrets',
    'audit_log',
    'events',
    'idempotency_keys',
  ] as const) {
    const rows = await db().selectFrom(table).selectAll().execute()
    const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
    assert.ok(!text.includes(secret), `${table} holds the secret`)
  }
}

test('reinstall: the plan image goes on with the password answered once; the server shows the new image', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  assert.equal(vm(s.vmId).osVersionId, 13)
  assert.equal(vm(s.vmId).passwordSha256, passwordDigest(s.password), 'created with the order password')
  const res = await reinstall(u.key, s.id, '7')
  assert.equal(res.statusCode, 202, res.body)
  assert.equal(res.headers['cache-control'], 'no-store')
  const body = res.json()
  assert.match(body.root_password, /^[A-Za-z0-9]{20}$/)
  assert.equal(body.action.action, 'reinstall')
  assert.equal(body.action.status, 'queued')
  assert.equal(body.action.os_id, '7')
  assert.equal(body.action.password_delivery, 'shown')
  assert.equal(body.action.password_ready, false)
  const end = await settled(u.key, s.id, body.action.id)
  assert.equal(end.status, 'done', end.error ?? '')
  assert.equal(vm(s.vmId).osVersionId, 7, 'Debian 12 at SolusVM')
  assert.equal(vm(s.vmId).passwordSha256, passwordDigest(body.root_password), 'SolusVM got the answered password')
  assert.equal(vm(s.vmId).baseStatus, 'started')
  assert.equal(tasksOf(s.vmId, 'vm-reinstall').length, 1)
  const row = await server(s.id)
  assert.equal(row.os_image_id, '7')
  assert.equal(row.status, 'active')
  const detail = await env.request({ method: 'GET', url: `/API/servers/detail?server_id=${s.id}`, key: u.key })
  assert.equal(detail.statusCode, 200, detail.body)
  assert.equal(detail.json().data.boot_mode, 'disk')
  // Shown once: the list never carries it, and no table holds it.
  assert.ok(!JSON.stringify(await actions(u.key, s.id)).includes(body.root_password))
  assert.equal((await db().selectFrom('job_secrets').selectAll().execute()).length, 0, 'erased when done')
  await assertNowhere(body.root_password)
  assertError(await reveal(u.key, s.id, body.action.id), 409, 'invalid_state')
  const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'server.reinstall').execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.actor, u.keyId)
})

test('reinstall: an image outside the plan, inactive or unknown is 400 at os_id and writes nothing', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  await db()
    .insertInto('os_images')
    .values({ id: 'rb-alien', name: 'Alien', version: '1', solusvm_os_version_id: 14 })
    .onConflict(oc => oc.doNothing())
    .execute()
  await db().updateTable('os_images').set({ is_active: false }).where('id', '=', '6').execute()
  try {
    for (const osId of ['rb-alien', '6', 'nope']) {
      assertError(await reinstall(u.key, s.id, osId), 400, 'validation_error', 'os_id')
    }
  } finally {
    await db().updateTable('os_images').set({ is_active: true }).where('id', '=', '6').execute()
  }
  for (const body of [
    { server_id: s.id },
    { os_id: '7' },
    { server_id: s.id, os_id: '7', password: 'mine' },
    { server_id: s.id, os_id: '' },
  ]) {
    const res = await post('/API/servers/reinstall', u.key, body)
    assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`)
  }
  assert.equal((await actions(u.key, s.id)).length, 0)
  assert.equal(tasksOf(s.vmId, 'vm-reinstall').length, 0)
})

test('reset_password: SolusVM answers a password, sealed on the action, revealed exactly once', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const res = await resetPassword(u.key, s.id)
  assert.equal(res.statusCode, 202, res.body)
  const a = res.json().action
  assert.equal(a.action, 'reset_password')
  assert.equal(a.password_ready, false)
  const end = await settled(u.key, s.id, a.id)
  assert.equal(end.status, 'done', end.error ?? '')
  assert.equal(end.password_ready, true)
  assert.equal(end.password_delivery, 'shown')
  const sealed = await db()
    .selectFrom('server_actions')
    .select('password_sealed')
    .where('id', '=', a.id)
    .executeTakeFirstOrThrow()
  assert.ok(sealed.password_sealed !== null)

  const other = await env.user('10.00')
  assertError(await reveal(other.key, s.id, a.id), 404, 'not_found')
  const second = await activeServer(u)
  assertError(await reveal(u.key, second.id, a.id), 404, 'not_found', undefined)

  const shown = await reveal(u.key, s.id, a.id)
  assert.equal(shown.statusCode, 200, shown.body)
  assert.equal(shown.headers['cache-control'], 'no-store')
  const password = shown.json().root_password as string
  assert.equal(vm(s.vmId).passwordSha256, passwordDigest(password), 'the password SolusVM set')
  assert.notEqual(password, s.password)
  const again = await reveal(u.key, s.id, a.id)
  assertError(again, 409, 'invalid_state')
  assert.match(again.json().message, /already shown/)
  const after = (await actions(u.key, s.id)).find(x => x.id === a.id)!
  assert.equal(after.password_ready, false)
  await assertNowhere(password)
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'server.password_revealed')
    .where('target_id', '=', s.id)
    .execute()
  assert.equal(audit.length, 1)
})

test('two reveals at once: one gets the password, the other 409', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const a = (await resetPassword(u.key, s.id)).json().action
  await settled(u.key, s.id, a.id)
  const answers = await Promise.all([1, 2, 3, 4].map(() => reveal(u.key, s.id, a.id)))
  assert.deepEqual(answers.map(r => r.statusCode).sort(), [200, 409, 409, 409], answers.map(r => r.body).join('\n'))
})

test('reset_password in e-mail mode: a vm-password-change task, password_delivery email, nothing to reveal', async () => {
  fake().setResetPasswordMode('email')
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const a = (await resetPassword(u.key, s.id)).json().action
  const end = await settled(u.key, s.id, a.id)
  assert.equal(end.status, 'done', end.error ?? '')
  assert.equal(end.password_delivery, 'email')
  assert.equal(end.password_ready, false)
  assert.equal(tasksOf(s.vmId, 'vm-password-change').length, 1)
  assert.notEqual(vm(s.vmId).passwordSha256, passwordDigest(s.password), 'SolusVM changed it')
  const res = await reveal(u.key, s.id, a.id)
  assertError(res, 409, 'invalid_state')
  assert.match(res.json().message, /e-mailed/)
})

test('rescue on and off: boot_mode at SolusVM, a restart each, boot_mode on the detail', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const detail = async () =>
    (await env.request({ method: 'GET', url: `/API/servers/detail?server_id=${s.id}`, key: u.key })).json().data
  assert.equal((await detail()).boot_mode, 'disk')
  const on = await rescue(u.key, s.id, true)
  assert.equal(on.statusCode, 202, on.body)
  assert.equal(on.json().action.action, 'rescue_on')
  assert.equal((await settled(u.key, s.id, on.json().action.id)).status, 'done')
  assert.equal(vm(s.vmId).bootMode, 'rescue')
  assert.equal(tasksOf(s.vmId, 'vm-restart').length, 1)
  assert.equal((await detail()).boot_mode, 'rescue')
  const off = await rescue(u.key, s.id, false)
  assert.equal(off.json().action.action, 'rescue_off')
  assert.equal((await settled(u.key, s.id, off.json().action.id)).status, 'done')
  assert.equal(vm(s.vmId).bootMode, 'disk')
  assert.equal(tasksOf(s.vmId, 'vm-restart').length, 2)
  assert.equal((await detail()).boot_mode, 'disk')
  for (const body of [{ server_id: s.id }, { server_id: s.id, enabled: 'yes' }]) {
    assert.equal((await post('/API/servers/rescue', u.key, body)).statusCode, 400)
  }
})

test('console: a SolusVM link the fake lets in, with the VNC password; refused when the VM is not running', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  env.clock.current = new Date('2031-03-01T10:00:00Z')
  const res = await consoleOf(u.key, s.id)
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.headers['cache-control'], 'no-store')
  const c = res.json().console as { url: string; password: string; expires_at: string }
  assert.equal(c.expires_at, '2031-03-01T10:05:00.000Z')
  assert.equal(c.password, vm(s.vmId).vncPassword)
  const url = new URL(c.url)
  assert.equal(url.protocol, 'ws:', 'a websocket URL to the SolusVM master')
  assert.equal(url.pathname, '/vnc')
  url.protocol = 'http:'
  assert.equal((await fetch(url)).status, 200, 'the fake master accepts the link')
  url.searchParams.set('url', 'f'.repeat(32))
  assert.equal((await fetch(url)).status, 403, 'an unknown token is refused')
  // Audited without either secret.
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'server.console')
    .where('target_id', '=', s.id)
    .execute()
  assert.equal(audit.length, 1)
  await assertNowhere(c.password)
  await assertNowhere(new URL(c.url).searchParams.get('url')!)

  // Stopped: the console needs a running VM.
  const stop = await post('/API/servers/power', u.key, { server_id: s.id, action: 'stop' })
  await settled(u.key, s.id, stop.json().action.id)
  const refused = await consoleOf(u.key, s.id)
  assertError(refused, 409, 'invalid_state')
  assert.equal(refused.json().error.power_status, 'stopped')
})

test('console: SolusVM down is a provider error and nothing is audited', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/vnc_up`, fault: 'http500' })
  const res = await consoleOf(u.key, s.id)
  // A 5xx at SolusVM is "unavailable": asking again later may work.
  assertError(res, 503, 'provider_unavailable')
  const audit = await db().selectFrom('audit_log').selectAll().where('target_id', '=', s.id).execute()
  assert.ok(!audit.some(a => a.action === 'server.console'))
})

test('every rebuild route is refused when the server is suspended, provisioning or resizing (409 invalid_state)', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  for (const status of ['suspended', 'provisioning', 'resizing'] as const) {
    await db().updateTable('servers').set({ status }).where('id', '=', s.id).execute()
    for (const res of [
      await reinstall(u.key, s.id, '7'),
      await resetPassword(u.key, s.id),
      await rescue(u.key, s.id, true),
      await consoleOf(u.key, s.id),
    ]) {
      assertError(res, 409, 'invalid_state')
      assert.equal(res.json().error.status, status)
    }
  }
  await db().updateTable('servers').set({ status: 'active' }).where('id', '=', s.id).execute()
  assert.equal((await actions(u.key, s.id)).length, 0, 'nothing was written')
})

test('while an action is open every other one is 409 action_pending naming it, the console too', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const first = await reinstall(u.key, s.id, '6')
  assert.equal(first.statusCode, 202, first.body)
  const id = first.json().action.id
  for (const res of [
    await reinstall(u.key, s.id, '7'),
    await resetPassword(u.key, s.id),
    await rescue(u.key, s.id, true),
    await consoleOf(u.key, s.id),
    await post('/API/servers/power', u.key, { server_id: s.id, action: 'reboot' }),
  ]) {
    assertError(res, 409, 'action_pending')
    assert.equal(res.json().error.pending_action_id, id)
    assert.equal(res.json().error.pending_action, 'reinstall')
    assert.ok(res.json().message.includes(id))
  }
  assert.equal((await settled(u.key, s.id, id)).status, 'done')
  assert.equal((await resetPassword(u.key, s.id)).statusCode, 202, 'free again once done')
  await env.runner.drain()
})

test("another customer's server is a 404 on every rebuild route; an admin key may act for the owner", async () => {
  const owner = await env.user('100.00')
  const s = await activeServer(owner)
  const other = await env.user('100.00')
  for (const res of [
    await reinstall(other.key, s.id, '7'),
    await resetPassword(other.key, s.id),
    await rescue(other.key, s.id, true),
    await consoleOf(other.key, s.id),
    await reveal(other.key, s.id, 'act_nope'),
  ]) {
    assertError(res, 404, 'not_found')
  }
  assertError(await reinstall(other.key, s.id, '7', { user_id: owner.id }), 403, 'forbidden')
  const admin = await env.user('0.00', true)
  const res = await reinstall(admin.key, s.id, '6', { user_id: owner.id })
  assert.equal(res.statusCode, 202, res.body)
  const row = await db()
    .selectFrom('server_actions')
    .selectAll()
    .where('id', '=', res.json().action.id)
    .executeTakeFirstOrThrow()
  assert.equal(row.requested_by, admin.keyId)
  assert.equal(row.user_id, owner.id)
  await settled(owner.key, s.id, res.json().action.id)
  const c = await consoleOf(admin.key, s.id, { user_id: owner.id })
  assert.equal(c.statusCode, 200, c.body)
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'server.console')
    .where('target_id', '=', s.id)
    .execute()
  assert.equal(audit[0]!.actor, admin.keyId)
})

test('a SolusVM that keeps failing: the reinstall is retried, then failed; the server stays usable', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  // JOB_MAX_ATTEMPTS=3 in tests: three 500s use every attempt.
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/reinstall`, fault: 'http500', times: 3 })
  const res = await reinstall(u.key, s.id, '7')
  const end = await settled(u.key, s.id, res.json().action.id)
  assert.equal(end.status, 'failed')
  assert.match(end.error ?? '', /HTTP 500/)
  assert.equal(vm(s.vmId).osVersionId, 13, 'SolusVM never did it')
  assert.equal(vm(s.vmId).passwordSha256, passwordDigest(s.password))
  const row = await server(s.id)
  assert.equal(row.status, 'active')
  assert.equal(row.os_image_id, '13')
  assert.equal((await db().selectFrom('job_secrets').selectAll().execute()).length, 0, 'erased on failure')

  // A task SolusVM accepted but that failed is permanent at once.
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/reset_password`, fault: 'http500', times: 3 })
  const reset = await resetPassword(u.key, s.id)
  const failedReset = await settled(u.key, s.id, reset.json().action.id)
  assert.equal(failedReset.status, 'failed')
  assert.equal(failedReset.password_ready, false)
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/restart`, fault: 'task-fail' })
  const resc = await rescue(u.key, s.id, true)
  const failed = await settled(u.key, s.id, resc.json().action.id)
  assert.equal(failed.status, 'failed')
  assert.match(failed.error ?? '', /vm-restart/)

  // One transient failure: the retry succeeds, and the server works as before.
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/reinstall`, fault: 'http500', times: 1 })
  const again = await reinstall(u.key, s.id, '7')
  assert.equal((await settled(u.key, s.id, again.json().action.id)).status, 'done')
  assert.equal(vm(s.vmId).osVersionId, 7)
  assert.equal(vm(s.vmId).passwordSha256, passwordDigest(again.json().root_password))
  assert.equal(tasksOf(s.vmId, 'vm-reinstall').length, 1, 'the failed attempts made no task')
})

test('a job run again after SolusVM accepted the reinstall polls the same task: never two reinstalls', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const res = await reinstall(u.key, s.id, '6')
  const id = res.json().action.id as string
  assert.equal((await settled(u.key, s.id, id)).status, 'done')
  // As if the worker died after the memoized call: the action still running, its job claimable again.
  const action = await db().selectFrom('server_actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  await db().updateTable('server_actions').set({ status: 'running', finished_at: null }).where('id', '=', id).execute()
  await db()
    .updateTable('jobs')
    .set({ state: 'pending', run_at: new Date(), finished_at: null, attempts: 1 })
    .where('id', '=', action.job_id!)
    .execute()
  assert.equal((await settled(u.key, s.id, id)).status, 'done')
  assert.equal(tasksOf(s.vmId, 'vm-reinstall').length, 1)
})

test('a lifecycle suspension between the request and the job: the action fails before SolusVM is asked', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const res = await reinstall(u.key, s.id, '7')
  await db().updateTable('servers').set({ status: 'suspended' }).where('id', '=', s.id).execute()
  const end = await settled(u.key, s.id, res.json().action.id)
  assert.equal(end.status, 'failed')
  assert.match(end.error ?? '', /suspended/)
  assert.equal(tasksOf(s.vmId, 'vm-reinstall').length, 0)
  await db().updateTable('servers').set({ status: 'active' }).where('id', '=', s.id).execute()
})

test('concurrent rebuild and power requests on one server: exactly one 202, the others 409 action_pending', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const answers = await Promise.all([
    reinstall(u.key, s.id, '7'),
    resetPassword(u.key, s.id),
    rescue(u.key, s.id, true),
    reinstall(u.key, s.id, '6'),
    post('/API/servers/power', u.key, { server_id: s.id, action: 'reboot' }),
    resetPassword(u.key, s.id),
    rescue(u.key, s.id, false),
    reinstall(u.key, s.id, '13'),
  ])
  const codes = answers.map(r => r.statusCode).sort()
  assert.deepEqual(codes, [202, 409, 409, 409, 409, 409, 409, 409], answers.map(r => r.body).join('\n'))
  for (const r of answers.filter(x => x.statusCode === 409)) assert.equal(r.json().error.code, 'action_pending')
  const rows = await db().selectFrom('server_actions').select(['id', 'job_id']).where('server_id', '=', s.id).execute()
  assert.equal(rows.length, 1)
  const secrets = await db().selectFrom('job_secrets').select('job_id').execute()
  assert.ok(secrets.length <= 1, 'no sealed password for a refused reinstall')
  await env.runner.drain()
})
