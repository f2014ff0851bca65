/**
 * `type_payment: "crypto"` on every order endpoint, end to end through the real OxaPay adapter
 * against the fake: the order answers `pending_payment` with its invoice and nothing provisioned
 * and nothing debited; paying the invoice (a POST to its payment_url, as the README says) credits
 * the balance and pays the order, which then provisions; an invoice that expires cancels it.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { TestEnv } from '../helper.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { reconcilePayments } from '../../src/domain/payments/reconcile-payments.ts'
import {
  assertAuditClean,
  balanceOf,
  fakeOf,
  jobsOf,
  ledgerOf,
  NEW_SERVER,
  orderOf,
  paymentByTrack,
  settle,
  startPaymentsEnv,
} from './helpers.ts'

const ORDER = '/API/orders/create_order'
const ADDON = '/API/orders/create_order_addon'
const PLESK = '/API/orders/create_order_plesk'
const SCALE_PLESK = '/API/orders/create_order_scale_plesk'
const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const PLESK_BASIC = 'plan123-4567-8901-2345-678901234567'
const HOUR_MS = 3_600_000

let env: TestEnv
before(async () => {
  env = await startPaymentsEnv()
})
after(async () => {
  await assertAuditClean(env)
  await env.close()
})

const db = () => env.deps.db
const server = (id: string) => db().selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const vmsFor = (serverId: string) =>
  env.providers.fakes.solusvm!.servers().filter(s => s.description === `oxbill:server:${serverId}`)

/** Pays the whole invoice the way the README tells a newcomer to: one POST to its payment_url (zero-setup mode's fake wallet). */
async function payByUrl(paymentUrl: string): Promise<void> {
  const res = await fetch(paymentUrl, { method: 'POST' })
  assert.equal(res.status, 200, await res.text())
  await settle(env)
}

async function expireAndReconcile(trackId: string): Promise<void> {
  fakeOf(env).expire(trackId)
  await reconcilePayments(env.deps)
  await env.runner.drain()
}

/** A user with an active server bought from the balance (for plan changes, extensions and addons). */
async function userWithServer(balance = '20.00') {
  const u = await env.user(balance)
  const res = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(res.json().status, 'completed', res.body)
  return { ...u, serverId: res.json().server_status.new_id as string }
}

async function userWithClient(balance = '0.00') {
  const u = await env.user(balance)
  const clientId = newUuid()
  await db()
    .insertInto('plesk_clients')
    .values({
      id: clientId,
      user_id: u.id,
      name: 'Crypto Client',
      login: `c${clientId.slice(0, 8)}`,
      email: `${clientId}@test.invalid`,
    })
    .execute()
  return { ...u, clientId }
}

/** The common promises of a crypto order's answer: pending, an invoice, no debit. */
function assertPending(body: Record<string, any>, amount: string): { trackId: string; paymentUrl: string } {
  assert.equal(body.success, true)
  assert.match(body.message, /^Awaiting payment/)
  const p = body.payment
  assert.deepEqual(Object.keys(p).slice(0, 5), ['track_id', 'payment_url', 'amount', 'currency', 'expired_at'])
  assert.match(p.track_id, /^\d{9}$/)
  assert.match(
    p.payment_url,
    /^http:\/\/127\.0\.0\.1:\d+\/checkout\/[0-9a-f-]{36}$/,
    "oxbill's checkout page of the white-label invoice",
  )
  assert.equal(p.amount, amount)
  assert.equal(p.currency, 'EUR')
  assert.ok(Math.abs(p.expired_at - (Date.now() / 1000 + 30 * 60)) < 60, 'INVOICE_LIFETIME_MINUTES=30')
  return { trackId: p.track_id, paymentUrl: p.payment_url }
}

