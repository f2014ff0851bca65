/**
 * Plesk subscription actions (issue 13, contract "B — Plesk") through the real Plesk adapter to the
 * fake Plesk: auto-renew, the FTP password change (the fake's stored credential changes; the
 * password is in no row), the action list, and the one-time panel login link (once, from the IP
 * it was minted for). Wrong states, another action open, another customer's subscription and a
 * failing Plesk are refused or recorded without leaving the subscription unusable.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { activeSubscription, listActions, settledAction, subscriptionRow, webspace } from './support.ts'

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
  env.providers.fakes.plesk!.setNow(() => Date.now())
})

const db = () => env.deps.db
const fake = () => env.providers.fakes.plesk!
let n = 0
const tag = () => `t${++n}${Math.random().toString(36).slice(2, 6)}`

const ftp = (key: string, subscriptionId: string, password: string, extra: Record<string, unknown> = {}) =>
  env.request({ url: '/API/plesk/ftp_password', key, body: { subscription_id: subscriptionId, password, ...extra } })
const login = (key: string, subscriptionId: string, remoteAddress?: string) =>
  env.request({
    url: '/API/plesk/login',
    key,
    body: { subscription_id: subscriptionId },
    ...(remoteAddress ? { remoteAddress } : {}),
  })

/** Every row a secret could leak into. */
async function rowsText(): Promise<string> {
  const tables = ['jobs', 'job_steps', 'plesk_actions', 'events', 'audit_log', 'plesk_subscriptions', 'orders'] as const
  const all: Record<string, unknown> = {}
  for (const t of tables) all[t] = await db().selectFrom(t).selectAll().execute()
  const secrets = await db().selectFrom('job_secrets').selectAll().execute()
  all.job_secrets = secrets.map(s => Buffer.from(s.ciphertext as unknown as Uint8Array).toString('latin1'))
  return JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}

test('auto-renew: 0/1, "0"/"1" and booleans switch the flag, audited; not on while a cancellation is pending', async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  for (const [value, want] of [
    [0, false],
    [1, true],
    ['0', false],
    ['1', true],
    [false, false],
    [true, true],
  ] as const) {
    const res = await env.request({
      url: '/API/plesk/auto_renew',
      key: u.key,
      body: { subscription_id: s.id, auto_renew: value },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { success: true, message: 'Auto-renew updated successfully' })
    assert.equal((await subscriptionRow(env, s.id)).auto_renew, want, `auto_renew ${String(value)}`)
  }
  const audits = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('target_id', '=', s.id)
    .where('action', '=', 'plesk.auto_renew')
    .execute()
  assert.equal(audits.length, 6)
  assertError(
    await env.request({ url: '/API/plesk/auto_renew', key: u.key, body: { subscription_id: s.id, auto_renew: 2 } }),
    400,
    'validation_error',
  )

  const cancel = await env.request({
    url: '/API/services/cancel',
    key: u.key,
    body: { service_id: s.id, when: 'end_of_term' },
  })
  assert.equal(cancel.statusCode, 200, cancel.body)
  const on = await env.request({
    url: '/API/plesk/auto_renew',
    key: u.key,
    body: { subscription_id: s.id, auto_renew: 1 },
  })
  assertError(on, 409, 'invalid_state')
  assert.ok(on.json().error.cancel_at)
  assert.equal((await subscriptionRow(env, s.id)).auto_renew, false)
  const off = await env.request({
    url: '/API/plesk/auto_renew',
    key: u.key,
    body: { subscription_id: s.id, auto_renew: 0 },
  })
  assert.equal(off.statusCode, 200, off.body)

  const other = await env.user('0.00')
  assertError(
    await env.request({ url: '/API/plesk/auto_renew', key: other.key, body: { subscription_id: s.id, auto_renew: 1 } }),
    404,
    'not_found',
  )
})

