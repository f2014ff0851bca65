/**
 * Issue 8, item 10 (second half): a customer holds at most MAX_OPEN_INVOICES_PER_USER open crypto
 * invoices (orders and top-ups together); one more is refused with 409 `too_many_open_invoices`
 * naming the limit and changes nothing. Paid or expired invoices do not count. Concurrent requests
 * at the cap cannot both pass (the user's row is locked before counting) — raced on PostgreSQL.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { onPostgres, type TestEnv } from '../helper.ts'
import { assertError } from '../assertions.ts'
import { loadConfig } from '../../src/config.ts'
import { countOpenInvoices } from '../../src/domain/payments/open-invoice-cap.ts'
import { assertAuditClean, balanceOf, fakeOf, NEW_SERVER, settle, startPaymentsEnv } from './helpers.ts'

const LIMIT = 3
let env: TestEnv
before(async () => {
  env = await startPaymentsEnv({ MAX_OPEN_INVOICES_PER_USER: String(LIMIT) })
})
after(async () => {
  await assertAuditClean(env)
  await env.close()
})

const db = () => env.deps.db
const ORDER = '/API/orders/create_order'
const order = (u: { id: string; key: string }, extra: Record<string, unknown> = {}) =>
  env.request({ url: ORDER, key: u.key, body: { ...NEW_SERVER(u.id), ...extra } })
const topUp = (u: { id: string; key: string }, amount = '25.00') =>
  env.request({ url: '/API/invoice', key: u.key, body: { user_id: u.id, amount } })

/** Everything a refused request must leave as it was. */
async function stateOf(userId: string) {
  const [orders, payments, servers, jobs] = await Promise.all([
    db().selectFrom('orders').select('id').where('user_id', '=', userId).execute(),
    db().selectFrom('payments').select('id').where('user_id', '=', userId).execute(),
    db().selectFrom('servers').select('id').where('user_id', '=', userId).execute(),
    db()
      .selectFrom('jobs')
      .select('jobs.id')
      .innerJoin('orders', 'orders.id', 'jobs.order_id')
      .where('orders.user_id', '=', userId)
      .execute(),
  ])
  return {
    orders: orders.length,
    payments: payments.length,
    servers: servers.length,
    jobs: jobs.length,
    balance: await balanceOf(env, userId),
  }
}

function assertCapped(res: Awaited<ReturnType<typeof order>>): void {
  assertError(res, 409, 'too_many_open_invoices')
  const b = res.json()
  assert.equal(b.error.limit, LIMIT)
  assert.match(b.message, new RegExp(`at most ${LIMIT} unpaid crypto invoices`))
}

test('MAX_OPEN_INVOICES_PER_USER: default 10, validated range', () => {
  assert.equal(loadConfig([], {}).maxOpenInvoicesPerUser, 10)
  assert.equal(loadConfig([], { MAX_OPEN_INVOICES_PER_USER: '25' }).maxOpenInvoicesPerUser, 25)
  for (const bad of ['0', '1001', '-1', 'ten', '2.5']) {
    assert.throws(
      () => loadConfig([], { MAX_OPEN_INVOICES_PER_USER: bad }),
      /MAX_OPEN_INVOICES_PER_USER must be an integer between 1 and 1000/,
    )
  }
})

test('at the cap, one more crypto order or top-up is refused with 409 too_many_open_invoices and changes nothing', async () => {
  const u = await env.user('50.00')
  for (let i = 0; i < LIMIT - 1; i++) assert.equal((await order(u)).statusCode, 200)
  assert.equal((await topUp(u)).statusCode, 200, 'a top-up counts like an order')
  assert.equal(await countOpenInvoices(db(), u.id), LIMIT)

  const before = await stateOf(u.id)
  const invoicesAtFake = fakeOf(env).invoices().length
  assertCapped(await order(u))
  assertCapped(await topUp(u))
  assertCapped(await order(u, { type_payment: 'crypto' }))
  assert.deepEqual(await stateOf(u.id), before, 'no order, payment, server, job or balance change')
  assert.equal(fakeOf(env).invoices().length, invoicesAtFake, 'no invoice asked of OxaPay')

  // A refused order with an Idempotency-Key is not pinned: the same key works once an invoice is gone.
  const key = { 'idempotency-key': `cap-${u.id}` }
  assertCapped(await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id), headers: key }))

  // The cap is per customer, and on crypto invoices only: a balance order and another customer are not affected.
  assert.equal((await order(u, { type_payment: 'balance' })).json().status, 'completed')
  const other = await env.user('0.00')
  assert.equal((await order(other)).statusCode, 200)

  // A paid invoice is no longer open.
  const first = await db()
    .selectFrom('payments')
    .select('track_id')
    .where('user_id', '=', u.id)
    .where('type', '=', 'ORDER')
    .orderBy('created_at')
    .executeTakeFirstOrThrow()
  fakeOf(env).pay(first.track_id!)
  await settle(env)
  assert.equal(await countOpenInvoices(db(), u.id), LIMIT - 1)
  const again = await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id), headers: key })
  assert.equal(again.statusCode, 200, again.body)
  assertCapped(await topUp(u))
})

test('an invoice past its expiry does not count, even before OxaPay or the reconciliation says so', async () => {
  const u = await env.user('0.00')
  for (let i = 0; i < LIMIT; i++) assert.equal((await topUp(u)).statusCode, 200)
  assertCapped(await topUp(u))
  const one = await db()
    .selectFrom('payments')
    .select('id')
    .where('user_id', '=', u.id)
    .limit(1)
    .executeTakeFirstOrThrow()
  await db()
    .updateTable('payments')
    .set({ expired_at: new Date(Date.now() - 1000) })
    .where('id', '=', one.id)
    .execute()
  assert.equal(await countOpenInvoices(db(), u.id), LIMIT - 1)
  assert.equal((await topUp(u)).statusCode, 200)
  assertCapped(await order(u))
})

test('concurrent crypto orders and top-ups of one customer one below the cap: exactly one passes', async () => {
  const u = await env.user('0.00')
  for (let i = 0; i < LIMIT - 1; i++) assert.equal((await order(u)).statusCode, 200)
  const n = onPostgres ? 16 : 6
  const results = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? order(u) : topUp(u))))
  const codes = results.map(r => r.statusCode)
  assert.equal(codes.filter(c => c === 200).length, 1, `status codes: ${JSON.stringify(codes)}`)
  for (const r of results.filter(r => r.statusCode !== 200)) assertCapped(r)
  assert.equal(await countOpenInvoices(db(), u.id), LIMIT)
  const payments = await db().selectFrom('payments').select('id').where('user_id', '=', u.id).execute()
  assert.equal(payments.length, LIMIT)
})
