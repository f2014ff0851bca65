/**
 * Property: over random states — any pair of plans, any time left until the service expires
 * (the test clock, to the second, expired included), any number of hours or months, balance or
 * crypto — the amount a quote answers is exactly what the same order placed right after charges
 * (its balance debit, or its crypto invoice).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { formatAmount } from '../../src/lib/money.ts'

const VPS_PLANS = ['3', '5', '7', '11']
const PLESK_PLANS = [
  'plan123-4567-8901-2345-678901234567',
  'plan234-5678-9012-3456-789012345678',
  'plan345-6789-0123-4567-890123456789',
]
const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const T0 = new Date('2026-05-01T00:00:00Z').getTime()
const HOUR = 3_600_000

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

/** What the order charged: its balance debit, or the amount of its crypto invoice. */
async function charged(orderId: string): Promise<string> {
  const debits = await env.deps.db
    .selectFrom('ledger_entries')
    .select('delta_cents')
    .where('order_id', '=', orderId)
    .where('kind', '=', 'order_debit')
    .execute()
  const payment = await env.deps.db
    .selectFrom('payments')
    .select('amount_cents')
    .where('order_id', '=', orderId)
    .executeTakeFirst()
  return formatAmount(payment?.amount_cents ?? -debits.reduce((s, r) => s + r.delta_cents, 0n))
}

async function quoteThenPlace(key: string, endpoint: string, order: Record<string, unknown>): Promise<void> {
  const q = await env.request({ url: '/API/orders/quote', key, body: { endpoint, order } })
  assert.equal(q.statusCode, 200, q.body)
  const res = await env.request({ url: `/API/orders/${endpoint}`, key, body: order })
  assert.equal(res.statusCode, 200, res.body)
  const orderId = (res.json().order_id ?? res.json().order.id) as string
  assert.equal(await charged(orderId), q.json().quote.amount, `${endpoint} ${JSON.stringify(order)}`)
  await env.runner.drain()
}

const pay = fc.constantFrom('balance', 'balance', 'crypto')
/** Seconds until the term ends when the order is placed: a full term down to two days past it. */
const left = fc.integer({ min: -48 * 3600, max: 720 * 3600 })

test('server orders: quote.amount == charged, for random plans, time left, hours and payment', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat(3),
      fc.nat(3),
      left,
      fc.constantFrom('plan', 'extend', 'addon'),
      fc.oneof(fc.integer({ min: 1, max: 72 }), fc.integer({ min: 1, max: 8760 })),
      pay,
      async (from, to, secondsLeft, kind, hours, typePayment) => {
        env.clock.current = new Date(T0)
        const u = await env.user('5000.00')
        const created = await env.request({
          url: '/API/orders/create_order',
          key: u.key,
          body: { user_id: u.id, plan_id: VPS_PLANS[from], os_image_id: '13', location: 'Slovenia' },
        })
        assert.equal(created.statusCode, 200, created.body)
        const server = created.json().server_status.new_id as string
        await env.settle(created.json().order_id)
        env.clock.current = new Date(T0 + 720 * HOUR - secondsLeft * 1000)
        const order =
          kind === 'plan'
            ? { user_id: u.id, server_id: server, plan_id: VPS_PLANS[from === to ? (to + 1) % 4 : to] }
            : kind === 'extend'
              ? { user_id: u.id, server_id: server, hours }
              : { user_id: u.id, addon_id: ADDON_ID, server_id: server }
        await quoteThenPlace(u.key, kind === 'addon' ? 'create_order_addon' : 'create_order', {
          ...order,
          type_payment: typePayment,
        })
      },
    ),
    { numRuns: 30 },
  )
  env.clock.current = null
})

test('Plesk orders: quote.amount == charged, for random plans, time left and months', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat(2),
      fc.option(fc.nat(2)),
      left,
      fc.integer({ min: 1, max: 36 }),
      fc.integer({ min: 1, max: 3 }),
      pay,
      async (from, to, secondsLeft, months, firstMonths, typePayment) => {
        env.clock.current = new Date(T0)
        const u = await env.user('5000.00')
        const clientId = newUuid()
        await env.deps.db
          .insertInto('plesk_clients')
          .values({
            id: clientId,
            user_id: u.id,
            name: 'Prop',
            login: `p${clientId.slice(0, 8)}`,
            email: `${clientId}@test.invalid`,
          })
          .execute()
        const newOrder = {
          plan_id: PLESK_PLANS[from],
          client_id: clientId,
          domain_name: `prop-${clientId.slice(0, 12)}.example.org`,
          ftp_login: `f${clientId.slice(0, 8)}`,
          ftp_password: 'FtpPass123',
          subscription_duration: firstMonths,
          type_payment: 'balance',
        }
        const q = await env.request({
          url: '/API/orders/quote',
          key: u.key,
          body: { endpoint: 'create_order_plesk', order: newOrder },
        })
        const created = await env.request({ url: '/API/orders/create_order_plesk', key: u.key, body: newOrder })
        assert.equal(created.statusCode, 200, created.body)
        assert.equal(await charged(created.json().order.id), q.json().quote.amount)
        await env.settle(created.json().order.id)
        const expires = await env.deps.db
          .selectFrom('plesk_subscriptions')
          .select('expires_at')
          .where('id', '=', created.json().subscription.id)
          .executeTakeFirstOrThrow()
        env.clock.current = new Date(expires.expires_at.getTime() - secondsLeft * 1000)
        await quoteThenPlace(u.key, 'create_order_scale_plesk', {
          subscription_id: created.json().subscription.id,
          ...(to === null ? {} : { new_plan_id: PLESK_PLANS[to] }),
          months,
          type_payment: typePayment,
        })
      },
    ),
    { numRuns: 25 },
  )
  env.clock.current = null
})