test('new server: pending_payment with an invoice, nothing provisioned; paying it provisions exactly one VM', async () => {
  const u = await env.user('0.00')
  const res = await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id) })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.status, 'pending_payment')
  assert.equal(b.amount, 12.99)
  assert.equal(b.balance_before, '0.00')
  assert.match(b.password, /^.{20}$/, 'the root password is shown once, now')
  assert.equal(b.server_status.status, 'pending_payment')
  assert.equal(b.server_status.id_solusvm, null)
  const { trackId, paymentUrl } = assertPending(b, '12.99')
  assert.deepEqual(
    (await jobsOf(env, b.order_id)).map(j => [j.kind, j.state]),
    [['server.create', 'blocked']],
  )
  await env.runner.drain()
  assert.equal(vmsFor(b.server_status.new_id).length, 0, 'a blocked job never runs')
  assert.deepEqual(await ledgerOf(env, u.id), [], 'no debit')
  const p = await paymentByTrack(env, trackId)
  assert.equal(p.order_id, b.order_id)
  assert.equal(p.type, 'ORDER')
  assert.equal(p.status, 'new')

  await payByUrl(paymentUrl)
  const order = await orderOf(env, b.order_id)
  assert.equal(order.status, 'completed')
  const s = await server(b.server_status.new_id)
  assert.equal(s.status, 'active')
  assert.ok(
    Math.abs(s.expire_date.getTime() - (Date.now() + 720 * HOUR_MS)) < 60_000,
    'the term starts when it is paid',
  )
  assert.equal(vmsFor(s.id).length, 1)
  assert.equal(s.id_solusvm, vmsFor(s.id)[0]!.id)
  assert.equal(await balanceOf(env, u.id), 0n)
  const ledger = await ledgerOf(env, u.id)
  assert.deepEqual(
    ledger.map(l => [l.kind, l.delta_cents]),
    [
      ['payment_credit', 1299n],
      ['order_debit', -1299n],
    ],
  )
  assert.equal(ledger[0]!.payment_id, p.id)
  assert.equal(
    ledger[0]!.order_id,
    null,
    'a credit belongs to the payment, not the order (a refund nets the order alone)',
  )
  assert.equal(ledger[1]!.order_id, b.order_id)
  const paid = await paymentByTrack(env, trackId)
  assert.equal(paid.status, 'paid')
  assert.equal(paid.credited_cents, 1299n)
  assert.deepEqual(
    [paid.pay_currency, paid.network, paid.pay_amount, paid.oxapay_type],
    ['USDT', 'Tron Network', '14.0292', 'white_label'],
  )
  assert.ok(paid.settled_at !== null)
})

test('new server: an invoice that expires unpaid cancels the order; nothing is provisioned or charged', async () => {
  const u = await env.user('0.00')
  const b = (await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id) })).json()
  const { trackId } = assertPending(b, '12.99')
  await expireAndReconcile(trackId)
  const order = await orderOf(env, b.order_id)
  assert.equal(order.status, 'cancelled')
  assert.equal(order.failure_reason, 'the crypto invoice expired unpaid')
  assert.equal((await server(b.server_status.new_id)).status, 'cancelled')
  assert.deepEqual(
    (await jobsOf(env, b.order_id)).map(j => j.state),
    ['cancelled'],
  )
  const secrets = await db()
    .selectFrom('job_secrets')
    .select('job_id')
    .where(
      'job_id',
      'in',
      (await jobsOf(env, b.order_id)).map(j => j.id),
    )
    .execute()
  assert.equal(secrets.length, 0, 'the sealed root password is erased')
  assert.equal(vmsFor(b.server_status.new_id).length, 0)
  assert.equal((await paymentByTrack(env, trackId)).status, 'expired')
  assert.deepEqual(await ledgerOf(env, u.id), [])
})

test('change of plan: the server is held (resizing) while unpaid; paid → resized; expired → back to active', async () => {
  const u = await userWithServer()
  const body = { user_id: u.id, server_id: u.serverId, plan_id: '7', type_payment: 'crypto' }
  const b = (await env.request({ url: ORDER, key: u.key, body })).json()
  assert.equal(b.type, 'scale_server')
  assert.equal(b.status, 'pending_payment')
  const { trackId } = assertPending(b, b.amount.toFixed(2))
  assert.equal((await server(u.serverId)).status, 'resizing')
  const second = await env.request({ url: ORDER, key: u.key, body })
  assert.equal(second.statusCode, 409, 'no second change priced on the same remaining term')
  await expireAndReconcile(trackId)
  assert.equal((await orderOf(env, b.order_id)).status, 'cancelled')
  assert.equal((await server(u.serverId)).status, 'active')
  assert.equal((await server(u.serverId)).plan_id, '5')

  const again = (await env.request({ url: ORDER, key: u.key, body })).json()
  await payByUrl(assertPending(again, again.amount.toFixed(2)).paymentUrl)
  assert.equal((await orderOf(env, again.order_id)).status, 'completed')
  const s = await server(u.serverId)
  assert.equal(s.plan_id, '7')
  assert.equal(s.status, 'active')
  assert.equal(
    await balanceOf(env, u.id),
    2000n - 1299n,
    'the plan change was paid by the invoice, not the old balance',
  )
})

