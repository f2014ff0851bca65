/**
 * Login throttling (issue 12): per normalized e-mail (known or not: 5 failures in 15 minutes) and
 * per client address (30), in the database; 429 `too_many_attempts` with Retry-After; the same
 * 401 body for an unknown e-mail and a wrong password; a parallel burst cannot slip past the count.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { login, newEmail, signedUp } from './support.ts'

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

const stripId = (body: { error: Record<string, unknown> }) => ({
  ...body,
  error: { ...body.error, request_id: undefined },
})

test('unknown e-mail and wrong password get the same 401 body', async () => {
  const s = await signedUp(env)
  const wrong = await login(env, { email: s.email, password: 'not-the-password' }, { remoteAddress: '198.51.100.1' })
  const unknown = await login(
    env,
    { email: newEmail('nobody'), password: 'not-the-password' },
    { remoteAddress: '198.51.100.1' },
  )
  assert.equal(wrong.statusCode, 401)
  assert.equal(unknown.statusCode, 401)
  assert.equal(wrong.json().error.code, 'invalid_credentials')
  assert.deepEqual(stripId(wrong.json()), stripId(unknown.json()))
  assert.equal(wrong.json().message, 'wrong e-mail or password')
})

test('per account: the 6th failure within 15 minutes is 429 with Retry-After, also for the right password; unknown e-mails too', async () => {
  const s = await signedUp(env)
  for (let i = 0; i < 5; i++) {
    const r = await login(env, { email: s.email, password: `wrong-${i}` }, { remoteAddress: `198.51.100.${10 + i}` })
    assert.equal(r.statusCode, 401, r.body)
  }
  const locked = await login(
    env,
    { email: s.email.toUpperCase(), password: s.password },
    { remoteAddress: '198.51.100.99' },
  )
  assert.equal(locked.statusCode, 429, locked.body)
  assert.equal(locked.json().error.code, 'too_many_attempts')
  const after = Number(locked.headers['retry-after'])
  assert.ok(after > 0 && after <= 15 * 60, String(locked.headers['retry-after']))

  const ghost = newEmail('ghost')
  const answers = []
  for (let i = 0; i < 6; i++) {
    answers.push(
      await login(env, { email: ghost, password: 'whatever-it-is' }, { remoteAddress: `198.51.100.${30 + i}` }),
    )
  }
  assert.deepEqual(
    answers.map(a => a.statusCode),
    [401, 401, 401, 401, 401, 429],
    'an unknown e-mail is throttled exactly like a known one',
  )

  // The window passes: the right password works again, and a success clears the account's count.
  env.clock.current = new Date(Date.now() + 15 * 60_000 + 1000)
  const ok = await login(env, { email: s.email, password: s.password }, { remoteAddress: '198.51.100.99' })
  assert.equal(ok.statusCode, 200, ok.body)
  const row = await env.deps.db
    .selectFrom('login_failures')
    .selectAll()
    .where('bucket', '=', `email:${s.email}`)
    .executeTakeFirst()
  assert.equal(row, undefined)
})

test('per address: 30 failures from one address lock it for every e-mail; other addresses are not affected', async () => {
  const s = await signedUp(env)
  const address = '203.0.113.50'
  for (let i = 0; i < 30; i++) {
    const r = await login(
      env,
      { email: newEmail(`spray${i}`), password: 'Spray-password-1' },
      { remoteAddress: address },
    )
    assert.equal(r.statusCode, 401, `${i}: ${r.body}`)
  }
  const blocked = await login(env, { email: s.email, password: s.password }, { remoteAddress: address })
  assert.equal(blocked.statusCode, 429, blocked.body)
  assert.ok(Number(blocked.headers['retry-after']) > 0)
  const elsewhere = await login(env, { email: s.email, password: s.password }, { remoteAddress: '203.0.113.51' })
  assert.equal(elsewhere.statusCode, 200, elsewhere.body)
})

test('a parallel burst of guesses gets at most 5 password checks', async () => {
  const s = await signedUp(env)
  const burst = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      login(env, { email: s.email, password: `burst-guess-${i}` }, { remoteAddress: `192.0.2.${i + 1}` }),
    ),
  )
  const codes = burst.map(r => r.statusCode).sort()
  assert.equal(codes.filter(c => c === 401).length, 5, JSON.stringify(codes))
  assert.equal(codes.filter(c => c === 429).length, 7)
})
