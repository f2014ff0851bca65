/**
 * Settlement rules, end to end through the fake OxaPay's signed callbacks and the reconciliation
 * polls: overpayment, underpayment within and below the invoice's coverage (5 % here), late
 * payment, duplicate, replayed and out-of-order callbacks, forged signatures, unknown track ids
 * and mismatched amounts, and lost callbacks recovered by polling.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { TestEnv } from '../helper.ts'
import { reconcilePayments } from '../../src/domain/payments/reconcile-payments.ts'
import { signBody } from '../../src/integrations/oxapay/signature.ts'
import {
  assertAuditClean,
  balanceOf,
  fakeOf,
  ledgerOf,
  NEW_SERVER,
  orderOf,
  paymentByTrack,
  postCallback,
  settle,
  startPaymentsEnv,
} from './helpers.ts'

let env: TestEnv
before(async () => {
  env = await startPaymentsEnv()
})
after(async () => {
  await assertAuditClean(env)
  await env.close()
})

const db = () => env.deps.db

async function cryptoOrder(balance = '0.00') {
  const u = await env.user(balance)
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  return { ...u, orderId: b.order_id as string, trackId: b.payment.track_id as string }
}

const credits = async (userId: string) =>
  (await ledgerOf(env, userId)).filter(l => l.kind === 'payment_credit').map(l => l.delta_cents)
const eventsOf = (trackId: string) =>
  db()
    .selectFrom('payment_events')
    .selectAll()
    .where('track_id', '=', trackId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()

/** A v1 callback body for `trackId`, confirmed in USDT at the fake's EUR price (1.08 USD). */
function callbackBody(
  trackId: string,
  opts: { status?: string; amount?: number; currency?: string; paid?: number; orderId?: string } = {},
): string {
  const usd = Number(((opts.paid ?? 12.99) * 1.08).toFixed(8))
  return JSON.stringify({
    track_id: trackId,
    status: opts.status ?? 'Paid',
    type: 'invoice',
    module_name: 'OxaPay',
    amount: opts.amount ?? 12.99,
    value: usd,
    sent_value: usd,
    currency: opts.currency ?? 'EUR',
    order_id: opts.orderId ?? '',
    email: '',
    note: '',
    fee_paid_by_payer: 0,
    under_paid_coverage: 5,
    description: '',
    date: 1_790_000_000,
    txs: [
      {
        status: 'confirmed',
        tx_hash: `0x${trackId}`,
        sent_amount: usd,
        received_amount: usd,
        value: usd,
        sent_value: usd,
        currency: 'USDT',
        network: 'Tron Network',
        sender_address: 'x',
        address: 'y',
        rate: 1,
        confirmations: 19,
        auto_convert_amount: 0,
        auto_convert_currency: null,
        date: 1_790_000_100,
      },
    ],
  })
}

/** Callbacks of invoices created inside `fn` go to a closed port: OxaPay's receiver is down. */
async function withReceiverDown<T>(fn: () => Promise<T>): Promise<T> {
  const real = env.deps.publicUrl
  env.deps.publicUrl = () => 'http://127.0.0.1:1'
  try {
    return await fn()
  } finally {
    env.deps.publicUrl = real
  }
}

test('overpayment: the order is paid and the surplus stays on the balance', async () => {
  const o = await cryptoOrder()
  fakeOf(env).pay(o.trackId, { amount: '20' })
  await settle(env)
  assert.equal((await orderOf(env, o.orderId)).status, 'completed')
  assert.equal(await balanceOf(env, o.id), 2000n - 1299n)
  assert.deepEqual(await credits(o.id), [2000n])
})

test("underpayment within the invoice's coverage: OxaPay says paid, the credit is topped up to the amount, the order provisions", async () => {
  const o = await cryptoOrder()
  fakeOf(env).pay(o.trackId, { amount: '12.50' })
  await settle(env)
  assert.equal((await paymentByTrack(env, o.trackId)).status, 'paid')
  assert.equal((await orderOf(env, o.orderId)).status, 'completed')
  assert.equal(await balanceOf(env, o.id), 0n)
  assert.deepEqual(await credits(o.id), [1299n])
})