test('FTP password: queued, set at Plesk by the job, never echoed nor stored; the action list shows it', async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  assert.ok(fake().verifyFtpPassword(s.domain, s.ftpPassword))
  const password = 'N3w-Str0ng!pw'
  const res = await ftp(u.key, s.id, password)
  assert.equal(res.statusCode, 202, res.body)
  assert.ok(!res.body.includes(password), 'not echoed')
  const a = res.json().action
  assert.equal(a.action, 'ftp_password')
  assert.equal(a.status, 'queued')
  assert.equal(a.subscription_id, s.id)
  assert.equal(a.finished_at, null)
  assert.ok(!(await rowsText()).includes(password), 'not in any row while queued (the secret is sealed)')
  const end = await settledAction(env, u.key, s.id, a.id)
  assert.equal(end.status, 'done', end.error ?? '')
  assert.ok(fake().verifyFtpPassword(s.domain, password), "the fake's credential changed")
  assert.ok(!fake().verifyFtpPassword(s.domain, s.ftpPassword), 'the old one no longer works')
  assert.ok(!(await rowsText()).includes(password), 'not in any row once done')
  const secret = await db()
    .selectFrom('job_secrets')
    .select('job_id')
    .where('job_id', '=', (await actionRow(a.id)).job_id!)
    .execute()
  assert.equal(secret.length, 0, 'the sealed secret is erased with the job')
  const list = await listActions(env, u.key, s.id)
  assert.deepEqual(
    list.map(x => [x.id, x.action, x.status]),
    [[a.id, 'ftp_password', 'done']],
  )
  const audit = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('target_id', '=', s.id)
    .where('action', '=', 'plesk.ftp_password')
    .execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.actor, u.keyId)
})

const actionRow = (id: string) =>
  db().selectFrom('plesk_actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

test("FTP password: oxbill's policy refuses weak ones (400 at field password) and writes nothing", async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  for (const bad of ['Short1x', 'ninechar1', 'no digits here', 'nodigitsatall', '1234567890', `x1${s.ftpLogin}zz`]) {
    assertError(await ftp(u.key, s.id, bad), 400, 'validation_error', 'password')
  }
  assertError(await ftp(u.key, s.id, 'x'.repeat(65)), 400, 'validation_error')
  assert.equal((await listActions(env, u.key, s.id)).length, 0)
  const audits = await db()
    .selectFrom('audit_log')
    .select('id')
    .where('target_id', '=', s.id)
    .where('action', '=', 'plesk.ftp_password')
    .execute()
  assert.equal(audits.length, 0, 'nothing audited either')
})

test('the fake Plesk refuses an FTP password under 8 characters with an errcode; the adapter says so', async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  await assert.rejects(
    env.deps.plesk.setFtpPassword(s.domain, 'Ab1defg'),
    (e: { code?: string; details?: { pleskCode?: number; pleskText?: string } }) => {
      assert.equal(e.code, 'provider_error')
      assert.equal(e.details?.pleskCode, 1019)
      assert.ok(!e.details?.pleskText?.includes('Ab1defg'))
      return true
    },
  )
  assert.ok(fake().verifyFtpPassword(s.domain, s.ftpPassword), 'unchanged')
})

