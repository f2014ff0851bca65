/**
 * E-mail end to end (issue 11, item 3): events mailed over SMTP through the real adapter to the
 * zero-setup sink (a real SMTP server), per-customer preferences, a stable Message-ID, no secret
 * in any mail, and an SMTP outage that delays mail without losing it.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { startFakeSmtp } from '../../src/fakes/smtp/server.ts'

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

const NEW_SERVER = { plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'mailtest' }

async function order(e: TestEnv, u: { id: string; key: string }) {
  const res = await e.request({ url: '/API/orders/create_order', key: u.key, body: { user_id: u.id, ...NEW_SERVER } })
  assert.equal(res.statusCode, 200, res.body)
  const o = res.json<{ order_id: string; password: string | null }>()
  await e.settle(o.order_id)
  return o
}

const mailTo = (e: TestEnv, address: string) =>
  e.providers.fakes.smtp!.listMessages().filter(m => m.to.includes(address.toLowerCase()))

test('an order mails its customer once per event, with the Message-ID of its delivery and no password', async () => {
  const u = await env.user('50.00')
  const address = `${u.id}@test.invalid`
  const o = await order(env, u)
  await env.notifier.drain()
  const mails = mailTo(env, address)
  assert.equal(mails.length, 3, JSON.stringify(mails.map(m => m.subject)))
  const rows = await env.deps.db.selectFrom('mail_deliveries').selectAll().where('user_id', '=', u.id).execute()
  assert.equal(rows.length, 3)
  assert.ok(rows.every(r => r.state === 'delivered' && r.sent_at !== null))
  assert.deepEqual(rows.map(r => r.message_id).sort(), mails.map(m => m.message_id).sort())
  for (const m of mails) {
    const parsed = (await env.providers.fakes.smtp!.readMessage(m.id))!
    assert.ok(parsed.text.length > 0 && parsed.html.length > 0)
    assert.ok(!parsed.raw.includes(o.password!), 'the root password is never mailed')
    assert.equal(parsed.headers['auto-submitted'], 'auto-generated')
  }
  // Draining again sends nothing; the sink saw no copy.
  await env.notifier.drain()
  assert.equal(mailTo(env, address).length, 3)
  assert.ok(mails.every(m => m.duplicates === 0))
  // The customer sees what was sent to them.
  const own = await env.request({ method: 'GET', url: '/API/notifications/mail/deliveries', key: u.key })
  assert.equal(own.statusCode, 200, own.body)
  assert.equal(own.json<{ data: Array<{ state: string }> }>().data.length, 3)
})

test('preferences choose the event types and the address; disabling mail stops it; bad input changes nothing', async () => {
  const u = await env.user('50.00')
  const other = 'Billing.Team@Example.COM'
  const set = await env.request({
    method: 'PUT',
    url: '/API/notifications/mail',
    key: u.key,
    body: { address: other, events: ['order.completed'] },
  })
  assert.equal(set.statusCode, 200, set.body)
  const prefs = set.json<{ preferences: { effective_address: string; events: string[] } }>().preferences
  assert.equal(prefs.effective_address, other)
  assert.deepEqual(prefs.events, ['order.completed'])
  await order(env, u)
  await env.notifier.drain()
  assert.equal(mailTo(env, `${u.id}@test.invalid`).length, 0)
  const toOther = mailTo(env, other)
  assert.equal(toOther.length, 1)
  assert.match(toOther[0]!.subject, /order/i)

  for (const body of [
    { address: 'not an address' },
    { events: ['order.nope'] },
    { address: 'a@b.c\u0000' },
    { colour: 'red' },
  ]) {
    const bad = await env.request({ method: 'PUT', url: '/API/notifications/mail', key: u.key, body })
    assert.equal(bad.statusCode, 400, `${JSON.stringify(body)}: ${bad.body}`)
  }
  const unchanged = await env.request({ method: 'GET', url: '/API/notifications/mail', key: u.key })
  assert.deepEqual(unchanged.json<{ preferences: unknown }>().preferences, prefs)

  const off = await env.request({ method: 'PUT', url: '/API/notifications/mail', key: u.key, body: { enabled: false } })
  assert.equal(off.statusCode, 200)
  await order(env, u)
  await env.notifier.drain()
  assert.equal(mailTo(env, other).length, 1)
  // Back to defaults: every type, the account's address.
  const reset = await env.request({
    method: 'PUT',
    url: '/API/notifications/mail',
    key: u.key,
    body: { enabled: true, address: null, events: null },
  })
  assert.equal(reset.json<{ preferences: { effective_address: string; events: null } }>().preferences.events, null)
})

test("a customer key cannot read or set another customer's mail preferences", async () => {
  const u = await env.user('50.00')
  const v = await env.user('50.00')
  const res = await env.request({ method: 'GET', url: `/API/notifications/mail?user_id=${v.id}`, key: u.key })
  assert.equal(res.statusCode, 403)
  const put = await env.request({
    method: 'PUT',
    url: `/API/notifications/mail?user_id=${v.id}`,
    key: u.key,
    body: { address: 'thief@example.com' },
  })
  assert.equal(put.statusCode, 403)
  const theirs = await env.request({ method: 'GET', url: '/API/notifications/mail', key: v.key })
  assert.equal(theirs.json<{ preferences: { address: null } }>().preferences.address, null)
})

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  await new Promise<void>(resolve => srv.close(() => resolve()))
  return port
}

test('SMTP down delays mail (pending, listed to operators), never drops it; a 5xx recipient fails and can be retried', async () => {
  const port = await freePort()
  const e = await startTestEnv({
    env: {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM_ADDRESS: 'billing@example.net',
      MAIL_FROM_NAME: 'Example Hosting',
    },
  })
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>> | undefined
  try {
    const adminUser = await e.user('0.00', true)
    const u = await e.user('50.00')
    await order(e, u)
    await e.notifier.drain()
    const undelivered = await e.request({
      method: 'GET',
      url: `/API/admin/mail-deliveries?user_id=${u.id}`,
      key: adminUser.key,
    })
    assert.equal(undelivered.statusCode, 200, undelivered.body)
    const rows = undelivered.json<{ data: Array<{ state: string; last_error: string }> }>().data
    assert.equal(rows.length, 3)
    assert.ok(
      rows.every(r => r.state === 'pending' && /SMTP|connect|ECONNREFUSED/i.test(r.last_error)),
      JSON.stringify(rows),
    )

    smtp = await startFakeSmtp({
      port,
      rejectRecipient: a => (a.startsWith('bounce') ? { code: 550, message: 'no such mailbox' } : null),
    })
    e.clock.current = new Date(Date.now() + 3_600_000)
    await e.notifier.drain()
    const got = smtp.listMessages().filter(m => m.to.includes(`${u.id}@test.invalid`))
    assert.equal(got.length, 3)
    assert.ok(got.every(m => m.from.includes('Example Hosting') && m.from.includes('billing@example.net')))
    assert.ok(got.every(m => m.message_id!.endsWith('@example.net>')))
    const after = await e.request({
      method: 'GET',
      url: `/API/admin/mail-deliveries?user_id=${u.id}`,
      key: adminUser.key,
    })
    assert.equal(after.json<{ data: unknown[] }>().data.length, 0)

    // A permanent refusal: failed at once, listed, retried by the operator once it is fixed.
    const b = await e.user('50.00')
    await e.request({
      method: 'PUT',
      url: '/API/notifications/mail',
      key: b.key,
      body: { address: 'bounce@example.org', events: ['order.created'] },
    })
    await order(e, b)
    await e.notifier.drain()
    const failed = await e.request({
      method: 'GET',
      url: `/API/admin/mail-deliveries?state=failed&user_id=${b.id}`,
      key: adminUser.key,
    })
    const f = failed.json<{ data: Array<{ id: string; state: string; last_error: string; attempts: number }> }>().data
    assert.equal(f.length, 1)
    assert.match(f[0]!.last_error, /550|no such mailbox/)
    assert.equal(f[0]!.attempts, 1)
    const retried = await e.request({ url: `/API/admin/mail-deliveries/${f[0]!.id}/retry`, key: adminUser.key })
    assert.equal(retried.statusCode, 200, retried.body)
    const twice = await e.request({ url: `/API/admin/mail-deliveries/${f[0]!.id}/retry`, key: adminUser.key })
    assert.equal(twice.statusCode, 409)
  } finally {
    await smtp?.close()
    await e.close()
  }
})
