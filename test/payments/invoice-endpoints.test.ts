/**
 * POST /API/invoice (the .net and .com variants of 0xhost-api §3.18/§3.19, and a balance top-up),
 * GET /API/get_transation_by_track_id (§3.21) and GET /API/list_transactions (§3.22); the
 * reconciliation singleton; concurrent duplicate callbacks.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { TestEnv } from '../helper.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { armSingletonJob } from '../../src/outbox/enqueue.ts'
import { reconcilePayments } from '../../src/domain/payments/reconcile-payments.ts'
import {
  assertAuditClean,
  balanceOf,
  decodeQr,
  fakeOf,
  ledgerOf,
  NEW_SERVER,
  orderOf,
  paymentByTrack,
  paymentTables,
  postCallback,
  settle,
  startPaymentsEnv,
} from './helpers.ts'

const INVOICE = '/API/invoice'
const HOUR_MS = 3_600_000
const INVOICE_KEYS = ['success', 'transaction', 'message', 'data', 'payment_url']
// The documented keys in the documented order, then oxbill's extra `memo`.
const DATA_KEYS = [
  'track_id',
  'amount',
  'currency',
  'pay_amount',
  'pay_currency',
  'network',
  'address',
  'qr_code',
  'lifetime',
  'expired_at',
  'order_id',
  'date',
  'memo',
]
const ROW_KEYS = [
  'id',
  'user_id',
  'order_id',
  'track_id',
  'status',
  'type',
  'amount',
  'currency',
  'pay_amount',
  'pay_currency',
  'date',
  'tx_hash',
  'network',
  'address',
  'description',
  'ip_address',
  'created_at',
  'updated_at',
  'expired_at',
  'payment_url',
  'credited_amount',
  'memo',
]
const TRON_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/
const EVM_ADDRESS = /^0x[0-9a-f]{40}$/

let env: TestEnv
before(async () => {
  env = await startPaymentsEnv()
})
after(async () => {
  await assertAuditClean(env)
  await env.close()
})

const db = () => env.deps.db
const invoice = (key: string, body: unknown, headers?: Record<string, string>) =>
  env.request({ url: INVOICE, key, body, headers })

async function userWithServer(balance = '20.00') {
  const u = await env.user(balance)
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.json().status, 'completed', res.body)
  return { ...u, serverId: res.json().server_status.new_id as string }
}

function assertError(res: Awaited<ReturnType<TestEnv['request']>>, status: number, code: string, field?: string): void {
  assert.equal(res.statusCode, status, res.body)
  assert.equal(res.json().success, false)
  assert.equal(res.json().error.code, code, res.body)
  if (field !== undefined) assert.equal(res.json().error.field, field, res.body)
}

test('.net variant {user_id, server_id}: a crypto renewal of the server for 720 h, in the documented invoice shape', async () => {
  const u = await userWithServer()
  const expireBefore = (
    await db().selectFrom('servers').select('expire_date').where('id', '=', u.serverId).executeTakeFirstOrThrow()
  ).expire_date
  const res = await invoice(u.key, { user_id: u.id, server_id: u.serverId })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.deepEqual(Object.keys(b), INVOICE_KEYS)
  assert.deepEqual(Object.keys(b.data), DATA_KEYS)
  assert.equal(b.success, true)
  assert.equal(b.message, 'Operation completed successfully!')
  assert.deepEqual(b.transaction, { id: (await paymentByTrack(env, b.data.track_id)).id, success: true })
  assert.match(b.data.track_id, /^\d{9}$/)
  assert.equal(b.data.amount, 12.99)
  assert.equal(b.data.currency, 'EUR')
  assert.equal(b.data.lifetime, 30)
  assert.equal(b.data.expired_at - b.data.date, 30 * 60)
  // No coin in the .net docs: the operator's default, USDT on its default network, white-label.
  assert.equal(
    b.data.pay_amount,
    14.0292,
    "12.99 EUR at the fake's 1.08 USD/EUR, in USDT (a JSON number, as documented)",
  )
  assert.deepEqual([b.data.pay_currency, b.data.network], ['USDT', 'Tron Network'])
  assert.match(b.data.address, TRON_ADDRESS)
  assert.match(b.data.qr_code, /^data:image\/png;base64,/)
  assert.equal(decodeQr(b.data.qr_code), b.data.address, 'a token QR code holds the bare address, rendered by oxbill')
  assert.equal(b.data.memo, null, 'Tron takes no memo')
  assert.equal(
    b.payment_url,
    `http://127.0.0.1:${(env.app.server.address() as { port: number }).port}/checkout/${b.transaction.id}`,
  )
  const atOxaPay = fakeOf(env).invoice(b.data.track_id)!
  assert.equal(atOxaPay.type, 'white_label')
  assert.equal(atOxaPay.whiteLabel!.address, b.data.address)
  const order = await orderOf(env, b.data.order_id)
  assert.deepEqual(
    [order.order_type, order.status, order.payment_method, order.hours],
    ['renew_server', 'pending_payment', 'crypto', 720],
  )

  // The transaction endpoints show the same before any payment; pay_amount is a string there (§3.21/3.22).
  const before = (
    await env.request({ method: 'GET', url: `/API/get_transation_by_track_id?track_id=${b.data.track_id}`, key: u.key })
  ).json().data
  assert.deepEqual(
    [before.status, before.pay_amount, before.pay_currency, before.network, before.address],
    ['New', '14.0292', 'USDT', 'Tron Network', b.data.address],
  )
  assert.equal(decodeQr(before.qr_code), b.data.address)

  fakeOf(env).payAddress(b.data.address)
  await settle(env)
  assert.equal((await orderOf(env, order.id)).status, 'completed')
  const after = (
    await db().selectFrom('servers').select('expire_date').where('id', '=', u.serverId).executeTakeFirstOrThrow()
  ).expire_date
  assert.equal(after.getTime(), expireBefore.getTime() + 720 * HOUR_MS)
  const t = (
    await env.request({ method: 'GET', url: `/API/get_transation_by_track_id?track_id=${b.data.track_id}`, key: u.key })
  ).json().data
  assert.deepEqual(
    [t.status, t.pay_amount, t.pay_currency, t.network, t.address, t.credited_amount],
    ['Paid', '14.0292', 'USDT', 'Tron Network', b.data.address, '12.99'],
  )
  assert.match(t.tx_hash, /^0x[0-9a-f]{64}$/)
  const row = (await env.request({ method: 'GET', url: '/API/list_transactions', key: u.key })).json().data[0]
  assert.deepEqual([row.track_id, row.status], [b.data.track_id, 'Paid'])
})

test('.com variant {user_id, order_id, currency, pay_currency, network}: the invoice of a pending crypto order in the coin it names', async () => {
  const u = await env.user('0.00')
  const placed = (await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })).json()
  const first = await paymentByTrack(env, placed.payment.track_id)
  assert.deepEqual(
    [first.pay_currency, first.network],
    ['USDT', 'Tron Network'],
    'the order was invoiced in the default coin',
  )

  const same = await invoice(u.key, {
    user_id: u.id,
    order_id: placed.order_id,
    currency: 'EUR',
    pay_currency: 'usdt',
    network: 'Tron',
  })
  assert.equal(same.statusCode, 200, same.body)
  assert.equal(
    same.json().data.track_id,
    placed.payment.track_id,
    'the open invoice in that coin and network is returned as it is',
  )

  const body = { user_id: u.id, order_id: placed.order_id, currency: 'EUR', pay_currency: 'ETH', network: 'Ethereum' }
  const eth = await invoice(u.key, body)
  assert.equal(eth.statusCode, 200, eth.body)
  const d = eth.json().data
  assert.notEqual(d.track_id, placed.payment.track_id, 'another coin: a white-label payment of its own')
  assert.deepEqual(Object.keys(d), DATA_KEYS)
  assert.deepEqual(
    [d.order_id, d.amount, d.currency, d.pay_currency, d.network],
    [placed.order_id, 12.99, 'EUR', 'ETH', 'Ethereum Network'],
  )
  assert.equal(d.pay_amount, 0.00561168, '12.99 EUR × 1.08 / 2500, rounded up to 8 places')
  assert.match(d.address, EVM_ADDRESS)
  assert.equal(decodeQr(d.qr_code), d.address)
  const sent = fakeOf(env)
    .requests()
    .filter(r => r.path === '/v1/payment/white-label')
    .at(-1)!
  assert.deepEqual(JSON.parse(sent.body).pay_currency, 'ETH')
  assert.deepEqual(JSON.parse(sent.body).network, 'Ethereum', 'the network is sent as the client named it')
  assert.equal((await invoice(u.key, body)).json().data.track_id, d.track_id, 'asked again: the same invoice')
  const back = await invoice(u.key, { ...body, pay_currency: 'USDT', network: 'Tron Network' })
  assert.equal(back.json().data.track_id, placed.payment.track_id, 'the USDT one is still open: found, not made again')

  assertError(await invoice(u.key, { ...body, currency: 'USD' }), 400, 'validation_error', 'currency')
  assertError(
    await invoice(u.key, { user_id: u.id, order_id: placed.order_id, currency: 'EUR' }),
    400,
    'validation_error',
    'pay_currency',
  )
  const other = await env.user('0.00')
  assertError(await invoice(other.key, { ...body, user_id: other.id }), 404, 'not_found')
  assertError(await invoice(other.key, body), 403, 'forbidden')
  const paidByBalance = await userWithServer()
  const balanceOrder = await db()
    .selectFrom('orders')
    .select('id')
    .where('user_id', '=', paidByBalance.id)
    .executeTakeFirstOrThrow()
  assertError(
    await invoice(paidByBalance.key, { ...body, user_id: paidByBalance.id, order_id: balanceOrder.id }),
    409,
    'invalid_state',
  )

  // Paying the ETH address pays the order; the USDT invoice left open is only ever credit.
  fakeOf(env).payAddress(d.address)
  await settle(env)
  assert.equal((await orderOf(env, placed.order_id)).status, 'completed')
  assert.deepEqual(
    (await ledgerOf(env, u.id)).map(l => [l.kind, l.delta_cents]),
    [
      ['payment_credit', 1299n],
      ['order_debit', -1299n],
    ],
  )
  assert.equal((await paymentByTrack(env, d.track_id)).status, 'paid')
  assert.equal((await paymentByTrack(env, placed.payment.track_id)).status, 'new')
  assertError(await invoice(u.key, body), 409, 'invalid_state')
})

test('.com variant: an expired invoice is replaced in the coin named, which keeps the order alive until its deadline', async () => {
  const u = await env.user('0.00')
  const placed = (await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })).json()
  const body = { user_id: u.id, order_id: placed.order_id, currency: 'EUR', pay_currency: 'BTC', network: 'Bitcoin' }
  // The poll saw the invoice expire, but the order is not cancelled yet: a new invoice keeps it alive.
  await db()
    .updateTable('payments')
    .set({ status: 'expired' })
    .where('track_id', '=', placed.payment.track_id)
    .execute()
  const fresh = await invoice(u.key, body)
  assert.equal(fresh.statusCode, 200, fresh.body)
  const d = fresh.json().data
  assert.notEqual(d.track_id, placed.payment.track_id)
  assert.deepEqual([d.pay_currency, d.network, d.pay_amount], ['BTC', 'Bitcoin Network', 0.00021584])
  assert.match(d.address, /^bc1q[02-9ac-hj-np-z]{38}$/)
  assert.equal(
    decodeQr(d.qr_code),
    `bitcoin:${d.address}?amount=0.00021584`,
    'Bitcoin gets a BIP-21 URI with the amount',
  )
  await reconcilePayments(env.deps)
  assert.equal((await orderOf(env, placed.order_id)).status, 'pending_payment')
  fakeOf(env).payAddress(d.address)
  await settle(env)
  assert.equal((await orderOf(env, placed.order_id)).status, 'completed')
  assert.equal(await balanceOf(env, u.id), 0n)
})

test('a coin or network OxaPay refuses is a 400 validation_error, and nothing is written', async () => {
  const u = await env.user('0.00')
  const placed = (await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })).json()
  const order = { user_id: u.id, order_id: placed.order_id, currency: 'EUR' }
  const atOxaPay = () => fakeOf(env).invoices().length
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [
      { ...order, pay_currency: 'XYZ', network: 'Ethereum' },
      'pay_currency',
      /OxaPay does not accept pay_currency 'XYZ'/,
    ],
    [
      { ...order, pay_currency: 'ETH', network: 'Bitcoin' },
      'network',
      /OxaPay does not accept network 'Bitcoin' for ETH/,
    ],
    [{ user_id: u.id, amount: '5.00', pay_currency: 'XYZ' }, 'pay_currency', /OxaPay does not accept/],
    [{ user_id: u.id, amount: '5.00', pay_currency: 'USDT', network: 'Bitcoin' }, 'network', /OxaPay does not accept/],
  ]
  // An expired invoice: the refused request would have replaced it.
  await db()
    .updateTable('payments')
    .set({ status: 'expired' })
    .where('track_id', '=', placed.payment.track_id)
    .execute()
  for (const [body, field, message] of cases) {
    const before = await paymentTables(env)
    const created = atOxaPay()
    const res = await invoice(u.key, body)
    assertError(res, 400, 'validation_error', field)
    assert.match(res.json().message, message)
    assert.equal(await paymentTables(env), before, `${JSON.stringify(body)}: nothing written`)
    assert.equal(atOxaPay(), created, 'nothing created at OxaPay')
  }
  for (const bad of [
    { pay_currency: 'E$H', network: 'Ethereum' },
    { pay_currency: 'ETH', network: 'Ether;eum' },
  ]) {
    assertError(await invoice(u.key, { ...order, ...bad }), 400, 'validation_error')
  }
  assertError(
    await invoice(u.key, { user_id: u.id, amount: '5.00', network: 'Tron' }),
    400,
    'validation_error',
    'pay_currency',
  )
  const later = await invoice(u.key, { ...order, pay_currency: 'TRX', network: 'TRC20' })
  assert.equal(later.statusCode, 200, later.body)
  assert.deepEqual([later.json().data.pay_currency, later.json().data.network], ['TRX', 'Tron Network'])
})

test('.com variant creates the invoice an order could not get when OxaPay was down', async () => {
  const u = await env.user('0.00')
  fakeOf(env).injectFault({ path: '/v1/payment/white-label', fault: 'http500' })
  const failed = await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })
  assertError(failed, 503, 'provider_unavailable')
  const order = await db().selectFrom('orders').select('id').where('user_id', '=', u.id).executeTakeFirstOrThrow()
  const res = await invoice(u.key, {
    user_id: u.id,
    order_id: order.id,
    currency: 'EUR',
    pay_currency: 'USDT',
    network: 'Tron',
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.match(res.json().data.track_id, /^\d{9}$/)
})

test('balance top-up {user_id, amount}: a RECHARGE invoice without an order; paid → credited', async () => {
  const u = await env.user('0.00')
  const res = await invoice(u.key, { user_id: u.id, amount: '25.50' })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.data.amount, 25.5)
  assert.equal(b.data.order_id, '')
  assert.equal((await paymentByTrack(env, b.data.track_id)).type, 'RECHARGE')
  assert.deepEqual([b.data.pay_currency, b.data.network, b.data.pay_amount], ['USDT', 'Tron Network', 27.54])
  // Zero-setup mode: a POST to the checkout page pays the address from the fake's wallet.
  const paid = await fetch(b.payment_url, { method: 'POST' })
  assert.equal(paid.status, 200, await paid.clone().text())
  assert.deepEqual(((await paid.json()) as { data: unknown }).data, {
    track_id: b.data.track_id,
    status: 'Paid',
    address: b.data.address,
    sent: '27.54',
  })
  await settle(env)
  assert.equal(await balanceOf(env, u.id), 2550n)
  assert.deepEqual(
    (await ledgerOf(env, u.id)).map(l => [l.kind, l.delta_cents]),
    [['payment_credit', 2550n]],
  )
  assert.equal((await invoice(u.key, { user_id: u.id, amount: 10 })).statusCode, 200, 'a JSON number works too')
  const ltc = (await invoice(u.key, { user_id: u.id, amount: '8.00', pay_currency: 'LTC' })).json().data
  assert.deepEqual(
    [ltc.pay_currency, ltc.network, ltc.pay_amount],
    ['LTC', 'Litecoin Network', 0.108],
    'a top-up in the coin it names, on its default network',
  )
  assert.equal(decodeQr(ltc.qr_code), `litecoin:${ltc.address}?amount=0.108`)
  assertError(await invoice(u.key, { user_id: u.id, amount: '0.99' }), 400, 'validation_error', 'amount')
  assertError(await invoice(u.key, { user_id: u.id, amount: '10000.01' }), 400, 'validation_error', 'amount')
  assertError(await invoice(u.key, { user_id: u.id, amount: '1.005' }), 400, 'validation_error')
  fakeOf(env).injectFault({ path: '/v1/payment/white-label', fault: 'http500' })
  assertError(await invoice(u.key, { user_id: u.id, amount: '5' }), 503, 'provider_unavailable')
})

test('invoice bodies that mix or lack variants, and other users, are refused', async () => {
  const u = await userWithServer()
  assertError(await invoice(u.key, { user_id: u.id, server_id: u.serverId, amount: '5' }), 400, 'ambiguous_request')
  assertError(await invoice(u.key, { user_id: u.id, server_id: u.serverId, currency: 'EUR' }), 400, 'ambiguous_request')
  assertError(await invoice(u.key, { user_id: u.id }), 400, 'validation_error')
  assertError(
    await invoice(u.key, { user_id: u.id, server_id: u.serverId, pay_currency: 'ETH' }),
    400,
    'ambiguous_request',
  )
  assertError(await invoice(u.key, { user_id: u.id, amount: '5', currency: 'EUR' }), 400, 'ambiguous_request')
  const other = await env.user('0.00')
  assertError(await invoice(u.key, { user_id: other.id, amount: '5' }), 403, 'forbidden')
  assertError(await invoice(other.key, { user_id: other.id, server_id: u.serverId }), 404, 'not_found')
  const noKey = await env.request({ url: INVOICE, body: { user_id: u.id, amount: '5' } })
  assert.equal(noKey.statusCode, 401)
})

test('transactions: by track id (§3.21 shape, own only) and listed with paging (§3.22)', async () => {
  const u = await env.user('0.00')
  const tracks: string[] = []
  for (const amount of ['5.00', '6.00', '7.00']) {
    tracks.push((await invoice(u.key, { user_id: u.id, amount })).json().data.track_id)
  }
  const one = await env.request({
    method: 'GET',
    url: `/API/get_transation_by_track_id?track_id=${tracks[0]}`,
    key: u.key,
  })
  assert.equal(one.statusCode, 200, one.body)
  const d = one.json().data
  assert.deepEqual(Object.keys(d), [...ROW_KEYS, 'qr_code', 'type_order', 'order_type'])
  assert.deepEqual(
    [d.track_id, d.type, d.amount, d.currency, d.status, d.order_id, d.type_order, d.order_type, d.description],
    [tracks[0], 'RECHARGE', '5.00', 'EUR', 'New', '', null, null, 'Funds recharge'],
  )
  assert.deepEqual([d.pay_amount, d.pay_currency, d.network, d.memo], ['5.4', 'USDT', 'Tron Network', null])
  assert.match(d.address, TRON_ADDRESS)
  assert.equal(decodeQr(d.qr_code), d.address)
  assert.equal(d.ip_address, '127.0.0.1')
  assert.match(d.created_at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  assert.equal(typeof d.expired_at, 'number')

  const stranger = await env.user('0.00')
  assertError(
    await env.request({
      method: 'GET',
      url: `/API/get_transation_by_track_id?track_id=${tracks[0]}`,
      key: stranger.key,
    }),
    404,
    'not_found',
  )
  assertError(
    await env.request({ method: 'GET', url: '/API/get_transation_by_track_id?track_id=000000000', key: u.key }),
    404,
    'not_found',
  )
  assertError(
    await env.request({ method: 'GET', url: '/API/get_transation_by_track_id', key: u.key }),
    400,
    'validation_error',
    'track_id',
  )

  const page1 = (await env.request({ method: 'GET', url: '/API/list_transactions?per_page=2', key: u.key })).json()
  assert.deepEqual(page1.meta, { total: 3, page: 1, per_page: 2, pages: 2 })
  assert.deepEqual(
    page1.data.map((r: { track_id: string }) => r.track_id),
    [tracks[2], tracks[1]],
    'newest first',
  )
  assert.deepEqual(Object.keys(page1.data[0]), ROW_KEYS)
  assert.deepEqual(
    page1.data.map((r: { status: string }) => r.status),
    ['New', 'New'],
  )
  assert.ok(
    page1.data.every(
      (r: { address: string; pay_amount: string }) => TRON_ADDRESS.test(r.address) && typeof r.pay_amount === 'string',
    ),
  )
  const page2 = (
    await env.request({ method: 'GET', url: '/API/list_transactions?per_page=2&page=2', key: u.key })
  ).json()
  assert.deepEqual(
    page2.data.map((r: { track_id: string }) => r.track_id),
    [tracks[0]],
  )
  assert.equal(
    (await env.request({ method: 'GET', url: '/API/list_transactions', key: u.key })).json().meta.per_page,
    10,
  )
  assert.equal(
    (await env.request({ method: 'GET', url: '/API/list_transactions', key: stranger.key })).json().meta.total,
    0,
  )
  assertError(
    await env.request({ method: 'GET', url: `/API/list_transactions?user_id=${u.id}`, key: stranger.key }),
    403,
    'forbidden',
  )
  const admin = await env.user('0.00', true)
  assert.equal(
    (await env.request({ method: 'GET', url: `/API/list_transactions?user_id=${u.id}`, key: admin.key })).json().meta
      .total,
    3,
  )
  assert.equal(
    (await env.request({ method: 'GET', url: `/API/get_transation_by_track_id?track_id=${tracks[1]}`, key: admin.key }))
      .statusCode,
    200,
  )
})

test('the reconciliation job is a singleton: concurrent arms make one pending job, re-armed only after its interval', async () => {
  const kind = 'payments.reconcile'
  const armed = await Promise.all(
    Array.from({ length: 10 }, () => armSingletonJob(db(), { kind, everyMs: 60_000, maxAttempts: 3 })),
  )
  assert.equal(armed.filter(Boolean).length, 1)
  const rows = () => db().selectFrom('jobs').select(['id', 'state']).where('singleton', '=', kind).execute()
  assert.deepEqual(
    (await rows()).map(r => r.state),
    ['pending'],
  )
  assert.equal(await armSingletonJob(db(), { kind, everyMs: 1, maxAttempts: 3 }), false, 'a pending one is left alone')
  await env.runner.drain()
  assert.deepEqual(
    (await rows()).map(r => r.state),
    ['done'],
  )
  assert.equal(
    await armSingletonJob(db(), { kind, everyMs: 60_000, maxAttempts: 3 }),
    false,
    'ran less than an interval ago',
  )
  // An interval later: the run is moved back rather than waited for (the check reads the database's now()).
  await db()
    .updateTable('jobs')
    .set({ finished_at: sql<Date>`finished_at - interval '61 seconds'` })
    .where('singleton', '=', kind)
    .execute()
  assert.equal(await armSingletonJob(db(), { kind, everyMs: 60_000, maxAttempts: 3 }), true)
  assert.deepEqual(
    (await rows()).map(r => r.state),
    ['pending'],
    'the same row, re-armed',
  )
  await env.runner.drain()
})

test('the same Paid callback delivered eight times at once credits once and pays the order once', async () => {
  const u = await env.user('0.00')
  const placed = (await env.request({ url: '/API/orders/create_order', key: u.key, body: NEW_SERVER(u.id) })).json()
  const trackId = placed.payment.track_id as string
  const body = JSON.stringify({
    track_id: trackId,
    status: 'Paid',
    type: 'invoice',
    amount: 12.99,
    value: 14.0292,
    sent_value: 14.0292,
    currency: 'EUR',
    order_id: '',
    txs: [
      {
        status: 'confirmed',
        tx_hash: `0x${newUuid()}`,
        sent_amount: 14.0292,
        received_amount: 14,
        value: 14.0292,
        currency: 'USDT',
        network: 'Tron Network',
        address: 'a',
        rate: 1,
        confirmations: 19,
        date: 1,
      },
    ],
  })
  const answers = await Promise.all(Array.from({ length: 8 }, () => postCallback(env, body)))
  assert.deepEqual(
    answers.map(a => a.statusCode),
    Array(8).fill(200),
  )
  await env.runner.drain()
  assert.deepEqual(
    (await ledgerOf(env, u.id)).map(l => [l.kind, l.delta_cents]),
    [
      ['payment_credit', 1299n],
      ['order_debit', -1299n],
    ],
  )
  assert.equal((await orderOf(env, placed.order_id)).status, 'completed')
  const applied = await db()
    .selectFrom('payment_events')
    .select('id')
    .where('track_id', '=', trackId)
    .where('applied', '=', true)
    .execute()
  assert.equal(applied.length, 1)
})