test('refused in the wrong state: not active, no webspace, another action open (409), another customer (404)', async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  const pw = 'Another1Pass'
  for (const status of ['suspended', 'renewing', 'suspending'] as const) {
    await db().updateTable('plesk_subscriptions').set({ status }).where('id', '=', s.id).execute()
    const res = await ftp(u.key, s.id, pw)
    assertError(res, 409, 'invalid_state')
    assert.equal(res.json().error.status, status)
    assertError(await login(u.key, s.id), 409, 'invalid_state')
  }
  await db()
    .updateTable('plesk_subscriptions')
    .set({ status: 'active', plesk_webspace_id: null })
    .where('id', '=', s.id)
    .execute()
  assertError(await ftp(u.key, s.id, pw), 409, 'invalid_state')
  assertError(await login(u.key, s.id), 409, 'invalid_state')
  const row = await subscriptionRow(env, s.id)
  await db()
    .updateTable('plesk_subscriptions')
    .set({ plesk_webspace_id: webspace(env, s.domain).id })
    .where('id', '=', s.id)
    .execute()
  assert.equal(row.status, 'active')
  assert.equal((await listActions(env, u.key, s.id)).length, 0, 'nothing was written')

  const first = await ftp(u.key, s.id, pw)
  assert.equal(first.statusCode, 202, first.body)
  const second = await ftp(u.key, s.id, 'Yet4notherPass')
  assertError(second, 409, 'action_pending')
  assert.equal(second.json().error.pending_action_id, first.json().action.id)
  await settledAction(env, u.key, s.id, first.json().action.id)
  assert.ok(fake().verifyFtpPassword(s.domain, pw), 'the first one was applied, not the refused one')

  const other = await env.user('100.00')
  for (const res of [
    await ftp(other.key, s.id, pw),
    await login(other.key, s.id),
    await env.request({ method: 'GET', url: `/API/plesk/actions?subscription_id=${s.id}`, key: other.key }),
  ]) {
    assertError(res, 404, 'not_found')
    assert.equal(res.json().error.resource, 'subscription')
  }
  // An admin key may act for the owner on the same routes.
  const admin = await env.user('0.00', true)
  const asAdmin = await ftp(admin.key, s.id, 'Admin5etPass', { user_id: u.id })
  assert.equal(asAdmin.statusCode, 202, asAdmin.body)
  await settledAction(env, u.key, s.id, asAdmin.json().action.id)
  assert.equal((await actionRow(asAdmin.json().action.id)).requested_by, admin.keyId)
})

test('Plesk failing: retried with backoff, then recorded failed; the subscription stays usable', async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  // A brief outage (more 500s than the adapter's own tries): the job's next attempt succeeds.
  fake().injectFault({ operation: 'webspace.set', fault: 'http500', times: 3 })
  const brief = await ftp(u.key, s.id, 'Brief0utage')
  assert.equal(brief.statusCode, 202, brief.body)
  const b = await settledAction(env, u.key, s.id, brief.json().action.id)
  assert.equal(b.status, 'done', b.error ?? '')
  assert.ok(fake().verifyFtpPassword(s.domain, 'Brief0utage'))
  const job = await db()
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', (await actionRow(brief.json().action.id)).job_id!)
    .executeTakeFirstOrThrow()
  assert.ok(job.attempts >= 2, `retried (attempts ${job.attempts})`)

  // Down for good: every attempt fails, the action is failed with the reason, the password unchanged.
  fake().injectFault({ operation: 'webspace.set', fault: 'http500', times: 1000 })
  const down = await ftp(u.key, s.id, 'L0ngOutage!')
  assert.equal(down.statusCode, 202, down.body)
  const d = await settledAction(env, u.key, s.id, down.json().action.id)
  assert.equal(d.status, 'failed')
  assert.match(d.error ?? '', /HTTP 500/)
  assert.ok(!(d.error ?? '').includes('L0ngOutage!'))
  assert.ok(fake().verifyFtpPassword(s.domain, 'Brief0utage'), 'unchanged')
  const sub = await subscriptionRow(env, s.id)
  assert.equal(sub.status, 'active')
  assert.ok(!(await rowsText()).includes('L0ngOutage!'), 'not kept after the failure either')

  // A refusal by Plesk (errcode) is permanent: no retries.
  fake().clearFaults()
  fake().injectFault({ operation: 'webspace.set', fault: 'error', errcode: 1019, times: 1 })
  const refused = await ftp(u.key, s.id, 'Refused1Pass')
  const r = await settledAction(env, u.key, s.id, refused.json().action.id)
  assert.equal(r.status, 'failed')
  assert.match(r.error ?? '', /errcode 1019/)
  const rjob = await db()
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', (await actionRow(refused.json().action.id)).job_id!)
    .executeTakeFirstOrThrow()
  assert.equal(rjob.attempts, 1)

  // Usable: the next request goes through.
  const again = await ftp(u.key, s.id, 'Fin4llyWorks')
  assert.equal((await settledAction(env, u.key, s.id, again.json().action.id)).status, 'done')
  assert.ok(fake().verifyFtpPassword(s.domain, 'Fin4llyWorks'))
  assert.equal((await login(u.key, s.id)).statusCode, 200)
})

