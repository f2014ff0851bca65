/**
 * Issue 13 item 5: a `server.create` job retried after a permanent failure creates the VM with the
 * root password the order answered (kept sealed beside the failed job, erased once it succeeds),
 * never with a new one the customer was not shown. Only a secret that is truly gone is replaced,
 * and then visibly (the retry's answer and its audit row); the customer can reset it afterwards.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { passwordDigest } from '../../src/fakes/solusvm/state.ts'
import { waitFor } from '../wait.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
beforeEach(() => {
  fake().clearFaults()
  fake().setResetPasswordMode('password')
})

const db = () => env.deps.db
const fake = () => env.providers.fakes.solusvm!
const vmsFor = (serverId: string) =>
  fake()
    .servers()
    .filter(s => s.description === `oxbill:server:${serverId}`)

/** A server order whose VM never starts (a permanent failure): the order fails and is refunded. */
async function failedOrder(u: { id: string; key: string }) {
  fake().injectFault({ method: 'POST', path: '/servers', fault: 'start-fail' })
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  const orderId = body.order_id as string
  assert.equal(await env.settle(orderId), 'failed')
  const job = await db().selectFrom('jobs').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow()
  assert.equal(job.state, 'failed')
  return { orderId, serverId: body.server_status.new_id as string, password: body.password as string, jobId: job.id }
}

async function retry(admin: { key: string }, jobId: string) {
  const res = await env.request({ url: `/API/admin/jobs/${jobId}/retry`, key: admin.key })
  assert.equal(res.statusCode, 200, res.body)
  return res.json<{ new_secret_generated: boolean }>()
}

test("a retried server.create creates the VM with the order's root password, then erases it", async () => {
  const u = await env.user('50.00')
  const admin = await env.user('0.00', true)
  const f = await failedOrder(u)
  assert.match(f.password, /^[A-Za-z0-9]{20}$/)
  const broken = vmsFor(f.serverId)
  assert.equal(broken.length, 1)
  assert.equal(broken[0]!.passwordSha256, passwordDigest(f.password))
  const kept = await db().selectFrom('job_secrets').selectAll().where('job_id', '=', f.jobId).execute()
  assert.equal(kept.length, 1, 'kept sealed for a retry')
  assert.ok(!kept[0]!.ciphertext.includes(f.password))

  assert.equal((await retry(admin, f.jobId)).new_secret_generated, false)
  assert.equal(await env.settle(f.orderId), 'completed')
  const vms = vmsFor(f.serverId)
  assert.equal(vms.length, 1, 'the VM that never started was replaced')
  assert.notEqual(vms[0]!.id, broken[0]!.id)
  assert.equal(vms[0]!.passwordSha256, passwordDigest(f.password), 'created with the password the customer holds')
  assert.equal(
    (await db().selectFrom('job_secrets').selectAll().where('job_id', '=', f.jobId).execute()).length,
    0,
    'erased on success',
  )
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'job.retry')
    .where('target_id', '=', f.jobId)
    .executeTakeFirstOrThrow()
  assert.equal((audit.details as { new_secret: boolean }).new_secret, false)
})

test('a secret that is truly gone is replaced visibly, and the customer resets the password afterwards', async () => {
  const u = await env.user('50.00')
  const admin = await env.user('0.00', true)
  const f = await failedOrder(u)
  // As for a job that failed before secrets were kept.
  await db().deleteFrom('job_secrets').where('job_id', '=', f.jobId).execute()
  assert.equal((await retry(admin, f.jobId)).new_secret_generated, true)
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'job.retry')
    .where('target_id', '=', f.jobId)
    .executeTakeFirstOrThrow()
  assert.deepEqual(audit.details, { order_id: f.orderId, new_secret: true, replaced_secret: 'root password' })
  assert.equal(await env.settle(f.orderId), 'completed')
  const vm = vmsFor(f.serverId)[0]!
  assert.notEqual(vm.passwordSha256, passwordDigest(f.password), 'a password nobody was shown')

  const reset = await env.request({ url: '/API/servers/reset_password', key: u.key, body: { server_id: f.serverId } })
  assert.equal(reset.statusCode, 202, reset.body)
  const actionId = reset.json().action.id as string
  await waitFor(async () => {
    await env.runner.drain()
    const a = await db().selectFrom('server_actions').select('status').where('id', '=', actionId).executeTakeFirst()
    return a?.status === 'done'
  })
  const shown = await env.request({
    url: '/API/servers/actions/reveal_password',
    key: u.key,
    body: { server_id: f.serverId, action_id: actionId },
  })
  assert.equal(shown.statusCode, 200, shown.body)
  assert.equal(vmsFor(f.serverId)[0]!.passwordSha256, passwordDigest(shown.json().root_password))
})
