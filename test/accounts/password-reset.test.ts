/**
 * Password reset (issue 12): the same 202 for any address, a mailed single-use link (1 h), the new
 * password checked by the policy, every session revoked, and a token used concurrently works once.
 * Signup disabled answers 403 (its own oxbill in this file).
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { asSession, login, mailsTo, newEmail, signedUp, strongPassword, tokenFromMail } from './support.ts'

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

test('reset: 202 for any address, link works once, sessions revoked, old password dead', async () => {
  const s = await signedUp(env)
  const unknown = await env.request({ url: '/API/auth/password-reset', body: { email: newEmail('nobody') } })
  const known = await env.request({ url: '/API/auth/password-reset', body: { email: s.email } })
  assert.equal(unknown.statusCode, 202)
  assert.equal(known.statusCode, 202)
  assert.deepEqual(unknown.json(), known.json())
  const mail = await tokenFromMail(env, s.email, '/reset-password')
  assert.match(mail.subject, /Reset your/)

  const weak = await env.request({
    url: '/API/auth/password-reset/confirm',
    body: { token: mail.token, password: 'password123' },
  })
  assert.equal(weak.statusCode, 400)
  assert.equal(weak.json().error.code, 'weak_password')
  const next = strongPassword()
  const ok = await env.request({ url: '/API/auth/password-reset/confirm', body: { token: mail.token, password: next } })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.equal((await asSession(env, s, { url: '/API/balance' })).statusCode, 401, 'sessions revoked')
  const twice = await env.request({
    url: '/API/auth/password-reset/confirm',
    body: { token: mail.token, password: strongPassword() },
  })
  assert.equal(twice.statusCode, 400)
  assert.equal(twice.json().error.code, 'invalid_token')
  assert.equal((await login(env, { email: s.email, password: s.password })).statusCode, 401)
  assert.equal((await login(env, { email: s.email, password: next })).statusCode, 200)
})

test('a reset link expires after an hour; a made-up token is invalid', async () => {
  const s = await signedUp(env)
  await env.request({ url: '/API/auth/password-reset', body: { email: s.email } })
  const mail = await tokenFromMail(env, s.email, '/reset-password')
  env.clock.current = new Date(Date.now() + 61 * 60_000)
  const late = await env.request({
    url: '/API/auth/password-reset/confirm',
    body: { token: mail.token, password: strongPassword() },
  })
  assert.equal(late.statusCode, 400)
  assert.equal(late.json().error.code, 'invalid_token')
  const fake = await env.request({
    url: '/API/auth/password-reset/confirm',
    body: { token: 'x'.repeat(43), password: strongPassword() },
  })
  assert.equal(fake.json().error.code, 'invalid_token')
})

test('reset mails are capped per account and hour', async () => {
  const s = await signedUp(env)
  for (let i = 0; i < 5; i++) await env.request({ url: '/API/auth/password-reset', body: { email: s.email } })
  await env.runner.drain()
  assert.equal(mailsTo(env, s.email).filter(m => /Reset your/.test(m.subject)).length, 3)
})

test('one reset token used concurrently sets one password', async () => {
  const s = await signedUp(env)
  await env.request({ url: '/API/auth/password-reset', body: { email: s.email } })
  const { token } = await tokenFromMail(env, s.email, '/reset-password')
  const passwords = Array.from({ length: 4 }, () => strongPassword())
  const res = await Promise.all(
    passwords.map(password => env.request({ url: '/API/auth/password-reset/confirm', body: { token, password } })),
  )
  const codes = res.map(r => r.statusCode)
  assert.equal(codes.filter(c => c === 200).length, 1, JSON.stringify(res.map(r => r.body)))
  assert.equal(codes.filter(c => c === 400).length, 3)
  const winner = passwords[codes.indexOf(200)]!
  assert.equal((await login(env, { email: s.email, password: winner })).statusCode, 200)
  for (const p of passwords.filter(p => p !== winner)) {
    assert.equal((await login(env, { email: s.email, password: p })).statusCode, 401)
  }
})

test('SIGNUP_ENABLED=false: signup is 403 signup_disabled; login still works', async () => {
  const off = await startTestEnv({ env: { SIGNUP_ENABLED: 'false' }, seed: false })
  try {
    const res = await off.request({ url: '/API/auth/signup', body: { email: newEmail(), password: strongPassword() } })
    assert.equal(res.statusCode, 403, res.body)
    assert.equal(res.json().error.code, 'signup_disabled')
    assert.equal((await off.deps.db.selectFrom('users').select('id').execute()).length, 0)
  } finally {
    await off.close()
  }
})