test('login link: works once from the IP it was minted for; a second use or another IP fails', async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  const res = await login(u.key, s.id)
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.headers['cache-control'], 'no-store')
  assert.equal(res.headers['referrer-policy'], 'no-referrer')
  const body: { url: string; expires_at: string } = res.json()
  const url = body.url
  const link = new URL(url)
  assert.equal(link.origin, fake().url)
  assert.equal(link.pathname, '/enterprise/rsession_init.php')
  assert.match(link.searchParams.get('PLESKSESSID') ?? '', /^[0-9a-f]{32}$/)
  assert.equal(link.searchParams.get('success_redirect_url'), '/smb/web/view')
  const ttl = Date.parse(body.expires_at) - Date.now()
  assert.ok(ttl > 4 * 60_000 && ttl <= 5 * 60_000, `expires in 5 minutes (${ttl} ms)`)
  const session = fake().sessions().at(-1)!
  assert.deepEqual([session.login, session.ip, session.used], [s.login, '127.0.0.1', false])

  const first = await fetch(url, { redirect: 'manual' })
  assert.equal(first.status, 302)
  assert.equal(first.headers.get('location'), '/smb/web/view')
  // The panel opens as the subscription's own customer, with the cookie the link set, and not without it.
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!
  const panel = await fetch(new URL('/smb/web/view', url), { headers: { cookie } })
  assert.equal(panel.status, 200)
  const html = await panel.text()
  assert.ok(html.includes(`<strong id="login">${s.login}</strong>`), html)
  assert.ok(html.includes(s.domain), html)
  assert.equal((await fetch(new URL('/smb/web/view', url))).status, 403)
  const second = await fetch(url, { redirect: 'manual' })
  assert.equal(second.status, 403, 'single use')

  // Minted for a browser elsewhere: this machine (127.0.0.1) cannot use it, and it stays unused.
  const far = await login(u.key, s.id, '198.51.100.7')
  assert.equal(far.statusCode, 200, far.body)
  assert.equal(fake().sessions().at(-1)!.ip, '198.51.100.7')
  assert.equal((await fetch(far.json().url as string, { redirect: 'manual' })).status, 403)
  assert.equal(fake().sessions().at(-1)!.used, false)

  // Expired after five minutes.
  const late = await login(u.key, s.id)
  fake().setNow(() => Date.now() + 5 * 60_000 + 1)
  assert.equal((await fetch(late.json().url as string, { redirect: 'manual' })).status, 403)
  fake().setNow(() => Date.now())

  // Audited without the link or the session id.
  const audits = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('target_id', '=', s.id)
    .where('action', '=', 'plesk.login_link')
    .execute()
  assert.equal(audits.length, 3)
  assert.ok(!(await rowsText()).includes(link.searchParams.get('PLESKSESSID')!))
  assert.ok(!JSON.stringify(audits).includes('PLESKSESSID'))
})

test('login link: Plesk refusing create_session is a 502 and writes no audit row', async () => {
  const u = await env.user('100.00')
  const s = await activeSubscription(env, u, tag())
  fake().injectFault({ operation: 'server.create_session', fault: 'error', errcode: 1013 })
  assertError(await login(u.key, s.id), 502, 'provider_error')
  const audits = await db()
    .selectFrom('audit_log')
    .select('id')
    .where('target_id', '=', s.id)
    .where('action', '=', 'plesk.login_link')
    .execute()
  assert.equal(audits.length, 0)
})
