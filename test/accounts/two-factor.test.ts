/**
 * Two-factor authentication (issue 12): setup (pending secret sealed, QR as SVG), enable with a
 * code, login needing the code, a code refused the second time, recovery codes single-use (also
 * when one code is sent concurrently: PostgreSQL), regenerate and disable.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import * as OTPAuth from 'otpauth'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { asSession, login, sessionCookieOf, signedUp, type Session } from './support.ts'

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

const codeAt = (secret: string, at: Date) =>
  OTPAuth.TOTP.generate({
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: at.getTime(),
  })

/** A user with 2FA on; the clock is fixed so each step's code is known. */
async function withTotp(): Promise<{ s: Session; secret: string; recovery: string[] }> {
  const s = await signedUp(env)
  const setup = await asSession(env, s, { method: 'POST', url: '/API/account/2fa/setup' })
  assert.equal(setup.statusCode, 200, setup.body)
  const { secret, otpauth_uri: uri, qr_svg: svg } = setup.json()
  assert.match(uri, /^otpauth:\/\/totp\//)
  assert.ok(uri.includes(`secret=${secret}`))
  assert.match(svg, /^<svg[\s\S]*<\/svg>\s*$/)
  const row = await env.deps.db.selectFrom('users').selectAll().where('id', '=', s.userId).executeTakeFirstOrThrow()
  assert.ok(row.totp_pending_sealed !== null && !row.totp_pending_sealed.includes(secret), 'sealed at rest')
  assert.equal(row.totp_secret_sealed, null)
  const wrong = await asSession(env, s, { method: 'POST', url: '/API/account/2fa/enable', body: { code: '000000' } })
  assert.equal(wrong.statusCode, 401)
  assert.equal(wrong.json().error.code, 'invalid_totp')
  env.clock.current = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 1000)
  const enable = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/2fa/enable',
    body: { code: codeAt(secret, env.clock.current) },
  })
  assert.equal(enable.statusCode, 200, enable.body)
  const recovery = enable.json().recovery_codes as string[]
  assert.equal(recovery.length, 10)
  assert.equal(new Set(recovery).size, 10)
  const stored = await env.deps.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', s.userId).execute()
  assert.equal(stored.length, 10)
  assert.ok(!JSON.stringify(stored).includes(recovery[0]!), 'stored hashed')
  return { s, secret, recovery }
}

test('2FA: enable, then login needs a code; a code works once; ±1 step accepted, 2 steps not', async () => {
  const { s, secret } = await withTotp()
  const again = await asSession(env, s, { method: 'POST', url: '/API/account/2fa/setup' })
  assert.equal(again.statusCode, 409, 'already on')
  const info = await asSession(env, s, { url: '/API/auth/session' })
  assert.equal(info.json().user.totp_enabled, true)

  const noCode = await login(env, { email: s.email, password: s.password })
  assert.equal(noCode.statusCode, 401)
  assert.equal(noCode.json().error.code, 'totp_required')
  assert.equal(sessionCookieOf(noCode), undefined, 'no session without the code')

  // The enable code's step is used: the same code cannot sign in.
  const now = env.clock.current!
  const reused = await login(env, { email: s.email, password: s.password, totp_code: codeAt(secret, now) })
  assert.equal(reused.statusCode, 401)
  assert.equal(reused.json().error.code, 'invalid_totp')

  env.clock.current = new Date(now.getTime() + 30_000)
  const next = codeAt(secret, env.clock.current)
  const ok = await login(env, { email: s.email, password: s.password, totp_code: next })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.equal(ok.json().user.totp_enabled, true)
  const replay = await login(env, { email: s.email, password: s.password, totp_code: next })
  assert.equal(replay.statusCode, 401, 'the same code within its window is refused')
  assert.equal(replay.json().error.code, 'invalid_totp')

  // A code of the next step (clock drift) is accepted; two steps ahead is not.
  const t = env.clock.current.getTime() + 30_000
  env.clock.current = new Date(t)
  const ahead = await login(env, {
    email: s.email,
    password: s.password,
    totp_code: codeAt(secret, new Date(t + 30_000)),
  })
  assert.equal(ahead.statusCode, 200, ahead.body)
  const far = await login(env, {
    email: s.email,
    password: s.password,
    totp_code: codeAt(secret, new Date(t + 120_000)),
  })
  assert.equal(far.statusCode, 401)

  const wrongPassword = await login(env, { email: s.email, password: 'wrong-password-x', totp_code: '123456' })
  assert.equal(wrongPassword.json().error.code, 'invalid_credentials', 'the password is checked first')
})

test('recovery codes: each works once; regenerate kills the old ones; disable needs password and code', async () => {
  const { s, secret, recovery } = await withTotp()
  const first = await login(env, { email: s.email, password: s.password, recovery_code: recovery[0]!.toUpperCase() })
  assert.equal(first.statusCode, 200, first.body)
  const twice = await login(env, { email: s.email, password: s.password, recovery_code: recovery[0] })
  assert.equal(twice.statusCode, 401)
  assert.equal(twice.json().error.code, 'invalid_totp')

  const regen = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/2fa/recovery_codes',
    body: { code: recovery[1] },
  })
  assert.equal(regen.statusCode, 200, regen.body)
  const fresh = regen.json().recovery_codes as string[]
  assert.equal(fresh.length, 10)
  const old = await login(env, { email: s.email, password: s.password, recovery_code: recovery[2] })
  assert.equal(old.statusCode, 401, 'old codes died')

  const noPassword = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/2fa/disable',
    body: { password: 'wrong-password-y', code: fresh[0] },
  })
  assert.equal(noPassword.statusCode, 401)
  assert.equal(noPassword.json().error.code, 'invalid_credentials')
  const badCode = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/2fa/disable',
    body: { password: s.password, code: '999999' },
  })
  assert.equal(badCode.statusCode, 401)
  assert.equal(badCode.json().error.code, 'invalid_totp')
  env.clock.current = new Date(env.clock.current!.getTime() + 60_000)
  const off = await asSession(env, s, {
    method: 'POST',
    url: '/API/account/2fa/disable',
    body: { password: s.password, code: codeAt(secret, env.clock.current) },
  })
  assert.equal(off.statusCode, 200, off.body)
  const plain = await login(env, { email: s.email, password: s.password })
  assert.equal(plain.statusCode, 200, plain.body)
  assert.equal(plain.json().user.totp_enabled, false)
  assert.equal(
    (await env.deps.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', s.userId).execute()).length,
    0,
  )
})

test('one recovery code sent concurrently signs in once', async () => {
  const { s, recovery } = await withTotp()
  const tries = await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      login(
        env,
        { email: s.email, password: s.password, recovery_code: recovery[5] },
        { remoteAddress: `192.0.2.${60 + i}` },
      ),
    ),
  )
  const codes = tries.map(r => r.statusCode).sort()
  assert.deepEqual(codes, [200, 401, 401, 401], JSON.stringify(tries.map(r => r.json().error?.code)))
  const used = await env.deps.db
    .selectFrom('recovery_codes')
    .select('used_at')
    .where('user_id', '=', s.userId)
    .where('used_at', 'is not', null)
    .execute()
  assert.equal(used.length, 1)
})
