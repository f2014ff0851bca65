/**
 * Power actions (contract "Power"): each action goes through the real SolusVM adapter to the fake
 * SolusVM, whose power state changes; one action at a time per server, also under concurrent
 * requests; refused on a server that is not active; a provider failure is retried, then recorded
 * `failed` while the server stays usable; another customer's server is a 404.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { assertAuditsClean } from '../audits.ts'
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

const db = () => env.deps.db
const fake = () => env.providers.fakes.solusvm!
const server = (id: string) => db().selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const vm = (id: number) =>
  fake()
    .servers()
    .find(s => s.id === id)!

async function activeServer(u: { id: string; key: string }): Promise<{ id: string; vmId: number }> {
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const id = res.json().server_status.new_id as string
  const s = await server(id)
  assert.equal(s.status, 'active')
  return { id, vmId: s.id_solusvm! }
}

const power = (key: string, serverId: string, action: string, extra: Record<string, unknown> = {}) =>
  env.request({ url: '/API/servers/power', key, body: { server_id: serverId, action, ...extra } })

const actions = async (key: string, serverId: string) => {
  const res = await env.request({ method: 'GET', url: `/API/servers/actions?server_id=${serverId}`, key })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().actions as Array<{ id: string; action: string; status: string; error: string | null }>
}

/** Runs due jobs until the action ended (retries with a backoff become due a little later). */
async function settled(key: string, serverId: string, actionId: string) {
  let found: { status: string; error: string | null } | undefined
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

test('each power action is run at SolusVM and the fake power state follows it', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  assert.equal(vm(s.vmId).baseStatus, 'started')
  const steps: Array<[string, 'started' | 'stopped', boolean | undefined]> = [
    ['stop', 'stopped', true],
    ['start', 'started', undefined],
    ['shutdown', 'stopped', false],
    ['start', 'started', undefined],
    ['reboot', 'started', undefined],
  ]
  for (const [action, state, forced] of steps) {
    const res = await power(u.key, s.id, action)
    assert.equal(res.statusCode, 202, res.body)
    const a = res.json().action
    assert.equal(a.action, action)
    assert.equal(a.status, 'queued')
    assert.equal(a.server_id, s.id)
    assert.equal(a.finished_at, null)
    const end = await settled(u.key, s.id, a.id)
    assert.equal(end.status, 'done', end.error ?? '')
    assert.equal(vm(s.vmId).baseStatus, state, action)
    const task = fake()
      .tasks()
      .filter(t => t.serverId === s.vmId)
      .sort((x, y) => y.id - x.id)[0]!
    assert.equal(task.action, `vm-${action === 'reboot' ? 'restart' : action === 'shutdown' ? 'stop' : action}`)
    if (forced !== undefined) assert.equal((task.effect as { forced?: boolean }).forced, forced, `${action} force`)
  }
  const row = await db().selectFrom('server_actions').selectAll().where('server_id', '=', s.id).execute()
  assert.ok(row.every(r => r.solusvm_task_id !== null && r.finished_at !== null))
  const list = await actions(u.key, s.id)
  assert.deepEqual(
    list.map(a => a.action),
    ['reboot', 'start', 'shutdown', 'start', 'stop'],
    'newest first',
  )
  // Stopped VMs show as such on the detail, read live from SolusVM.
  assert.equal((await power(u.key, s.id, 'stop')).statusCode, 202)
  await env.runner.drain()
  await waitFor(async () => {
    await env.runner.drain()
    return vm(s.vmId).baseStatus === 'stopped' && vm(s.vmId).busyTaskId === null
  })
  const detail = await env.request({ method: 'GET', url: `/API/servers/detail?server_id=${s.id}`, key: u.key })
  assert.equal(detail.statusCode, 200, detail.body)
  assert.equal(detail.json().data.power_status, 'stopped')
  assert.equal(detail.json().data.cancel_at, null)
  await assertAuditsClean(env)
})

test('one action at a time: a second request while one is queued is 409 action_pending naming it', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const first = await power(u.key, s.id, 'reboot')
  assert.equal(first.statusCode, 202, first.body)
  const second = await power(u.key, s.id, 'stop')
  assertError(second, 409, 'action_pending')
  assert.equal(second.json().error.pending_action_id, first.json().action.id)
  assert.ok(second.json().message.includes(first.json().action.id))
  await settled(u.key, s.id, first.json().action.id)
  assert.equal((await power(u.key, s.id, 'stop')).statusCode, 202, 'free again once done')
  await env.runner.drain()
})

test('concurrent requests on one server: exactly one 202, the others 409 action_pending', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const answers = await Promise.all(
    ['start', 'stop', 'shutdown', 'reboot', 'stop', 'start', 'reboot', 'shutdown'].map(a => power(u.key, s.id, a)),
  )
  const codes = answers.map(r => r.statusCode).sort()
  assert.deepEqual(codes, [202, 409, 409, 409, 409, 409, 409, 409], answers.map(r => r.body).join('\n'))
  for (const r of answers.filter(x => x.statusCode === 409)) assert.equal(r.json().error.code, 'action_pending')
  const open = await db()
    .selectFrom('server_actions')
    .select('id')
    .where('server_id', '=', s.id)
    .where('status', 'in', ['queued', 'running'])
    .execute()
  assert.equal(open.length, 1)
  const jobs = await db().selectFrom('jobs').select('id').where('kind', '=', 'server.power').execute()
  const actionsWithJobs = await db().selectFrom('server_actions').select('job_id').execute()
  assert.equal(jobs.length, actionsWithJobs.length, 'one job per action, none for the refused ones')
  await env.runner.drain()
})

