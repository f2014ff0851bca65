/**
 * White-label crypto invoices end to end (issue 9, items 2 and 4), with an operator default of
 * BTC on "Bitcoin": the invoice carries its deposit address, coin amount, network and a QR code
 * rendered by oxbill; paying the address on the fake OxaPay sends `type: "white_label"` callbacks
 * that settle once through the same settlement code as hosted invoices (over/under/late rules
 * alike); every endpoint shows OxaPay's capitalised statuses; the checkout page shows the payer
 * what to send and withdraws the address once the invoice is over.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { TestEnv } from '../helper.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { attachPayment } from '../../src/domain/payments/create-invoice.ts'
import { reconcilePayments } from '../../src/domain/payments/reconcile-payments.ts'
import { STATUS_LABELS } from '../../src/integrations/oxapay/map.ts'
import {
  assertAuditClean,
  balanceOf,
  decodeQr,
  fakeOf,
  ledgerOf,
  NEW_SERVER,
  orderOf,
  paymentByTrack,
  postCallback,
  settle,
  startPaymentsEnv,
} from './helpers.ts'

const BTC_ADDRESS = /^bc1q[02-9ac-hj-np-z]{38}$/
/** 12.99 EUR at the fake's 1.08 USD/EUR and 65000 USD/BTC, rounded up to 8 places. */
const BTC_DUE = '0.00021584'

let env: TestEnv
before(async () => {
  env = await startPaymentsEnv({ OXAPAY_DEFAULT_PAY_CURRENCY: 'btc', OXAPAY_DEFAULT_NETWORK: 'Bitcoin' })
})
after(async () => {
  await assertAuditClean(env)
  await env.close()
})

const db = () => env.deps.db
const credits = async (userId: string) =>
  (await ledgerOf(env, userId)).filter(l => l.kind === 'payment_credit').map(l => l.delta_cents)

async function cryptoOrder() {
  const u = await env.user('0.00')
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  const p = await paymentByTrack(env, b.payment.track_id)
  return {
    ...u,
    orderId: b.order_id as string,
    trackId: b.payment.track_id as string,
    paymentId: p.id,
    address: p.address!,
    serverId: b.server_status.new_id as string,
  }
}

async function transaction(key: string, trackId: string) {
  const res = await env.request({ method: 'GET', url: `/API/get_transation_by_track_id?track_id=${trackId}`, key })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().data
}

async function statusesShown(key: string, trackId: string): Promise<[string, string]> {
  const one = await transaction(key, trackId)
  const list = (await env.request({ method: 'GET', url: '/API/list_transactions?per_page=100', key })).json()
    .data as Array<{ track_id: string; status: string }>
  return [one.status, list.find(r => r.track_id === trackId)!.status]
}