test('extension by hours: a server.extend job adds the hours once the invoice is paid', async () => {
  const u = await userWithServer()
  const before = (await server(u.serverId)).expire_date
  const b = (
    await env.request({
      url: ORDER,
      key: u.key,
      body: { user_id: u.id, server_id: u.serverId, hours: 48, type_payment: 'crypto' },
    })
  ).json()
  assert.equal(b.type, 'renew_server')
  assert.equal(b.amount, 0.87)
  assert.equal(b.status, 'pending_payment')
  const { paymentUrl } = assertPending(b, '0.87')
  assert.deepEqual(
    (await jobsOf(env, b.order_id)).map(j => [j.kind, j.state]),
    [['server.extend', 'blocked']],
  )
  assert.equal((await server(u.serverId)).expire_date.getTime(), before.getTime())
  await payByUrl(paymentUrl)
  assert.equal((await orderOf(env, b.order_id)).status, 'completed')
  assert.equal((await server(u.serverId)).expire_date.getTime(), before.getTime() + 48 * HOUR_MS)
})

test('addon: pending_payment addon row; paid → an IPv4 is assigned', async () => {
  const u = await userWithServer()
  const res = await env.request({
    url: ADDON,
    key: u.key,
    body: { user_id: u.id, addon_id: ADDON_ID, server_id: u.serverId, type_payment: 'crypto' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.order.status, 'pending_payment')
  assert.equal(b.addon_server.status, 'pending_payment')
  const { paymentUrl } = assertPending(b, '3.99')
  await payByUrl(paymentUrl)
  const sa = await db()
    .selectFrom('server_addons')
    .selectAll()
    .where('id', '=', b.addon_server.id)
    .executeTakeFirstOrThrow()
  assert.equal(sa.status, 'assigned')
  assert.match(sa.assigned_value, /^\d+\.\d+\.\d+\.\d+$/)
  assert.equal((await orderOf(env, b.order.id)).status, 'completed')
})

test('Plesk hosting: the domain is reserved while unpaid, freed when the invoice expires, hosted once paid', async () => {
  const u = await userWithClient()
  const domain = `crypto-${newUuid().slice(0, 8)}.example.org`
  const body = {
    plan_id: PLESK_BASIC,
    client_id: u.clientId,
    domain_name: domain,
    ftp_login: 'ftpcrypto',
    ftp_password: 'Crypto12345',
    subscription_duration: 2,
    type_payment: 'crypto',
  }
  const res = await env.request({ url: PLESK, key: u.key, body })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.order.status, 'pending_payment')
  assert.equal(b.subscription.status, 'pending_payment')
  assert.equal(b.balance_after, '0.00')
  const { trackId } = assertPending(b, '19.98')
  assert.equal(
    (await env.request({ url: PLESK, key: u.key, body })).statusCode,
    409,
    'the domain is taken while the first order waits',
  )
  await expireAndReconcile(trackId)
  const sub = await db()
    .selectFrom('plesk_subscriptions')
    .select('status')
    .where('id', '=', b.subscription.id)
    .executeTakeFirstOrThrow()
  assert.equal(sub.status, 'cancelled')

  const again = (await env.request({ url: PLESK, key: u.key, body })).json()
  await payByUrl(assertPending(again, '19.98').paymentUrl)
  const paid = await db()
    .selectFrom('plesk_subscriptions')
    .select(['status', 'plesk_webspace_id'])
    .where('id', '=', again.subscription.id)
    .executeTakeFirstOrThrow()
  assert.equal(paid.status, 'active')
  assert.ok(paid.plesk_webspace_id !== null)
  assert.equal((await orderOf(env, again.order.id)).status, 'completed')
})

test('Plesk renewal: renewing while unpaid, restored when it expires, renewed once paid', async () => {
  const u = await userWithClient('20.00')
  const domain = `renew-${newUuid().slice(0, 8)}.example.org`
  const created = (
    await env.request({
      url: PLESK,
      key: u.key,
      body: {
        plan_id: PLESK_BASIC,
        client_id: u.clientId,
        domain_name: domain,
        ftp_login: 'ftprenew',
        ftp_password: 'Renew12345',
        subscription_duration: 1,
        type_payment: 'balance',
      },
    })
  ).json()
  assert.equal(created.order.status, 'completed', JSON.stringify(created))
  const subId = created.subscription.id as string
  const expiresBefore = (
    await db().selectFrom('plesk_subscriptions').select('expires_at').where('id', '=', subId).executeTakeFirstOrThrow()
  ).expires_at
  const body = { subscription_id: subId, months: 2, type_payment: 'crypto' }
  const b = (await env.request({ url: SCALE_PLESK, key: u.key, body })).json()
  assert.equal(b.order.status, 'pending_payment')
  const { trackId } = assertPending(b, '19.98')
  const subStatus = async () =>
    db()
      .selectFrom('plesk_subscriptions')
      .select(['status', 'expires_at'])
      .where('id', '=', subId)
      .executeTakeFirstOrThrow()
  assert.equal((await subStatus()).status, 'renewing')
  await expireAndReconcile(trackId)
  assert.equal((await subStatus()).status, 'active')
  assert.equal((await subStatus()).expires_at.getTime(), expiresBefore.getTime())

  const again = (await env.request({ url: SCALE_PLESK, key: u.key, body })).json()
  await payByUrl(assertPending(again, '19.98').paymentUrl)
  assert.equal((await orderOf(env, again.order.id)).status, 'completed')
  assert.ok((await subStatus()).expires_at.getTime() > expiresBefore.getTime())
  assert.equal(await balanceOf(env, u.id), 2000n - 999n)
})

test('a crypto order with an Idempotency-Key: the replay answers the first response; one order, one invoice', async () => {
  const u = await env.user('0.00')
  const headers = { 'idempotency-key': `crypto-${newUuid()}` }
  const first = await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id), headers })
  const replay = await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id), headers })
  assert.equal(replay.statusCode, 200)
  assert.equal(replay.json().payment.track_id, first.json().payment.track_id)
  assert.equal((await db().selectFrom('orders').select('id').where('user_id', '=', u.id).execute()).length, 1)
  assert.equal((await db().selectFrom('payments').select('id').where('user_id', '=', u.id).execute()).length, 1)
})

