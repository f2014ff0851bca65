/**
 * Customer accounts and cookie sessions (issue 12): signup → mail → verify → a session that works
 * on the existing customer routes and on an order route; CSRF; cookie flags; fixation; logout,
 * revocation from another session and "log out everywhere"; idle and absolute timeouts on the
 * test clock; the API-key path untouched (a key wins over a cookie).
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import {
  asSession,
  login,
  mailsTo,
  newEmail,
  sessionCookieOf,
  setCookieHeader,
  signedUp,
  strongPassword,
  tokenFromMail,
} from './support.ts'

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)

let env: TestEnv
before(async () => {
  env = await startTestEnv({ env: { TRUST_PROXY: '10.0.0.1' } })
})
after(async () => {
  await env.close()
})
beforeEach(() => {
  env.clock.current = null
})

test('signup mails a verification link; verifying signs in and the session works on customer and order routes', async () => {
  const email = newEmail('Flow').replace('flow', 'Flow')
  const password = strongPassword()
  const res = await env.request({ url: '/API/auth/signup', body: { email, password, username: 'flow' } })
  assert.equal(res.statusCode, 202, res.body)
  assert.equal(res.json().success, true)
  const mail = await tokenFromMail(env, email.toLowerCase(), '/verify-email')
  assert.match(mail.subject, /Confirm your e-mail address/)
  assert.ok(mail.html.includes('/verify-email?token='))
  // The token never enters events or a job payload.
  const events = await env.deps.db.selectFrom('events').selectAll().execute()
  assert.ok(!JSON.stringify(events, big).includes(mail.token), 'no token in events')
  const jobs = await env.deps.db.selectFrom('jobs').select('payload').where('kind', '=', 'auth_mail').execute()
  assert.ok(jobs.length > 0 && !JSON.stringify(jobs).includes(mail.token), 'no token in job payloads')
  const secrets = await env.deps.db.selectFrom('job_secrets').selectAll().execute()
  assert.ok(!JSON.stringify(secrets).includes(mail.token), 'job secrets are sealed (and erased once sent)')

  const v = await env.request({ url: '/API/auth/verify-email', body: { token: mail.token } })
  assert.equal(v.statusCode, 200, v.body)
  const body = v.json()
  assert.equal(body.user.email, email.toLowerCase())
  assert.equal(body.user.username, 'flow')
  assert.equal(body.user.email_verified, true)
  assert.equal(body.user.totp_enabled, false)
  assert.equal(typeof body.csrf_token, 'string')
  const s = { cookie: sessionCookieOf(v)!, csrf: body.csrf_token as string }
  assert.match(s.cookie, /^[A-Za-z0-9_-]{43}$/)
  // Only the SHA-256 of the cookie is stored.
  const rows = await env.deps.db.selectFrom('sessions').selectAll().where('user_id', '=', body.user.id).execute()
  assert.equal(rows.length, 1)
  assert.ok(!JSON.stringify(rows, big).includes(s.cookie))

  // A verification token works once.
  const again = await env.request({ url: '/API/auth/verify-email', body: { token: mail.token } })
  assert.equal(again.statusCode, 400)
  assert.equal(again.json().error.code, 'invalid_token')

  const info = await asSession(env, s, { url: '/API/info_user' })
  assert.equal(info.statusCode, 200, info.body)
  assert.equal(info.json().user.id, body.user.id)
  const balance = await asSession(env, s, { url: '/API/balance' })
  assert.equal(balance.statusCode, 200, balance.body)
  assert.equal(balance.json().balance, '0.00')
  const session = await asSession(env, s, { url: '/API/auth/session' })
  assert.equal(session.statusCode, 200, session.body)
  assert.equal(session.json().csrf_token, s.csrf)
  assert.equal(session.json().session.id, rows[0]!.id)

  // An order through the session: refused for want of money (402), but authenticated and authorized.
  const order = await asSession(env, s, {
    method: 'POST',
    url: '/API/orders/create_order',
    body: { user_id: body.user.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(order.statusCode, 402, order.body)
  assert.equal(order.json().error.code, 'insufficient_balance')
  const list = await asSession(env, s, { url: '/API/orders/list_order' })
  assert.equal(list.statusCode, 200, list.body)
})

test('an order paid from a session is audited as session:<id> and its Idempotency-Key replays', async () => {
  const s = await signedUp(env)
  await env.deps.db.updateTable('users').set({ balance_cents: 10_000n }).where('id', '=', s.userId).execute()
  const body = { user_id: s.userId, plan_id: '5', os_image_id: '13', location: 'Slovenia' }
  const first = await asSession(env, s, {
    method: 'POST',
    url: '/API/orders/create_order',
    body,
    headers: { 'idempotency-key': 'sess-order-1' },
  })
  assert.equal(first.statusCode, 200, first.body)
  const again = await asSession(env, s, {
    method: 'POST',
    url: '/API/orders/create_order',
    body,
    headers: { 'idempotency-key': 'sess-order-1' },
  })
  assert.equal(again.statusCode, 200, again.body)
  assert.equal(again.json().order_id, first.json().order_id, 'replayed, not ordered twice')
  const sessionId = (await asSession(env, s, { url: '/API/auth/session' })).json().session.id as string
  const ledger = await env.deps.db
    .selectFrom('ledger_entries')
    .select('actor')
    .where('user_id', '=', s.userId)
    .execute()
  assert.ok(
    ledger.some(l => l.actor === `session:${sessionId}`),
    JSON.stringify(ledger),
  )
})

test('CSRF: a cookie-authenticated write without or with a wrong x-csrf-token is 403 csrf_failed; with it, it passes', async () => {
  const s = await signedUp(env)
  const patch = (csrf: string | false) =>
    asSession(env, s, { method: 'PATCH', url: '/API/account/profile', body: { username: 'csrf' }, csrf })
  const none = await patch(false)
  assert.equal(none.statusCode, 403, none.body)
  assert.equal(none.json().error.code, 'csrf_failed')
  const wrong = await patch('x'.repeat(43))
  assert.equal(wrong.statusCode, 403)
  assert.equal(wrong.json().error.code, 'csrf_failed')
  const profile = await asSession(env, s, { url: '/API/account/profile' })
  assert.equal(profile.json().profile.username, s.email.split('@')[0], 'nothing changed')
  const ok = await patch(s.csrf)
  assert.equal(ok.statusCode, 200, ok.body)
  assert.equal(ok.json().profile.username, 'csrf')
  // Reads need no token; a key never looks at CSRF.
  assert.equal((await asSession(env, s, { url: '/API/balance', csrf: false })).statusCode, 200)
})

test('cookie flags: HttpOnly, SameSite=Lax, Path=/, bounded Max-Age; Secure only over HTTPS from a trusted proxy', async () => {
  const s = await signedUp(env)
  const plain = await login(env, { email: s.email, password: s.password })
  assert.equal(plain.statusCode, 200, plain.body)
  const c = setCookieHeader(plain)
  assert.match(c, /; HttpOnly/)
  assert.match(c, /; SameSite=Lax/)
  assert.match(c, /; Path=\//)
  assert.doesNotMatch(c, /; Secure/)
  const maxAge = Number(/Max-Age=(\d+)/.exec(c)![1])
  assert.ok(maxAge > 0 && maxAge <= 168 * 3600, c)
  // X-Forwarded-Proto from an untrusted peer changes nothing.
  const forged = await login(
    env,
    { email: s.email, password: s.password },
    { headers: { 'x-forwarded-proto': 'https' } },
  )
  assert.doesNotMatch(setCookieHeader(forged), /; Secure/)
  const proxied = await login(
    env,
    { email: s.email, password: s.password },
    { remoteAddress: '10.0.0.1', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' } },
  )
  assert.equal(proxied.statusCode, 200, proxied.body)
  assert.match(setCookieHeader(proxied), /; Secure/)
  const sessions = await asSession(env, { cookie: sessionCookieOf(proxied)!, csrf: '' }, { url: '/API/auth/sessions' })
  assert.equal(sessions.statusCode, 200, sessions.body)
  const current = sessions.json().sessions.find((x: { current: boolean }) => x.current)
  assert.equal(current.ip, '203.0.113.9')
})

test('fixation: a cookie presented at login is not the session after it, and a live one is revoked', async () => {
  const s = await signedUp(env)
  const planted = await login(env, { email: s.email, password: s.password })
  const plantedCookie = sessionCookieOf(planted)!
  const res = await login(
    env,
    { email: s.email, password: s.password },
    { headers: { cookie: `oxbill_session=${plantedCookie}` } },
  )
  assert.equal(res.statusCode, 200, res.body)
  const fresh = sessionCookieOf(res)!
  assert.notEqual(fresh, plantedCookie)
  assert.equal((await asSession(env, { cookie: plantedCookie, csrf: '' }, { url: '/API/balance' })).statusCode, 401)
  assert.equal((await asSession(env, { cookie: fresh, csrf: '' }, { url: '/API/balance' })).statusCode, 200)
  // A made-up cookie at login is simply ignored.
  const madeUp = await login(
    env,
    { email: s.email, password: s.password },
    { headers: { cookie: 'oxbill_session=attacker' } },
  )
  assert.notEqual(sessionCookieOf(madeUp), 'attacker')
})

test('revocation is immediate: from another session, log out, and log out everywhere', async () => {
  const a = await signedUp(env)
  const second = await login(env, { email: a.email, password: a.password })
  const b = { cookie: sessionCookieOf(second)!, csrf: second.json().csrf_token as string }
  const listed = await asSession(env, a, { url: '/API/auth/sessions' })
  assert.equal(listed.json().sessions.length, 2)
  const bId = listed.json().sessions.find((x: { current: boolean }) => !x.current).id as string
  assert.equal((await asSession(env, b, { url: '/API/balance' })).statusCode, 200)
  const del = await asSession(env, a, { method: 'DELETE', url: `/API/auth/sessions/${bId}` })
  assert.equal(del.statusCode, 200, del.body)
  const after = await asSession(env, b, { url: '/API/balance' })
  assert.equal(after.statusCode, 401)
  assert.equal(after.json().error.code, 'unauthorized')

  // Logout ends the current session and clears the cookie.
  const out = await asSession(env, a, { method: 'POST', url: '/API/auth/logout' })
  assert.equal(out.statusCode, 200, out.body)
  assert.equal(sessionCookieOf(out), '')
  assert.match(setCookieHeader(out), /Max-Age=0/)
  assert.equal((await asSession(env, a, { url: '/API/balance' })).statusCode, 401)

  // Log out everywhere, keeping the current one, then all.
  const logins = []
  for (let i = 0; i < 3; i++) {
    const r = await login(env, { email: a.email, password: a.password })
    logins.push({ cookie: sessionCookieOf(r)!, csrf: r.json().csrf_token as string })
  }
  const keep = await asSession(env, logins[0]!, {
    method: 'POST',
    url: '/API/auth/sessions/revoke_all',
    body: { keep_current: true },
  })
  assert.equal(keep.statusCode, 200, keep.body)
  assert.equal(keep.json().revoked, 2)
  assert.equal((await asSession(env, logins[0]!, { url: '/API/balance' })).statusCode, 200)
  assert.equal((await asSession(env, logins[1]!, { url: '/API/balance' })).statusCode, 401)
  const all = await asSession(env, logins[0]!, { method: 'POST', url: '/API/auth/sessions/revoke_all', body: {} })
  assert.equal(all.json().revoked, 1)
  assert.equal((await asSession(env, logins[0]!, { url: '/API/balance' })).statusCode, 401)
})

test("another user's session id is a 404 and changes nothing", async () => {
  const a = await signedUp(env)
  const b = await signedUp(env)
  const bId = (await asSession(env, b, { url: '/API/auth/session' })).json().session.id as string
  const res = await asSession(env, a, { method: 'DELETE', url: `/API/auth/sessions/${bId}` })
  assert.equal(res.statusCode, 404, res.body)
  assert.equal(res.json().error.code, 'not_found')
  assert.equal((await asSession(env, b, { url: '/API/balance' })).statusCode, 200)
  const unknown = await asSession(env, a, { method: 'DELETE', url: '/API/auth/sessions/ses_000000000000000000000000' })
  assert.equal(unknown.statusCode, 404)
})

test('idle and absolute timeouts follow the business clock', async () => {
  const s = await signedUp(env)
  const t0 = Date.now()
  env.clock.current = new Date(t0 + 59 * 60_000)
  assert.equal((await asSession(env, s, { url: '/API/balance' })).statusCode, 200, 'used within the idle timeout')
  // That use moved the idle expiry: 59 more minutes are fine.
  env.clock.current = new Date(t0 + 118 * 60_000)
  assert.equal((await asSession(env, s, { url: '/API/balance' })).statusCode, 200)
  env.clock.current = new Date(t0 + (118 + 61) * 60_000)
  const idle = await asSession(env, s, { url: '/API/balance' })
  assert.equal(idle.statusCode, 401, 'idle for more than 60 minutes')
  assert.equal(idle.json().error.code, 'unauthorized')

  // Absolute: used every 50 minutes, still ended 168 hours after login.
  env.clock.current = null
  const r = await login(env, { email: s.email, password: s.password })
  const live = { cookie: sessionCookieOf(r)!, csrf: '' }
  const start = Date.now()
  let t = start
  while (t < start + 167 * 3_600_000) {
    t += 50 * 60_000
    env.clock.current = new Date(Math.min(t, start + 168 * 3_600_000 - 60_000))
    const res = await asSession(env, live, { url: '/API/auth/session' })
    assert.equal(res.statusCode, 200, `at ${(t - start) / 3_600_000} h`)
  }
  env.clock.current = new Date(start + 168 * 3_600_000 + 1000)
  assert.equal((await asSession(env, live, { url: '/API/balance' })).statusCode, 401, 'past the absolute timeout')
})

test('a key wins over a cookie; admin routes take no session; a deactivated user loses their sessions', async () => {
  const s = await signedUp(env)
  const other = await env.user('1.00')
  const res = await env.request({
    method: 'GET',
    url: '/API/info_user',
    key: other.key,
    headers: { cookie: `oxbill_session=${s.cookie}` },
  })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().user.id, other.id, 'the key, not the cookie')
  const bad = await env.request({
    method: 'GET',
    url: '/API/info_user',
    key: 'oxb_nope',
    headers: { cookie: `oxbill_session=${s.cookie}` },
  })
  assert.equal(bad.statusCode, 401, 'a bad key is not rescued by a good cookie')
  // A key request pays no CSRF.
  const write = await env.request({
    method: 'PATCH',
    url: '/API/account/profile',
    key: other.key,
    body: { username: 'k' },
  })
  assert.equal(write.statusCode, 200, write.body)
  const admin = await asSession(env, s, { url: '/API/admin/users' })
  assert.equal(admin.statusCode, 401)
  await env.deps.db.updateTable('users').set({ is_active: false }).where('id', '=', s.userId).execute()
  assert.equal((await asSession(env, s, { url: '/API/balance' })).statusCode, 401)
  const relog = await login(env, { email: s.email, password: s.password })
  assert.equal(relog.statusCode, 401)
  assert.equal(relog.json().error.code, 'invalid_credentials')
})

test('signup of a taken address answers the same 202 and mails the owner instead', async () => {
  const s = await signedUp(env)
  const before = mailsTo(env, s.email).length
  const again = await env.request({
    url: '/API/auth/signup',
    body: { email: s.email.toUpperCase(), password: strongPassword() },
  })
  assert.equal(again.statusCode, 202, again.body)
  const fresh = await env.request({ url: '/API/auth/signup', body: { email: newEmail(), password: strongPassword() } })
  assert.deepEqual(again.json(), fresh.json(), 'the same answer for a new and a taken address')
  const mail = await tokenFromMail(env, s.email, '/reset-password')
  assert.match(mail.subject, /already have an account/)
  assert.equal(mailsTo(env, s.email).length, before + 1)
  const users = await env.deps.db.selectFrom('users').select('id').where('email', '=', s.email).execute()
  assert.equal(users.length, 1)
  // The existing password still works (nothing was changed by the second signup).
  assert.equal((await login(env, { email: s.email, password: s.password })).statusCode, 200)
})

test('weak passwords are refused with the reason, before anything is written', async () => {
  const email = newEmail('weakling')
  const count = async () => (await env.deps.db.selectFrom('users').select('id').execute()).length
  const n = await count()
  const cases: Array<[string, RegExp]> = [
    ['short1!', /too short/],
    ['x'.repeat(257), /too long/],
    ['password1234', /commonly used password/],
    ['qwertyuiop', /commonly used|too easy/],
    [`${email.split('@')[0]}-Xy7!`, /e-mail/],
    ['aaaaaaaaaaaa', /too easy to guess/],
  ]
  for (const [password, reason] of cases) {
    const res = await env.request({ url: '/API/auth/signup', body: { email, password } })
    assert.equal(res.statusCode, 400, `${password}: ${res.body}`)
    assert.equal(res.json().error.code, 'weak_password')
    assert.equal(res.json().error.field, 'password')
    assert.match(res.json().message, reason, password)
  }
  const badEmail = await env.request({
    url: '/API/auth/signup',
    body: { email: 'not-an-email', password: strongPassword() },
  })
  assert.equal(badEmail.statusCode, 400)
  assert.equal(badEmail.json().error.code, 'validation_error')
  assert.equal(await count(), n, 'no user was written')
  assert.equal(mailsTo(env, email).length, 0)
})

test('profile: partial updates, billing country checked, e-mail not changeable', async () => {
  const s = await signedUp(env)
  const res = await asSession(env, s, {
    method: 'PATCH',
    url: '/API/account/profile',
    body: { telegram: '@me', billing: { name: 'Ada L', country: 'de', city: 'Berlin' } },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json().profile.billing, {
    name: 'Ada L',
    company: null,
    address_line1: null,
    address_line2: null,
    postal_code: null,
    city: 'Berlin',
    country: 'DE',
    vat_id: null,
  })
  assert.equal(res.json().profile.telegram, '@me')
  const bad = await asSession(env, s, {
    method: 'PATCH',
    url: '/API/account/profile',
    body: { billing: { country: '1x' } },
  })
  assert.equal(bad.statusCode, 400)
  const mail = await asSession(env, s, {
    method: 'PATCH',
    url: '/API/account/profile',
    body: { email: 'other@example.test' },
  })
  assert.equal(mail.statusCode, 400)
  const same = await asSession(env, s, {
    method: 'PATCH',
    url: '/API/account/profile',
    body: { email: s.email, billing: { city: null } },
  })
  assert.equal(same.statusCode, 200, same.body)
  assert.equal(same.json().profile.billing.city, null)
  assert.equal(same.json().profile.billing.name, 'Ada L')
})

test('password change: needs the current one, revokes the other sessions, keeps this one', async () => {
  const s = await signedUp(env)
  const other = await login(env, { email: s.email, password: s.password })
  const o = { cookie: sessionCookieOf(other)!, csrf: '' }
  const wrong = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/password',
    body: { current_password: 'nope-nope-nope', new_password: strongPassword() },
  })
  assert.equal(wrong.statusCode, 401)
  assert.equal(wrong.json().error.code, 'invalid_credentials')
  const weak = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/password',
    body: { current_password: s.password, new_password: 'password123' },
  })
  assert.equal(weak.statusCode, 400)
  assert.equal(weak.json().error.field, 'new_password')
  const next = strongPassword()
  const ok = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/password',
    body: { current_password: s.password, new_password: next },
  })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.equal((await asSession(env, s, { url: '/API/balance' })).statusCode, 200)
  assert.equal((await asSession(env, o, { url: '/API/balance' })).statusCode, 401)
  assert.equal((await login(env, { email: s.email, password: s.password })).statusCode, 401)
  assert.equal((await login(env, { email: s.email, password: next })).statusCode, 200)
})

test('API keys from the account: created (shown once), works, listed without secret, revoked → 401; another user’s → 404', async () => {
  const s = await signedUp(env)
  const created = await asSession(env, s, { method: 'POST', url: '/API/account/keys', body: { name: 'ci' } })
  assert.equal(created.statusCode, 201, created.body)
  const { key, api_key: apiKey } = created.json()
  assert.match(apiKey, /^oxb_/)
  assert.equal(key.name, 'ci')
  assert.equal(apiKey.slice(0, 12), key.prefix)
  const info = await env.request({ method: 'GET', url: '/API/info_user', key: apiKey })
  assert.equal(info.statusCode, 200)
  assert.equal(info.json().user.id, s.userId)
  const list = await asSession(env, s, { url: '/API/account/keys' })
  assert.equal(list.statusCode, 200)
  assert.deepEqual(
    list.json().keys.map((k: { id: string }) => k.id),
    [key.id],
  )
  assert.ok(!list.body.includes(apiKey))
  const other = await env.user('1.00')
  const foreign = await asSession(env, s, { method: 'POST', url: `/API/account/keys/${other.keyId}/revoke` })
  assert.equal(foreign.statusCode, 404, foreign.body)
  assert.equal((await env.request({ method: 'GET', url: '/API/balance', key: other.key })).statusCode, 200)
  const revoked = await asSession(env, s, { method: 'POST', url: `/API/account/keys/${key.id}/revoke` })
  assert.equal(revoked.statusCode, 200, revoked.body)
  assert.equal(revoked.json().changed, true)
  assert.notEqual(revoked.json().key.revoked_at, null)
  const gone = await env.request({ method: 'GET', url: '/API/info_user', key: apiKey })
  assert.equal(gone.statusCode, 401)
  const audit = await env.deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', key.id).execute()
  assert.deepEqual(audit.map(a => a.action).sort(), ['key.issue', 'key.revoke'])
  assert.ok(audit.every(a => a.actor.startsWith('session:')))
})