test('underpayment below coverage: credited once confirmed, the order waits, is cancelled at expiry, the credit stays; a late payment is credit only', async () => {
  const o = await cryptoOrder()
  fakeOf(env).pay(o.trackId, { amount: '5' })
  await settle(env)
  assert.equal(await balanceOf(env, o.id), 0n, 'the Paying callback carries an unconfirmed tx: nothing credited yet')
  assert.equal((await paymentByTrack(env, o.trackId)).status, 'paying')
  await reconcilePayments(env.deps)
  assert.equal(await balanceOf(env, o.id), 500n, 'the poll sees it confirmed')
  assert.equal((await orderOf(env, o.orderId)).status, 'pending_payment')

  fakeOf(env).expire(o.trackId)
  const report = await reconcilePayments(env.deps)
  assert.ok(report.cancelledOrders >= 1)
  assert.equal((await paymentByTrack(env, o.trackId)).status, 'underpaid')
  assert.equal((await orderOf(env, o.orderId)).status, 'cancelled')
  assert.equal(await balanceOf(env, o.id), 500n)

  fakeOf(env).pay(o.trackId, { amount: '12.99' })
  await settle(env)
  assert.equal((await orderOf(env, o.orderId)).status, 'cancelled')
  assert.equal(await balanceOf(env, o.id), 500n + 1299n)
  assert.deepEqual(await credits(o.id), [500n, 1299n])
  assert.ok(!(await ledgerOf(env, o.id)).some(l => l.kind === 'order_debit'))
})

test('a full payment after the invoice expired and the order was cancelled: credited only', async () => {
  const o = await cryptoOrder()
  fakeOf(env).expire(o.trackId)
  await reconcilePayments(env.deps)
  assert.equal((await orderOf(env, o.orderId)).status, 'cancelled')
  fakeOf(env).pay(o.trackId)
  await settle(env)
  assert.equal((await orderOf(env, o.orderId)).status, 'cancelled')
  assert.equal(await balanceOf(env, o.id), 1299n)
})

test('duplicate callbacks and a replay of an old one credit once', async () => {
  const o = await cryptoOrder()
  fakeOf(env).pay(o.trackId)
  await settle(env)
  const sent = fakeOf(env)
    .deliveries()
    .filter(d => d.trackId === o.trackId)
  const paying = sent.find(d => d.status === 'Paying')!
  const paid = sent.find(d => d.status === 'Paid')!
  for (const d of [paid, paid, paying]) {
    const res = await postCallback(env, d.body, d.signature)
    assert.equal(res.statusCode, 200)
    assert.equal(res.body, 'ok')
    assert.match(String(res.headers['content-type']), /^text\/plain/)
  }
  assert.deepEqual(await credits(o.id), [1299n])
  const events = await eventsOf(o.trackId)
  assert.equal(events.length, 5, 'every callback is stored as received')
  assert.deepEqual(
    events.slice(2).map(e => e.outcome),
    ['duplicate: already applied', 'duplicate: already applied', 'duplicate: already applied'],
  )
  assert.equal((await orderOf(env, o.orderId)).status, 'completed')
})

test('out of order (Paid before Paying) after lost deliveries: one credit, the status stays paid', async () => {
  const o = await withReceiverDown(() => cryptoOrder())
  fakeOf(env).pay(o.trackId)
  await fakeOf(env).idle()
  const sent = fakeOf(env)
    .deliveries()
    .filter(d => d.trackId === o.trackId)
  assert.ok(sent.every(d => !d.delivered) && sent.length === 10, 'both callbacks failed all 5 attempts')
  const paid = sent.find(d => d.status === 'Paid')!
  const paying = sent.find(d => d.status === 'Paying')!
  assert.equal((await postCallback(env, paid.body, paid.signature)).statusCode, 200)
  assert.equal((await postCallback(env, paying.body, paying.signature)).statusCode, 200)
  await env.runner.drain()
  assert.equal((await paymentByTrack(env, o.trackId)).status, 'paid')
  assert.equal((await orderOf(env, o.orderId)).status, 'completed')
  assert.deepEqual(await credits(o.id), [1299n])
})

test('callbacks lost for good: the reconciliation job settles the payment by polling', async () => {
  const o = await withReceiverDown(() => cryptoOrder())
  fakeOf(env).pay(o.trackId)
  await fakeOf(env).idle()
  assert.equal((await orderOf(env, o.orderId)).status, 'pending_payment')
  await env.runner.armSchedules(true)
  await env.runner.drain()
  const job = await db()
    .selectFrom('jobs')
    .selectAll()
    .where('kind', '=', 'payments.reconcile')
    .executeTakeFirstOrThrow()
  assert.equal(job.state, 'done')
  assert.equal(
    (await orderOf(env, o.orderId)).status,
    'completed',
    'the released server.create job ran in the same drain',
  )
  assert.deepEqual(await credits(o.id), [1299n])
  const polls = (await eventsOf(o.trackId)).filter(e => e.source === 'poll')
  assert.equal(polls.length, 1)
  assert.equal(polls[0]!.applied, true)
})

