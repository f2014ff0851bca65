/**
 * Issue 13 item 5, for Plesk: the customer chose the FTP password in the order, so a `plesk.create`
 * job retried after a permanent failure creates the webspace with that password (kept sealed
 * beside the failed job, erased on success) — never with a new one nobody was told.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

const db = () => env.deps.db
const fake = () => env.providers.fakes.plesk!

test("a retried plesk.create creates the webspace with the customer's FTP password, then erases it", async () => {
  const u = await env.user('50.00')
  const admin = await env.user('0.00', true)
  const client = await env.request({
    url: '/API/plesk/clients/create',
    key: u.key,
    body: { name: 'Retry Co', login: 'rtftp', email: 'rtftp@example.com', password: 'Pass1234word' },
  })
  assert.equal(client.statusCode, 200, client.body)
  await env.runner.drain()
  // Plesk refuses the webspace for good (an error reply is permanent): the order fails and is refunded.
  fake().injectFault({ operation: 'webspace.add', fault: 'error', errcode: 1023, times: 1 })
  const ftpPassword = 'Chosen4Retry'
  const order = await env.request({
    url: '/API/orders/create_order_plesk',
    key: u.key,
    body: {
      plan_id: 'plan123-4567-8901-2345-678901234567',
      client_id: client.json().data.id,
      domain_name: 'retry-ftp.example',
      ftp_login: 'rtftpuser',
      ftp_password: ftpPassword,
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(order.statusCode, 200, order.body)
  const orderId = order.json().order.id as string
  assert.equal(await env.settle(orderId), 'failed')
  const job = await db().selectFrom('jobs').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow()
  assert.equal(job.state, 'failed')
  const kept = await db().selectFrom('job_secrets').selectAll().where('job_id', '=', job.id).execute()
  assert.equal(kept.length, 1, 'kept sealed for a retry')
  assert.ok(!kept[0]!.ciphertext.includes(ftpPassword))

  const res = await env.request({ url: `/API/admin/jobs/${job.id}/retry`, key: admin.key })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().new_secret_generated, false)
  assert.equal(await env.settle(orderId), 'completed')
  assert.ok(fake().verifyFtpPassword('retry-ftp.example', ftpPassword), 'created with the password the customer chose')
  assert.equal((await db().selectFrom('job_secrets').selectAll().where('job_id', '=', job.id).execute()).length, 0)
})