test("the operator default coin (OXAPAY_DEFAULT_PAY_CURRENCY, OXAPAY_DEFAULT_NETWORK): a crypto order's invoice is a BTC white-label payment", async () => {
  const o = await cryptoOrder()
  const p = await paymentByTrack(env, o.trackId)
  assert.deepEqual(
    [p.oxapay_type, p.pay_currency, p.network, p.pay_amount, p.requested_network, p.memo],
    ['white_label', 'BTC', 'Bitcoin Network', BTC_DUE, 'Bitcoin', null],
  )
  assert.match(o.address, BTC_ADDRESS)
  const sent = JSON.parse(
    fakeOf(env)
      .requests()
      .filter(r => r.path === '/v1/payment/white-label')
      .at(-1)!.body,
  )
  assert.deepEqual(
    [
      sent.amount,
      sent.currency,
      sent.pay_currency,
      sent.network,
      sent.lifetime,
      sent.order_id,
      sent.under_paid_coverage,
    ],
    [12.99, 'EUR', 'BTC', 'Bitcoin', 30, p.id, 5],
  )
  assert.ok(
    !('return_url' in sent) && !('sandbox' in sent) && !('mixed_payment' in sent),
    'hosted-invoice-only fields are not sent',
  )

  // What attachPayment adds to the order's answer (its schema is the order routes').
  const body = (await attachPayment(db(), o.orderId, { order_id: o.orderId })) as { payment: Record<string, unknown> }
  assert.deepEqual(Object.keys(body.payment), [
    'track_id',
    'payment_url',
    'amount',
    'currency',
    'expired_at',
    'pay_amount',
    'pay_currency',
    'network',
    'address',
    'memo',
    'qr_code',
  ])
  assert.deepEqual(
    [body.payment.pay_amount, body.payment.pay_currency, body.payment.network, body.payment.address],
    [Number(BTC_DUE), 'BTC', 'Bitcoin Network', o.address],
  )
  assert.equal(decodeQr(body.payment.qr_code as string), `bitcoin:${o.address}?amount=${BTC_DUE}`)

  const t = await transaction(o.key, o.trackId)
  assert.deepEqual(
    [t.status, t.pay_amount, t.pay_currency, t.network, t.address],
    ['New', BTC_DUE, 'BTC', 'Bitcoin Network', o.address],
  )
  assert.equal(typeof t.pay_amount, 'string', 'a string on the transaction endpoints, as documented')
  assert.equal(decodeQr(t.qr_code), `bitcoin:${o.address}?amount=${BTC_DUE}`)
})

test('paying the address sends white-label callbacks that settle once: credited once, provisioned, replays change nothing', async () => {
  const o = await cryptoOrder()
  assert.deepEqual(await statusesShown(o.key, o.trackId), ['New', 'New'])
  fakeOf(env).payAddress(o.address)
  await settle(env)

  const sent = fakeOf(env)
    .deliveries()
    .filter(d => d.trackId === o.trackId)
  assert.deepEqual(
    sent.map(d => d.status),
    ['Paying', 'Paid'],
  )
  assert.ok(sent.every(d => d.delivered && d.httpStatus === 200))
  for (const d of sent) {
    const cb = JSON.parse(d.body)
    assert.equal(cb.type, 'white_label')
    assert.deepEqual([cb.amount, cb.currency], [12.99, 'EUR'])
    assert.deepEqual(
      [cb.txs[0].currency, cb.txs[0].address, cb.txs[0].network, cb.txs[0].sent_amount],
      ['BTC', o.address, 'Bitcoin Network', Number(BTC_DUE)],
    )
  }
  assert.equal((await orderOf(env, o.orderId)).status, 'completed')
  const server = await db()
    .selectFrom('servers')
    .select(['status', 'id_solusvm'])
    .where('id', '=', o.serverId)
    .executeTakeFirstOrThrow()
  assert.equal(server.status, 'active')
  assert.ok(server.id_solusvm !== null)
  assert.deepEqual(
    (await ledgerOf(env, o.id)).map(l => [l.kind, l.delta_cents]),
    [
      ['payment_credit', 1299n],
      ['order_debit', -1299n],
    ],
  )
  assert.deepEqual(await statusesShown(o.key, o.trackId), ['Paid', 'Paid'])
  const p = await paymentByTrack(env, o.trackId)
  assert.deepEqual(
    [p.pay_currency, p.pay_amount, p.address, p.network],
    ['BTC', BTC_DUE, o.address, 'Bitcoin Network'],
    'what was fixed at creation stays',
  )
  assert.match(p.tx_hash ?? '', /^0x[0-9a-f]{64}$/)

  // OxaPay's retries, a replay, and a poll: nothing more is credited.
  for (const d of [...sent, ...sent]) assert.equal((await postCallback(env, d.body, d.signature)).body, 'ok')
  await reconcilePayments(env.deps)
  await env.runner.drain()
  assert.deepEqual(await credits(o.id), [1299n])
  assert.equal(await balanceOf(env, o.id), 0n)
  const applied = await db()
    .selectFrom('payment_events')
    .select('id')
    .where('track_id', '=', o.trackId)
    .where('applied', '=', true)
    .execute()
  assert.equal(applied.length, 2, 'Paying and Paid took effect once each')
})

