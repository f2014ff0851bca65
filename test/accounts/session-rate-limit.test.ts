/**
 * A portal session is rate limited like an API key (RATE_LIMIT_PER_SECOND per principal), not by
 * the key-less per-address budget; unknown cookies count as failed authentications.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { createSession } from '../../src/domain/auth/sessions.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv({ env: { RATE_LIMIT_PER_SECOND: '4', AUTH_FAILURES_PER_SECOND: '2' }, seed: false })
})
after(async () => {
  await env.close()
})

test('a session has the per-key budget of its own; another session and key-less requests are not charged', async () => {
  const u = await env.user('1.00')
  const a = await createSession(env.deps.db, env.config.accounts, { userId: u.id, now: env.clock.now() })
  const b = await createSession(env.deps.db, env.config.accounts, { userId: u.id, now: env.clock.now() })
  env.rateLimitClock.advance(5000)
  const get = (token: string) =>
    env.request({ method: 'GET', url: '/API/balance', headers: { cookie: `oxbill_session=${token}` } })
  const codes = []
  for (let i = 0; i < 5; i++) codes.push((await get(a.token)).statusCode)
  assert.deepEqual(codes, [200, 200, 200, 200, 429])
  const limited = await get(a.token)
  assert.equal(limited.json().error.code, 'rate_limited')
  assert.match(limited.json().message, /for this session/)
  assert.ok(Number(limited.headers['retry-after']) >= 1)
  assert.equal((await get(b.token)).statusCode, 200, 'another session has its own budget')
  const keyless = await env.request({ method: 'GET', url: '/API/plans/list_plan?type=vps' })
  assert.notEqual(keyless.statusCode, 429, 'the address was not charged for the sessions')
})

test('unknown session cookies use the failed-authentication budget of the address', async () => {
  env.rateLimitClock.advance(5000)
  const codes = []
  for (let i = 0; i < 4; i++) {
    const res = await env.request({
      method: 'GET',
      url: '/API/balance',
      headers: { cookie: `oxbill_session=${String(i).repeat(43)}` },
      remoteAddress: '198.51.100.77',
    })
    codes.push(res.statusCode)
  }
  assert.deepEqual(codes, [401, 401, 429, 429])
})