test('the partial unique index refuses a second open action however it is written', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  const row = (id: string, status: 'queued' | 'running' | 'done') => ({
    id,
    server_id: s.id,
    user_id: u.id,
    action: 'start' as const,
    status,
    requested_by: u.keyId,
    created_at: new Date(),
    updated_at: new Date(),
  })
  await db()
    .insertInto('server_actions')
    .values(row(`act_idx_${s.id}_1`, 'queued'))
    .execute()
  await assert.rejects(
    db()
      .insertInto('server_actions')
      .values(row(`act_idx_${s.id}_2`, 'running'))
      .execute(),
    (e: { code?: string }) => e.code === '23505',
  )
  await db()
    .insertInto('server_actions')
    .values(row(`act_idx_${s.id}_3`, 'done'))
    .execute()
  assertError(await power(u.key, s.id, 'start'), 409, 'action_pending')
  await db().deleteFrom('server_actions').where('server_id', '=', s.id).execute()
})

test('refused with 409 invalid_state when the server is not active: suspended, provisioning', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  for (const status of ['suspended', 'provisioning', 'resizing'] as const) {
    await db().updateTable('servers').set({ status }).where('id', '=', s.id).execute()
    const res = await power(u.key, s.id, 'start')
    assertError(res, 409, 'invalid_state')
    assert.equal(res.json().error.status, status)
  }
  await db().updateTable('servers').set({ status: 'active' }).where('id', '=', s.id).execute()
  assert.equal((await actions(u.key, s.id)).length, 0, 'nothing was written')
})

test('a SolusVM that keeps failing: retried, then failed with the reason; the server stays usable', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  // JOB_MAX_ATTEMPTS=3 in tests: three 500s use every attempt.
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/stop`, fault: 'http500', times: 3 })
  const res = await power(u.key, s.id, 'stop')
  assert.equal(res.statusCode, 202, res.body)
  const end = await settled(u.key, s.id, res.json().action.id)
  assert.equal(end.status, 'failed')
  assert.match(end.error ?? '', /HTTP 500/)
  const job = await db()
    .selectFrom('jobs')
    .select(['state', 'attempts'])
    .where(
      'id',
      '=',
      (
        await db()
          .selectFrom('server_actions')
          .select('job_id')
          .where('id', '=', res.json().action.id)
          .executeTakeFirstOrThrow()
      ).job_id!,
    )
    .executeTakeFirstOrThrow()
  assert.deepEqual(job, { state: 'failed', attempts: 3 })
  assert.equal(vm(s.vmId).baseStatus, 'started', 'SolusVM never did it')
  assert.equal((await server(s.id)).status, 'active')

  // A task SolusVM accepted but which failed is permanent at once.
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/restart`, fault: 'task-fail' })
  const reboot = await power(u.key, s.id, 'reboot')
  assert.equal(reboot.statusCode, 202, reboot.body)
  const failed = await settled(u.key, s.id, reboot.json().action.id)
  assert.equal(failed.status, 'failed')
  assert.match(failed.error ?? '', /vm-restart/)

  // One transient failure: the retry succeeds.
  fake().injectFault({ method: 'POST', path: `/servers/${s.vmId}/stop`, fault: 'http500', times: 1 })
  const again = await power(u.key, s.id, 'stop')
  assert.equal(again.statusCode, 202, again.body)
  assert.equal((await settled(u.key, s.id, again.json().action.id)).status, 'done')
  assert.equal(vm(s.vmId).baseStatus, 'stopped')
  const stops = fake()
    .tasks()
    .filter(t => t.serverId === s.vmId && t.action === 'vm-stop')
  assert.equal(stops.length, 1, 'one stop task at SolusVM, the failed attempts made none')
})

test("another customer's server is a 404 on both routes; an admin key may act for the owner", async () => {
  const owner = await env.user('100.00')
  const s = await activeServer(owner)
  const other = await env.user('100.00')
  assertError(await power(other.key, s.id, 'stop'), 404, 'not_found')
  assertError(
    await env.request({ method: 'GET', url: `/API/servers/actions?server_id=${s.id}`, key: other.key }),
    404,
    'not_found',
  )
  assertError(await power(other.key, s.id, 'stop', { user_id: owner.id }), 403, 'forbidden')
  const admin = await env.user('0.00', true)
  const res = await power(admin.key, s.id, 'reboot', { user_id: owner.id })
  assert.equal(res.statusCode, 202, res.body)
  const row = await db()
    .selectFrom('server_actions')
    .selectAll()
    .where('id', '=', res.json().action.id)
    .executeTakeFirstOrThrow()
  assert.equal(row.requested_by, admin.keyId)
  assert.equal(row.user_id, owner.id)
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'server.power')
    .where('target_id', '=', s.id)
    .execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.actor, admin.keyId)
  await settled(owner.key, s.id, res.json().action.id)
})

test('invalid input is a 400 and writes nothing', async () => {
  const u = await env.user('100.00')
  const s = await activeServer(u)
  for (const body of [
    { server_id: s.id, action: 'explode' },
    { server_id: s.id },
    { action: 'start' },
    { server_id: s.id, action: 'start', extra: 1 },
    { server_id: `${s.id}\u0000`, action: 'start' },
    { server_id: 'x'.repeat(5000), action: 'start' },
  ]) {
    const res = await env.request({ url: '/API/servers/power', key: u.key, body })
    assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`)
  }
  assert.equal((await actions(u.key, s.id)).length, 0)
})