test('OxaPay down when the order is placed: 503, the order waits without invoice; the same key retried creates it', async () => {
  const u = await env.user('0.00')
  const headers = { 'idempotency-key': `down-${newUuid()}` }
  fakeOf(env).injectFault({ path: '/v1/payment/white-label', fault: 'http500' })
  const failed = await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id), headers })
  assert.equal(failed.statusCode, 503, failed.body)
  assert.equal(failed.json().error.code, 'provider_unavailable')
  const orders = await db().selectFrom('orders').select(['id', 'status']).where('user_id', '=', u.id).execute()
  assert.deepEqual(
    orders.map(o => o.status),
    ['pending_payment'],
  )
  assert.match(failed.json().message, new RegExp(orders[0]!.id))
  const pay = await db().selectFrom('payments').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow()
  assert.equal(pay.track_id, null)
  assert.match(pay.last_error ?? '', /oxapay/)

  const retried = await env.request({ url: ORDER, key: u.key, body: NEW_SERVER(u.id), headers })
  assert.equal(retried.statusCode, 200, retried.body)
  assert.equal(retried.json().order_id, orders[0]!.id)
  assertPending(retried.json(), '12.99')
  assert.equal((await db().selectFrom('orders').select('id').where('user_id', '=', u.id).execute()).length, 1)
  assert.equal((await db().selectFrom('payments').select('id').where('user_id', '=', u.id).execute()).length, 1)
})
