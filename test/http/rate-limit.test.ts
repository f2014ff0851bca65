import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv({ seed: false, env: { RATE_LIMIT_PER_SECOND: '5' } })
})
after(async () => {
  await env.close()
})

test('past the per-key limit: 429 rate_limited with Retry-After, other keys unaffected', async () => {
  const a = await env.user('1.00')
  const b = await env.user('1.00')
  const call = (key: string) => env.request({ url: '/API/orders/create_order', key, body: { user_id: 'x' } })
  const first = await Promise.all(Array.from({ length: 5 }, () => call(a.key)))
  assert.ok(first.every(r => r.statusCode !== 429))
  const limited = await call(a.key)
  assert.equal(limited.statusCode, 429)
  assert.equal(limited.json().error.code, 'rate_limited')
  assert.equal(limited.json().success, false)
  assert.ok(Number(limited.headers['retry-after']) >= 1)
  assert.notEqual((await call(b.key)).statusCode, 429)
})
