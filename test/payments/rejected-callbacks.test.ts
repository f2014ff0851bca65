/**
 * Issue 8, item 9: a callback with a bad or missing HMAC is stored in bounded form — SHA-256,
 * size, address, time and its first bytes — and only within a storage budget per minute, overall
 * and per client address; beyond it, it is counted, not stored. A signed callback is still stored
 * whole, flood or not.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { TestEnv } from '../helper.ts'
import {
  REJECTED_BODY_PREFIX_BYTES,
  REJECTED_STORED_PER_ADDRESS_PER_MINUTE,
  REJECTED_STORED_PER_MINUTE,
  rejectedBudgetOf,
} from '../../src/domain/payments/receive-callback.ts'
import { signBody } from '../../src/integrations/oxapay/signature.ts'
import { fakeOf, startPaymentsEnv } from './helpers.ts'

let env: TestEnv
before(async () => {
  env = await startPaymentsEnv()
})
after(async () => {
  await env.close()
})

const db = () => env.deps.db
const MINUTE = 60_000
let minute = Math.ceil(Date.now() / MINUTE) + 1

/** Each test starts in a minute of its own, a second into it, on the app's clock (the budget's windows). */
beforeEach(() => {
  env.clock.current = new Date(minute++ * MINUTE + 1000)
})

/** A callback-shaped JSON body of exactly `size` bytes (the padding is in a field OxaPay does not send). */
function bigBody(size: number, trackId = '55500001'): string {
  const head = JSON.stringify({
    track_id: trackId,
    status: 'Paid',
    type: 'invoice',
    amount: 12.99,
    currency: 'EUR',
    txs: [],
    pad: '',
  })
  return head.replace('"pad":""', `"pad":"${'x'.repeat(size - head.length)}"`)
}

async function post(body: string, hmac: string | null, remoteAddress = '203.0.113.7') {
  return env.app.inject({
    method: 'POST',
    url: '/API/on_payment_status',
    remoteAddress,
    headers: { 'content-type': 'application/json', ...(hmac !== null ? { hmac } : {}) },
    payload: body,
  })
}

const rejectedRows = () =>
  db()
    .selectFrom('payment_events')
    .selectAll()
    .where('signature_valid', '=', false)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
const rejectedCount = async (ip?: string) => {
  let q = db()
    .selectFrom('payment_events')
    .select(eb => eb.fn.countAll().as('n'))
    .where('signature_valid', '=', false)
  if (ip !== undefined) q = q.where('ip_address', '=', ip)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

test('a rejected callback keeps its digest, size, address and first bytes, not its whole body', async () => {
  const body = bigBody(15_000)
  const before = await rejectedCount()
  const res = await post(body, signBody(body, 'not-the-merchant-key'), '198.51.100.20')
  assert.equal(res.statusCode, 401)
  assert.equal(res.json().error.code, 'unauthorized')
  const missing = await post(body, null, '198.51.100.20')
  assert.equal(missing.statusCode, 401)

  const rows = (await rejectedRows()).slice(before)
  assert.equal(rows.length, 2)
  for (const row of rows) {
    assert.equal(row.body_bytes, 15_000)
    assert.equal(row.body_sha256, createHash('sha256').update(body).digest('hex'))
    assert.equal(row.raw_body, body.slice(0, REJECTED_BODY_PREFIX_BYTES), 'only the first bytes are kept')
    assert.equal(row.ip_address, '198.51.100.20')
    assert.ok(row.created_at instanceof Date)
    assert.equal(row.track_id, null, 'an unverified body is never parsed')
    assert.equal(row.processed, true)
    assert.equal(row.applied, false)
    assert.match(row.outcome ?? '', /rejected: bad or missing HMAC signature; first 256 of 15000 bytes kept/)
  }
  // A short body is kept whole (it is within the prefix), still with its digest.
  const short = '{"track_id":"1"}'
  assert.equal((await post(short, 'ab'.repeat(64), '198.51.100.21')).statusCode, 401)
  const last = (await rejectedRows()).at(-1)!
  assert.equal(last.raw_body, short)
  assert.equal(last.body_bytes, short.length)
})

test('a flood of rejected callbacks stores at most the budget per address and overall per minute; the rest is only counted', async () => {
  const before = await rejectedCount()
  const body = bigBody(15_000)
  // One address sends twice its budget.
  for (let i = 0; i < 2 * REJECTED_STORED_PER_ADDRESS_PER_MINUTE; i++) {
    assert.equal((await post(body, null, '192.0.2.1')).statusCode, 401, 'every one is still answered 401')
  }
  assert.equal(await rejectedCount('192.0.2.1'), REJECTED_STORED_PER_ADDRESS_PER_MINUTE)
  // Many addresses together exceed the overall budget.
  const addresses = Array.from(
    { length: REJECTED_STORED_PER_MINUTE / REJECTED_STORED_PER_ADDRESS_PER_MINUTE + 2 },
    (_, i) => `192.0.2.${10 + i}`,
  )
  for (const ip of addresses) {
    await Promise.all(Array.from({ length: REJECTED_STORED_PER_ADDRESS_PER_MINUTE }, () => post(body, 'zz', ip)))
  }
  const stored = (await rejectedCount()) - before
  assert.equal(stored, REJECTED_STORED_PER_MINUTE, 'overall budget')
  const sent = 2 * REJECTED_STORED_PER_ADDRESS_PER_MINUTE + addresses.length * REJECTED_STORED_PER_ADDRESS_PER_MINUTE
  assert.deepEqual(rejectedBudgetOf(db()).counts(), {
    stored: REJECTED_STORED_PER_MINUTE,
    dropped: sent - REJECTED_STORED_PER_MINUTE,
  })
  const bytes = (await rejectedRows()).slice(before).reduce((n, r) => n + Buffer.byteLength(r.raw_body), 0)
  assert.ok(
    bytes <= REJECTED_STORED_PER_MINUTE * REJECTED_BODY_PREFIX_BYTES,
    `${bytes} bytes stored for ${sent} × 15000 sent`,
  )

  // The next minute has a budget of its own.
  env.clock.current = new Date(env.clock.now().getTime() + MINUTE)
  assert.equal((await post(body, null, '192.0.2.1')).statusCode, 401)
  assert.equal(await rejectedCount('192.0.2.1'), REJECTED_STORED_PER_ADDRESS_PER_MINUTE + 1)
})

test('signed callbacks are stored whole and settled even while rejected ones are over budget', async () => {
  const flood = bigBody(2_000)
  for (let i = 0; i < REJECTED_STORED_PER_MINUTE + 5; i++) await post(flood, null, `192.0.2.${100 + (i % 100)}`)
  assert.ok(rejectedBudgetOf(db()).counts().dropped >= 5, 'the budget is spent')

  const body = bigBody(15_000, '55500042')
  const res = await post(body, fakeOf(env).sign(body), '192.0.2.100')
  assert.equal(res.statusCode, 200)
  assert.equal(res.body, 'ok')
  const row = await db()
    .selectFrom('payment_events')
    .selectAll()
    .where('track_id', '=', '55500042')
    .executeTakeFirstOrThrow()
  assert.equal(row.signature_valid, true)
  assert.equal(row.raw_body, body, 'a signed callback is kept whole')
  assert.equal(row.body_bytes, 15_000)
  assert.equal(row.body_sha256, createHash('sha256').update(body).digest('hex'))
  assert.equal(row.flagged, true, 'an unknown track id is flagged, as before')
})