test('white-label underpayment, expiry and a late payment follow the same rules as hosted invoices', async () => {
  const o = await cryptoOrder()
  // Half of it: Paying (unconfirmed, nothing credited), confirmed by the poll, the order waits.
  fakeOf(env).payAddress(o.address, { amount: '0.00010792' })
  await settle(env)
  assert.equal(await balanceOf(env, o.id), 0n)
  assert.deepEqual(await statusesShown(o.key, o.trackId), ['Paying', 'Paying'])
  await reconcilePayments(env.deps)
  assert.equal(await balanceOf(env, o.id), 649n, "half the BTC, valued by OxaPay's figures and rounded down")
  assert.equal((await orderOf(env, o.orderId)).status, 'pending_payment')

  fakeOf(env).expire(o.trackId)
  await reconcilePayments(env.deps)
  assert.equal((await orderOf(env, o.orderId)).status, 'cancelled')
  assert.deepEqual(await statusesShown(o.key, o.trackId), ['Underpaid', 'Underpaid'])

  // Sent after expiry: OxaPay keeps the status; the money is credited only.
  fakeOf(env).payAddress(o.address, { amount: BTC_DUE })
  await settle(env)
  assert.equal((await orderOf(env, o.orderId)).status, 'cancelled')
  assert.deepEqual(await credits(o.id), [649n, 1299n])
  assert.ok(!(await ledgerOf(env, o.id)).some(l => l.kind === 'order_debit'))

  const unpaid = await cryptoOrder()
  fakeOf(env).expire(unpaid.trackId)
  await reconcilePayments(env.deps)
  assert.deepEqual(await statusesShown(unpaid.key, unpaid.trackId), ['Expired', 'Expired'])
})

test('the fake refuses what a white-label address cannot receive: another coin, an unknown address', async () => {
  const o = await cryptoOrder()
  assert.throws(() => fakeOf(env).pay(o.trackId, { coin: 'ETH' }), /receives BTC on Bitcoin Network only/)
  assert.throws(() => fakeOf(env).payAddress('bc1qnotanaddress'), /no white-label payment/)
  assert.equal(await balanceOf(env, o.id), 0n)
})

