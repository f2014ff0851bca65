/**
 * Issue 8, item 10: the reconciliation polls the least recently polled open payments first, so
 * one customer's hundreds of idle invoices cannot starve another customer's paid invoice whose
 * callbacks were lost: it is polled, and credited, within ⌈open payments / BATCH⌉ rounds.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { TestEnv } from '../helper.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { BATCH, reconcilePayments } from '../../src/domain/payments/reconcile-payments.ts'
import { OPEN_STATUSES } from '../../src/domain/payments/observation.ts'
import { assertAuditClean, balanceOf, fakeOf, NEW_SERVER, orderOf, startPaymentsEnv } from './helpers.ts'

let env: TestEnv
before(async () => {
  env = await startPaymentsEnv()
})
after(async () => {
  await assertAuditClean(env)
  await env.close()
})

const db = () => env.deps.db

/**
 * `n` idle open invoices of one customer: real invoices at the fake OxaPay (so every poll
 * succeeds and sees nothing new), their payment rows written directly, created a while ago —
 * as a customer could hold them before the open-invoice cap, or with a high one.
 */
async function idleInvoices(userId: string, n: number): Promise<void> {
  const since = new Date(Date.now() - 10 * 60_000)
  const rows = []
  for (let i = 0; i < n; i += 20) {
    rows.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, async () => {
          const id = newUuid()
          const inv = await env.deps.oxapay.createInvoice({
            amount: '5.00',
            currency: 'EUR',
            lifetimeMinutes: 120,
            callbackUrl: 'http://127.0.0.1:1/API/on_payment_status',
            orderId: id,
          })
          return {
            id,
            user_id: userId,
            order_id: null,
            type: 'RECHARGE' as const,
            amount_cents: 500n,
            lifetime_minutes: 120,
            description: 'Funds recharge',
            track_id: inv.trackId,
            payment_url: inv.paymentUrl,
            expired_at: new Date(inv.expiredAt * 1000),
            created_at: since,
            updated_at: since,
          }
        }),
      )),
    )
  }
  for (let i = 0; i < rows.length; i += 100) {
    await db()
      .insertInto('payments')
      .values(rows.slice(i, i + 100))
      .execute()
  }
}

/** Another customer's crypto order, paid in full at OxaPay, whose callbacks all went to a closed port. */
async function paidWithLostCallbacks() {
  const u = await env.user('0.00')
  const real = env.deps.publicUrl
  env.deps.publicUrl = () => 'http://127.0.0.1:1'
  let b
  try {
    const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })
    assert.equal(res.statusCode, 200, res.body)
    b = res.json()
  } finally {
    env.deps.publicUrl = real
  }
  fakeOf(env).pay(b.payment.track_id)
  await fakeOf(env).idle()
  assert.ok(
    fakeOf(env)
      .deliveries()
      .filter(d => d.trackId === b.payment.track_id)
      .every(d => !d.delivered),
    'every callback was lost',
  )
  assert.equal((await orderOf(env, b.order_id)).status, 'pending_payment')
  return { ...u, orderId: b.order_id as string }
}

const openCount = async () =>
  Number(
    (
      await db()
        .selectFrom('payments')
        .select(eb => eb.fn.countAll().as('n'))
        .where('status', 'in', [...OPEN_STATUSES])
        .where('track_id', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  )

test("520 idle invoices of one customer do not starve another customer's lost callback: credited within ⌈open / BATCH⌉ rounds", async () => {
  const hog = await env.user('0.00')
  await idleInvoices(hog.id, BATCH + 20)
  // The job has been running for a while: every idle invoice has been polled already.
  for (let i = 0; i < 2; i++) await reconcilePayments(env.deps)

  const victim = await paidWithLostCallbacks()
  const bound = Math.ceil((await openCount()) / BATCH)
  assert.equal(bound, 2)
  let rounds = 0
  while ((await orderOf(env, victim.orderId)).status === 'pending_payment' && rounds < 3 * bound) {
    const report = await reconcilePayments(env.deps)
    assert.equal(report.failed, 0)
    await env.runner.drain()
    rounds++
  }
  assert.equal((await orderOf(env, victim.orderId)).status, 'completed', `still not credited after ${rounds} rounds`)
  assert.ok(rounds <= bound, `credited after ${rounds} rounds; the bound is ${bound}`)
  assert.equal(await balanceOf(env, victim.id), 0n, 'credited 12.99 and paid the order with it')
})

test('a poll that fails still counts as a poll: the failing payment goes to the back of the queue and the rest are polled', async () => {
  const u = await env.user('0.00')
  const old = new Date(Date.now() - 3600_000)
  const broken = Array.from({ length: BATCH }, () => ({
    id: newUuid(),
    user_id: u.id,
    order_id: null,
    type: 'RECHARGE' as const,
    amount_cents: 500n,
    lifetime_minutes: 120,
    track_id: `unknown-${newUuid()}`,
    created_at: old,
    updated_at: old,
  }))
  for (let i = 0; i < broken.length; i += 100) {
    await db()
      .insertInto('payments')
      .values(broken.slice(i, i + 100))
      .execute()
  }
  const first = await reconcilePayments(env.deps)
  assert.equal(first.failed, BATCH, 'the fake knows none of them: every poll fails')
  const stamped = await db()
    .selectFrom('payments')
    .select('last_polled_at')
    .where(
      'id',
      'in',
      broken.map(b => b.id),
    )
    .execute()
  assert.ok(
    stamped.every(r => r.last_polled_at !== null),
    'last_polled_at is written whatever the outcome',
  )
  const second = await reconcilePayments(env.deps)
  assert.ok(second.polled > 0, 'the next round polls the others, not the same failing batch again')
  await db()
    .updateTable('payments')
    .set({ status: 'expired' })
    .where(
      'id',
      'in',
      broken.map(b => b.id),
    )
    .execute()
})

test('never-polled payments wait their turn from their creation: at most ⌈open / BATCH⌉ rounds for every open payment', async () => {
  const start = new Date()
  const bound = Math.ceil((await openCount()) / BATCH)
  for (let i = 0; i < bound; i++) await reconcilePayments(env.deps)
  const unpolled = await db()
    .selectFrom('payments')
    .select(['id', 'last_polled_at'])
    .where('status', 'in', [...OPEN_STATUSES])
    .where('track_id', 'is not', null)
    .where(eb => eb.or([eb('last_polled_at', 'is', null), eb('last_polled_at', '<', start)]))
    .execute()
  assert.deepEqual(unpolled, [], `every open payment was polled within ${bound} rounds`)
})