test('a forged, tampered or missing signature → 401 and nothing changes but the stored event', async () => {
  const o = await cryptoOrder()
  const body = callbackBody(o.trackId)
  const good = fakeOf(env).sign(body)
  const before = await paymentByTrack(env, o.trackId)
  const cases: Array<[string, string, string | null]> = [
    ['signed with another key', body, signBody(body, 'not-the-merchant-key')],
    ['tampered body', body.replace('"amount":12.99', '"amount":1299'), good],
    ['missing header', body, null],
    ['not hex', body, 'zz'.repeat(64)],
    ['truncated', body, good.slice(0, 100)],
  ]
  for (const [name, raw, sig] of cases) {
    const res = await postCallback(env, raw, sig)
    assert.equal(res.statusCode, 401, name)
    assert.equal(res.json().error.code, 'unauthorized', name)
  }
  const junk = await env.app.inject({
    method: 'POST',
    url: '/API/on_payment_status',
    headers: { 'content-type': 'text/plain', hmac: good },
    payload: 'not json',
  })
  assert.equal(junk.statusCode, 401, 'any content type reaches the signature check')
  assert.deepEqual(await paymentByTrack(env, o.trackId), before)
  assert.equal(await balanceOf(env, o.id), 0n)
  const stored = await db()
    .selectFrom('payment_events')
    .select(['signature_valid', 'processed', 'applied'])
    .where('signature_valid', '=', false)
    .execute()
  assert.ok(stored.length >= cases.length + 1)
  assert.ok(stored.every(e => e.processed && !e.applied))
})

test('an unknown track id, or an amount/currency unlike the invoice: stored, flagged, never credited', async () => {
  const unknown = callbackBody('987654321')
  const res = await postCallback(env, unknown)
  assert.equal(res.statusCode, 200)
  assert.equal(res.body, 'ok')
  const [ev] = await eventsOf('987654321')
  assert.equal(ev!.flagged, true)
  assert.match(ev!.outcome ?? '', /unknown track_id/)

  const o = await cryptoOrder()
  for (const body of [
    callbackBody(o.trackId, { amount: 1 }),
    callbackBody(o.trackId, { currency: 'USD' }),
    callbackBody(o.trackId, { orderId: 'someone-else' }),
  ]) {
    assert.equal((await postCallback(env, body)).statusCode, 200)
  }
  const p = await paymentByTrack(env, o.trackId)
  assert.equal(p.flagged, true)
  assert.match(p.flag_reason ?? '', /does not match/)
  assert.equal(p.credited_cents, 0n)
  assert.equal(p.status, 'new')
  assert.equal(await balanceOf(env, o.id), 0n)
  assert.equal((await orderOf(env, o.orderId)).status, 'pending_payment')
  assert.ok((await eventsOf(o.trackId)).every(e => e.flagged && !e.applied))
})

test('an unknown status and an unreadable signed body are acknowledged (ok) and change nothing', async () => {
  const o = await cryptoOrder()
  assert.equal((await postCallback(env, callbackBody(o.trackId, { status: 'Confirming' }))).body, 'ok')
  const garbage = '{"trackId":"1"}'
  assert.equal((await postCallback(env, garbage)).body, 'ok')
  const p = await paymentByTrack(env, o.trackId)
  assert.equal(p.status, 'new')
  assert.equal(p.credited_cents, 0n)
  const flagged = await db()
    .selectFrom('payment_events')
    .select(['outcome', 'flagged'])
    .where('raw_body', '=', garbage)
    .executeTakeFirstOrThrow()
  assert.equal(flagged.flagged, true)
  assert.match(flagged.outcome ?? '', /unreadable/)
})

test("a hand-made Paid callback, correctly signed, settles like OxaPay's own", async () => {
  const o = await cryptoOrder()
  assert.equal((await postCallback(env, callbackBody(o.trackId, { paid: 13 }))).statusCode, 200)
  await env.runner.drain()
  assert.equal((await orderOf(env, o.orderId)).status, 'completed')
  assert.equal(await balanceOf(env, o.id), 1n, '13.00 arrived, 12.99 paid the order')
})