test('the checkout page (payment_url) shows what to send, and withdraws the address once the invoice is over', async () => {
  const o = await cryptoOrder()
  const p = await paymentByTrack(env, o.trackId)
  assert.equal(p.payment_url, `${env.deps.publicUrl()}/checkout/${p.id}`)
  const page = await env.request({ method: 'GET', url: `/checkout/${p.id}` })
  assert.equal(page.statusCode, 200, page.body)
  assert.match(String(page.headers['content-type']), /^text\/html/)
  assert.match(String(page.headers['content-security-policy']), /img-src data:/)
  assert.equal(page.headers['cache-control'], 'no-store')
  for (const text of [
    o.address,
    BTC_DUE,
    'BTC',
    'Bitcoin Network',
    'Pay 12.99 EUR',
    '<strong id="status">New</strong>',
    'src="data:image/png;base64,',
  ]) {
    assert.ok(page.body.includes(text), text)
  }
  assert.ok(!page.body.includes(o.orderId) && !page.body.includes(o.id), 'nothing about the customer or the order')
  assert.equal((await env.request({ method: 'GET', url: `/checkout/${newUuid()}` })).statusCode, 404)

  // The page's form (zero-setup mode): pay from the fake wallet, then back to the page.
  const form = await env.app.inject({
    method: 'POST',
    url: `/checkout/${p.id}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `amount=${BTC_DUE}`,
  })
  assert.equal(form.statusCode, 303, form.body)
  assert.equal(form.headers.location, `/checkout/${p.id}`)
  await settle(env)
  const paid = await env.request({ method: 'GET', url: `/checkout/${p.id}` })
  assert.ok(paid.body.includes('<strong id="status">Paid</strong>'))
  assert.ok(!paid.body.includes(o.address), 'no address once paid')
  assert.equal((await orderOf(env, o.orderId)).status, 'completed')

  const gone = await cryptoOrder()
  fakeOf(env).expire(gone.trackId)
  await reconcilePayments(env.deps)
  const expired = await env.request({ method: 'GET', url: `/checkout/${gone.paymentId}` })
  assert.ok(
    expired.body.includes('no longer open') &&
      !expired.body.includes(gone.address) &&
      !expired.body.includes('data:image/png'),
  )
  const bad = await env.app.inject({
    method: 'POST',
    url: `/checkout/${gone.paymentId}`,
    headers: { 'content-type': 'application/json' },
    payload: '{"amount":"1e5"}',
  })
  assert.equal(bad.statusCode, 400, bad.body)
})

test('a hosted invoice made before white-label still settles through the same code, its coin taken from the payment', async () => {
  const u = await env.user('0.00')
  const id = newUuid()
  const inv = await env.deps.oxapay.createInvoice({
    amount: '20.00',
    currency: 'EUR',
    lifetimeMinutes: 30,
    callbackUrl: `${env.deps.publicUrl()}/API/on_payment_status`,
    orderId: id,
  })
  await db()
    .insertInto('payments')
    .values({
      id,
      user_id: u.id,
      order_id: null,
      type: 'RECHARGE',
      amount_cents: 2000n,
      lifetime_minutes: 30,
      description: 'Funds recharge',
      track_id: inv.trackId,
      oxapay_type: 'invoice',
      payment_url: inv.paymentUrl,
      expired_at: new Date(inv.expiredAt * 1000),
      invoice_date: new Date(inv.date * 1000),
    })
    .execute()
  const before = await transaction(u.key, inv.trackId)
  assert.deepEqual(
    [before.status, before.address, before.qr_code, before.payment_url],
    ['New', null, null, inv.paymentUrl],
  )
  assert.equal((await env.request({ method: 'GET', url: `/checkout/${id}` })).statusCode, 404, "its page is OxaPay's")
  fakeOf(env).pay(inv.trackId, { coin: 'ETH' })
  await settle(env)
  assert.deepEqual(await credits(u.id), [2000n])
  const after = await transaction(u.key, inv.trackId)
  assert.deepEqual([after.status, after.pay_currency, after.network], ['Paid', 'ETH', 'Ethereum Network'])
  assert.ok(after.address !== null)
})

/** Every `status` property schema anywhere under `node` (resolving local $refs). */
function statusSchemas(
  doc: Record<string, any>,
  node: unknown,
  seen = new Set<unknown>(),
): Array<Record<string, unknown>> {
  if (node === null || typeof node !== 'object' || seen.has(node)) return []
  seen.add(node)
  const n = node as Record<string, any>
  if (typeof n.$ref === 'string') {
    return statusSchemas(
      doc,
      n.$ref
        .split('/')
        .slice(1)
        .reduce((o: any, k: string) => o?.[k], doc),
      seen,
    )
  }
  const own = n.properties?.status !== undefined ? [n.properties.status] : []
  return [...own, ...Object.values(n).flatMap(v => statusSchemas(doc, v, seen))]
}

test("the OpenAPI document gives the transaction statuses as an enum of OxaPay's casing", async () => {
  const doc = (await env.request({ method: 'GET', url: '/openapi.json' })).json()
  assert.deepEqual(STATUS_LABELS, [
    'New',
    'Waiting',
    'Paying',
    'Paid',
    'Manual_accept',
    'Underpaid',
    'Refunding',
    'Refunded',
    'Expired',
  ])
  for (const path of ['/API/list_transactions', '/API/get_transation_by_track_id']) {
    const found = statusSchemas(doc, doc.paths[path].get.responses['200'])
    assert.ok(found.length > 0, path)
    for (const st of found) assert.deepEqual(st.enum, STATUS_LABELS, path)
  }
  assert.ok(!JSON.stringify(doc).includes('lowercase: new'), 'no lowercase statuses documented')
})
