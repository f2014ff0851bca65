/**
 * POST /API/orders/quote: for every order kind, a quote followed by the same order with nothing
 * changed in between charges exactly the quoted amount; a quote writes nothing (not even when
 * the order it prices would cancel an overdue unpaid order on its way); it refuses what the
 * order refuses (an open order on the service, a server that is not active, another user's
 * objects); bad bodies are 400s with stable codes.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { formatAmount } from '../../src/lib/money.ts'
import { assertError, inCase } from '../assertions.ts'

const QUOTE = '/API/orders/quote'
const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const PLESK_BASIC = 'plan123-4567-8901-2345-678901234567'
const PLESK_PRO = 'plan345-6789-0123-4567-890123456789'
const T0 = new Date('2026-03-01T08:00:00Z')
const HOUR = 3_600_000

let env: TestEnv
before(async () => {
  env = await startTestEnv()
  env.clock.current = T0
})
after(async () => {
  await env.close()
})

type Endpoint = 'create_order' | 'create_order_addon' | 'create_order_plesk' | 'create_order_scale_plesk'

const quote = (key: string, endpoint: Endpoint, order: unknown, headers?: Record<string, string>) =>
  env.request({ url: QUOTE, key, body: { endpoint, order }, headers })
const place = (key: string, endpoint: Endpoint, order: unknown) =>
  env.request({ url: `/API/orders/${endpoint}`, key, body: order })

/** What the order debited from the balance (0.00 when it debited nothing). */
async function debited(orderId: string): Promise<string> {
  const rows = await env.deps.db
    .selectFrom('ledger_entries')
    .select('delta_cents')
    .where('order_id', '=', orderId)
    .where('kind', '=', 'order_debit')
    .execute()
  return formatAmount(-rows.reduce((s, r) => s + r.delta_cents, 0n))
}

const orderIdOf = (res: LightMyRequestResponse): string => res.json().order_id ?? res.json().order.id

/** Row counts of every table an order writes to. */
async function counts(): Promise<Record<string, number>> {
  const tables = [
    'orders',
    'ledger_entries',
    'jobs',
    'idempotency_keys',
    'events',
    'payments',
    'servers',
    'server_addons',
    'plesk_subscriptions',
    'service_periods',
  ] as const
  const out: Record<string, number> = {}
  for (const t of tables) {
    const r = await env.deps.db
      .selectFrom(t)
      .select(eb => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    out[t] = Number(r.n)
  }
  return out
}

async function newServer(key: string, userId: string, plan = '5'): Promise<string> {
  const res = await place(key, 'create_order', {
    user_id: userId,
    plan_id: plan,
    os_image_id: '13',
    location: 'Slovenia',
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(await env.settle(res.json().order_id), 'completed')
  return res.json().server_status.new_id
}

async function withClient(balance = '500.00') {
  const u = await env.user(balance)
  const clientId = newUuid()
  await env.deps.db
    .insertInto('plesk_clients')
    .values({
      id: clientId,
      user_id: u.id,
      name: 'Quote Client',
      login: `q${clientId.slice(0, 8)}`,
      email: `${clientId}@test.invalid`,
    })
    .execute()
  return { ...u, clientId }
}

let seq = 0
const pleskBody = (clientId: string, plan = PLESK_BASIC, months: number | string = 2) => ({
  plan_id: plan,
  client_id: clientId,
  domain_name: `quote${++seq}-${newUuid().slice(0, 6)}.example.org`,
  ftp_login: `ftpq${seq}`,
  ftp_password: 'FtpPass123',
  subscription_duration: months,
  type_payment: 'balance',
})

async function withSubscription(plan = PLESK_BASIC) {
  const u = await withClient()
  const res = await place(u.key, 'create_order_plesk', pleskBody(u.clientId, plan, 1))
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(await env.settle(res.json().order.id), 'completed')
  return { ...u, subscriptionId: res.json().subscription.id as string }
}

/** Quote, check that nothing changed, place the same order, check it charged exactly the quote. */
async function quoteThenPlace(key: string, endpoint: Endpoint, order: Record<string, unknown>, kind: string) {
  const before = await counts()
  const q = await quote(key, endpoint, order)
  assert.equal(q.statusCode, 200, q.body)
  const body = q.json()
  assert.equal(body.success, true)
  assert.equal(body.quote.kind, kind)
  assert.equal(body.quote.currency, 'EUR')
  assert.deepEqual(await counts(), before, `${kind}: the quote wrote nothing`)
  const sum = body.quote.lines.reduce((s: number, l: { amount: string }) => s + Math.round(Number(l.amount) * 100), 0)
  assert.equal(formatAmount(BigInt(sum)), body.quote.amount, `${kind}: the lines add up to the amount`)
  const res = await place(key, endpoint, order)
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(await debited(orderIdOf(res)), body.quote.amount, `${kind}: debited exactly the quote`)
  return { quote: body.quote, order: res }
}

// ---------------------------------------------------------------- every kind, quote = charge

test('new server: the quote is the debit, the expiry one term ahead, the balance as it was', async () => {
  const u = await env.user('50.00')
  const order = { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' }
  const { quote: q, order: res } = await quoteThenPlace(u.key, 'create_order', order, 'server_new')
  assert.equal(q.amount, '12.99')
  assert.equal(q.balance, '50.00')
  assert.equal(q.balance_sufficient, true)
  assert.equal(q.upgrade_difference, null)
  assert.equal(q.current_expiry, null)
  assert.equal(q.new_expiry, new Date(T0.getTime() + 720 * HOUR).toISOString())
  assert.equal(res.json().balance_before, q.balance)
})

test('change of plan, up and down, part-way through the term: the quote is the debit', async () => {
  const u = await env.user('500.00')
  const server = await newServer(u.key, u.id, '5')
  env.clock.current = new Date(T0.getTime() + 123 * HOUR + 4567_000)
  try {
    const expiry = new Date(T0.getTime() + 720 * HOUR)
    const up = await quoteThenPlace(
      u.key,
      'create_order',
      { user_id: u.id, server_id: server, plan_id: '11' },
      'server_change_plan',
    )
    assert.equal(up.quote.current_expiry, expiry.toISOString())
    assert.notEqual(up.quote.upgrade_difference, null)
    assert.ok(Number(up.quote.upgrade_difference) > 0)
    assert.equal(up.order.json().upgrade_difference, Number(up.quote.upgrade_difference))
    await env.settle(up.order.json().order_id)
    // Down to the cheapest plan: the new term's price absorbs the negative difference, the rest is credited.
    const down = await quoteThenPlace(
      u.key,
      'create_order',
      { user_id: u.id, server_id: server, plan_id: '3' },
      'server_change_plan',
    )
    assert.ok(Number(down.quote.upgrade_difference) < 0)
    await env.settle(down.order.json().order_id)
  } finally {
    env.clock.current = T0
  }
})

test('extension, also of a suspended server: the quote is the debit and the new expiry what the order sets', async () => {
  const u = await env.user('500.00')
  const server = await newServer(u.key, u.id, '7')
  const ext = await quoteThenPlace(
    u.key,
    'create_order',
    { user_id: u.id, server_id: server, hours: '37' },
    'server_extend',
  )
  const after = await env.deps.db
    .selectFrom('servers')
    .select('expire_date')
    .where('id', '=', server)
    .executeTakeFirstOrThrow()
  assert.equal(ext.quote.new_expiry, after.expire_date.toISOString())
  await env.deps.db
    .updateTable('servers')
    .set({ status: 'suspended', expire_date: new Date(T0.getTime() - 5 * HOUR) })
    .where('id', '=', server)
    .execute()
  const susp = await quoteThenPlace(
    u.key,
    'create_order',
    { user_id: u.id, server_id: server, hours: 5 },
    'server_extend',
  )
  assert.equal(susp.quote.new_expiry, new Date(T0.getTime() + 5 * HOUR).toISOString(), 'an expired term grows from now')
  await env.settle(susp.order.json().order_id).catch(() => {})
  await env.runner.drain()
})

test('addon: the quote is the debit, the expiry stays the server’s', async () => {
  const u = await env.user('100.00')
  const server = await newServer(u.key, u.id)
  const { quote: q } = await quoteThenPlace(
    u.key,
    'create_order_addon',
    { user_id: u.id, addon_id: ADDON_ID, server_id: server },
    'addon',
  )
  assert.equal(q.current_expiry, q.new_expiry)
  await env.runner.drain()
})

test('Plesk: new order, renewal, upgrade part-way through the term: the quote is the debit', async () => {
  const c = await withClient()
  await quoteThenPlace(c.key, 'create_order_plesk', pleskBody(c.clientId, PLESK_BASIC, '3'), 'plesk_new')
  await env.runner.drain()
  const s = await withSubscription()
  const renew = { subscription_id: s.subscriptionId, months: 4, type_payment: 'balance' }
  const r = await quoteThenPlace(s.key, 'create_order_scale_plesk', renew, 'plesk_renew')
  assert.equal(r.quote.upgrade_difference, null)
  await env.settle(r.order.json().order.id)
  env.clock.current = new Date(T0.getTime() + 200 * HOUR + 17_000)
  try {
    const upgrade = { subscription_id: s.subscriptionId, new_plan_id: PLESK_PRO, months: '2', type_payment: 'balance' }
    const u = await quoteThenPlace(s.key, 'create_order_scale_plesk', upgrade, 'plesk_upgrade')
    assert.ok(Number(u.quote.upgrade_difference) > 0)
    await env.settle(u.order.json().order.id)
  } finally {
    env.clock.current = T0
  }
})

test('crypto: the same amount as the balance quote, and the invoice of the order placed after it', async () => {
  const u = await env.user('20.00')
  const server = await newServer(u.key, u.id)
  const order = { user_id: u.id, server_id: server, hours: 700 }
  const byBalance = await quote(u.key, 'create_order', order)
  const byCrypto = await quote(u.key, 'create_order', { ...order, type_payment: 'crypto' })
  assert.equal(byCrypto.statusCode, 200, byCrypto.body)
  assert.equal(byCrypto.json().quote.amount, byBalance.json().quote.amount)
  assert.equal(byCrypto.json().quote.balance_sufficient, false)
  const res = await place(u.key, 'create_order', { ...order, type_payment: 'crypto' })
  assert.equal(res.statusCode, 200, res.body)
  const payment = await env.deps.db
    .selectFrom('payments')
    .select('amount_cents')
    .where('order_id', '=', res.json().order_id)
    .executeTakeFirstOrThrow()
  assert.equal(formatAmount(payment.amount_cents), byCrypto.json().quote.amount)
})

test('a balance that does not cover it: 200 with balance_sufficient false, where the order is a 402', async () => {
  const u = await env.user('1.00')
  const order = { user_id: u.id, plan_id: '7', os_image_id: '13', location: 'Slovenia' }
  const q = await quote(u.key, 'create_order', order)
  assert.equal(q.statusCode, 200, q.body)
  assert.deepEqual(
    [q.json().quote.amount, q.json().quote.balance, q.json().quote.balance_sufficient],
    ['29.99', '1.00', false],
  )
  assertError(await place(u.key, 'create_order', order), 402, 'insufficient_balance')
})

// ---------------------------------------------------------------- refusals the order makes

test('an open order on the server: 409 naming it, for every kind on that server', async () => {
  const u = await env.user('20.00')
  const server = await newServer(u.key, u.id)
  const pending = await place(u.key, 'create_order', {
    user_id: u.id,
    server_id: server,
    hours: 10,
    type_payment: 'crypto',
  })
  assert.equal(pending.statusCode, 200, pending.body)
  const pendingId = pending.json().order_id as string
  const before = await counts()
  for (const [endpoint, order] of [
    ['create_order', { user_id: u.id, server_id: server, hours: 3 }],
    ['create_order', { user_id: u.id, server_id: server, plan_id: '7' }],
    ['create_order_addon', { user_id: u.id, addon_id: ADDON_ID, server_id: server }],
  ] as const) {
    const res = await quote(u.key, endpoint, order)
    inCase(JSON.stringify(order), () => {
      assertError(res, 409, 'invalid_state')
      assert.equal(res.json().error.pending_order_id, pendingId)
      assert.ok(res.json().message.includes(pendingId), res.body)
    })
  }
  assert.deepEqual(await counts(), before)
})

test('an overdue unpaid order: the quote prices past it without cancelling it; the order then cancels it and charges the quote', async () => {
  const u = await env.user('300.00')
  const server = await newServer(u.key, u.id)
  const pending = await place(u.key, 'create_order', {
    user_id: u.id,
    server_id: server,
    plan_id: '7',
    type_payment: 'crypto',
  })
  assert.equal(pending.statusCode, 200, pending.body)
  const pendingId = pending.json().order_id as string
  env.clock.current = new Date(T0.getTime() + 2 * HOUR)
  try {
    const status = async () =>
      (await env.deps.db.selectFrom('orders').select('status').where('id', '=', pendingId).executeTakeFirstOrThrow())
        .status
    const order = { user_id: u.id, server_id: server, plan_id: '11' }
    const q = await quote(u.key, 'create_order', order)
    assert.equal(q.statusCode, 200, q.body)
    assert.equal(await status(), 'pending_payment', 'the quote cancelled nothing')
    const serverRow = await env.deps.db
      .selectFrom('servers')
      .select('status')
      .where('id', '=', server)
      .executeTakeFirstOrThrow()
    assert.equal(serverRow.status, 'resizing', 'the server is still held by the unpaid order')
    const res = await place(u.key, 'create_order', order)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(await status(), 'cancelled')
    assert.equal(await debited(res.json().order_id), q.json().quote.amount)
    await env.settle(res.json().order_id)
  } finally {
    env.clock.current = T0
  }
})

test('a service that cannot take the order (suspended, resizing, deleted, cancelled…): the order’s 409, word for word', async () => {
  const u = await env.user('100.00')
  const server = await newServer(u.key, u.id)
  const bodies = [
    ['create_order', { user_id: u.id, server_id: server, plan_id: '7' }],
    ['create_order', { user_id: u.id, server_id: server, hours: 3 }],
    ['create_order_addon', { user_id: u.id, addon_id: ADDON_ID, server_id: server }],
  ] as const
  const before = await counts()
  for (const status of ['suspended', 'resizing', 'deleted', 'cancelled', 'provision_failed', 'provisioning'] as const) {
    await env.deps.db.updateTable('servers').set({ status }).where('id', '=', server).execute()
    for (const [endpoint, order] of bodies) {
      if (status === 'suspended' && 'hours' in order) continue // an extension resumes a suspended server
      const q = await quote(u.key, endpoint, order)
      const o = await place(u.key, endpoint, order)
      inCase(`${status} ${JSON.stringify(order)}`, () => {
        assertError(q, 409, 'invalid_state')
        assertError(o, 409, 'invalid_state')
        assert.equal(q.json().message, o.json().message)
      })
    }
  }
  const s = await withSubscription()
  for (const status of ['deleted', 'cancelled', 'provision_failed', 'renewing'] as const) {
    await env.deps.db.updateTable('plesk_subscriptions').set({ status }).where('id', '=', s.subscriptionId).execute()
    const order = { subscription_id: s.subscriptionId, months: 1, type_payment: 'balance' }
    const q = await quote(s.key, 'create_order_scale_plesk', order)
    const o = await place(s.key, 'create_order_scale_plesk', order)
    inCase(`subscription ${status}`, () => {
      assertError(q, 409, 'invalid_state')
      assertError(o, 409, 'invalid_state')
      assert.equal(q.json().message, o.json().message)
    })
  }
  const after = await counts()
  assert.equal(after.orders, before.orders! + 1, 'no order but the subscription’s own was placed')
  const same = await quote(u.key, 'create_order', { user_id: u.id, server_id: server, plan_id: '5' })
  assertError(same, 400, 'validation_error', 'plan_id')
})

test("another customer's objects: 404 like missing; another user_id: 403; nothing written", async () => {
  const victim = await withSubscription()
  const server = await newServer(victim.key, victim.id)
  const me = await withClient()
  const before = await counts()
  const rows: Array<[Endpoint, Record<string, unknown>, number, string]> = [
    ['create_order', { user_id: me.id, server_id: server, plan_id: '7' }, 404, 'not_found'],
    ['create_order', { user_id: me.id, server_id: server, hours: 5 }, 404, 'not_found'],
    ['create_order', { user_id: me.id, server_id: newUuid(), hours: 5 }, 404, 'not_found'],
    ['create_order_addon', { user_id: me.id, addon_id: ADDON_ID, server_id: server }, 404, 'not_found'],
    ['create_order_plesk', pleskBody(victim.clientId), 404, 'not_found'],
    [
      'create_order_scale_plesk',
      { subscription_id: victim.subscriptionId, months: 1, type_payment: 'balance' },
      404,
      'not_found',
    ],
    ['create_order', { user_id: victim.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' }, 403, 'forbidden'],
    ['create_order', { user_id: victim.id, server_id: server, hours: 5 }, 403, 'forbidden'],
    ['create_order_addon', { user_id: victim.id, addon_id: ADDON_ID, server_id: server }, 403, 'forbidden'],
  ]
  for (const [endpoint, order, status, code] of rows) {
    const q = await quote(me.key, endpoint, order)
    const o = await place(me.key, endpoint, order)
    inCase(`${endpoint} ${JSON.stringify(order)}`, () => {
      assertError(q, status, code)
      assertError(o, status, code)
      assert.ok(!q.body.includes(victim.id) || JSON.stringify(order).includes(victim.id), 'nothing leaks')
    })
  }
  assert.deepEqual(await counts(), before)
})

test('an Idempotency-Key on a quote is not stored: the same key then places the order', async () => {
  const u = await env.user('100.00')
  const order = { user_id: u.id, plan_id: '3', os_image_id: '13', location: 'Slovenia' }
  const q = await quote(u.key, 'create_order', order, { 'idempotency-key': 'quote-key-1' })
  assert.equal(q.statusCode, 200, q.body)
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: order,
    headers: { 'idempotency-key': 'quote-key-1' },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(await debited(res.json().order_id), q.json().quote.amount)
  await env.runner.drain()
})

test('quotes racing an order on the same server: each answers the price the order charged, or 409 naming it', async () => {
  const u = await env.user('500.00')
  const server = await newServer(u.key, u.id)
  const order = { user_id: u.id, server_id: server, plan_id: '7' }
  const before = await counts()
  const [placed, ...quotes] = await Promise.all([
    place(u.key, 'create_order', order),
    ...Array.from({ length: 8 }, () => quote(u.key, 'create_order', order)),
  ])
  assert.equal(placed.statusCode, 200, placed.body)
  const orderId = placed.json().order_id as string
  const amount = await debited(orderId)
  for (const q of quotes) {
    if (q.statusCode === 200) assert.equal(q.json().quote.amount, amount, q.body)
    else if (q.statusCode === 400) {
      // Quoted after the change of plan completed: the server is on plan 7 now, so the same body is invalid.
      assertError(q, 400, 'validation_error')
      assert.equal(q.json().error.field, 'plan_id')
    } else {
      assertError(q, 409, 'invalid_state')
      assert.equal(q.json().error.pending_order_id, orderId)
    }
  }
  await env.settle(orderId)
  const after = await counts()
  assert.equal(after.orders, before.orders! + 1, 'only the order wrote an order')
  assert.equal(after.idempotency_keys, before.idempotency_keys)
})

// ---------------------------------------------------------------- bad input

test('bad bodies: 400 with a stable code and the field, nothing written', async () => {
  const u = await withClient()
  const before = await counts()
  const srv = { user_id: u.id, server_id: newUuid() }
  const rows: Array<[string, unknown, string, string | undefined]> = [
    ['unknown endpoint', { endpoint: 'create_order_vps', order: { user_id: u.id } }, 'validation_error', 'endpoint'],
    ['endpoint missing', { order: { user_id: u.id } }, 'validation_error', 'endpoint'],
    ['order missing', { endpoint: 'create_order' }, 'validation_error', 'order'],
    ['order not an object', { endpoint: 'create_order', order: [1] }, 'validation_error', 'order'],
    ['order a string', { endpoint: 'create_order', order: 'plan_id=5' }, 'validation_error', 'order'],
    ['extra top-level field', { endpoint: 'create_order', order: { ...srv, hours: 1 }, x: 1 }, 'unknown_field', 'x'],
    [
      'user_id missing',
      { endpoint: 'create_order', order: { server_id: srv.server_id, hours: 1 } },
      'validation_error',
      'user_id',
    ],
    [
      'new server fields missing',
      { endpoint: 'create_order', order: { user_id: u.id, plan_id: '5' } },
      'validation_error',
      'os_image_id',
    ],
    [
      'ambiguous',
      { endpoint: 'create_order', order: { ...srv, hours: 1, plan_id: '7' } },
      'ambiguous_request',
      undefined,
    ],
    [
      'unknown field in order',
      { endpoint: 'create_order', order: { ...srv, hours: 1, foo: 1 } },
      'unknown_field',
      'foo',
    ],
    [
      'another endpoint’s body',
      { endpoint: 'create_order', order: pleskBody(u.clientId) },
      'validation_error',
      'user_id',
    ],
    [
      'NUL in a field',
      { endpoint: 'create_order', order: { ...srv, server_id: 'a\u0000b', hours: 1 } },
      'validation_error',
      'order.server_id',
    ],
    ['NUL in a key', { endpoint: 'create_order', order: { ...srv, 'hours\u0000': 1 } }, 'validation_error', undefined],
    ['huge hours', { endpoint: 'create_order', order: { ...srv, hours: 1e30 } }, 'validation_error', 'hours'],
    [
      'huge hours string',
      { endpoint: 'create_order', order: { ...srv, hours: '99999999' } },
      'validation_error',
      'hours',
    ],
    ['hours 0', { endpoint: 'create_order', order: { ...srv, hours: 0 } }, 'validation_error', 'hours'],
    ['hours fractional', { endpoint: 'create_order', order: { ...srv, hours: 1.5 } }, 'validation_error', 'hours'],
    [
      'huge months',
      {
        endpoint: 'create_order_scale_plesk',
        order: { subscription_id: 's', months: 2 ** 60, type_payment: 'balance' },
      },
      'validation_error',
      'months',
    ],
    [
      'months 37',
      { endpoint: 'create_order_scale_plesk', order: { subscription_id: 's', months: '37', type_payment: 'balance' } },
      'validation_error',
      'months',
    ],
    [
      'duration 4',
      { endpoint: 'create_order_plesk', order: { ...pleskBody(u.clientId), subscription_duration: '4' } },
      'validation_error',
      'subscription_duration',
    ],
    [
      'long domain',
      { endpoint: 'create_order_plesk', order: { ...pleskBody(u.clientId), domain_name: 'a'.repeat(300) } },
      'validation_error',
      'domain_name',
    ],
    [
      'bad type_payment',
      {
        endpoint: 'create_order_addon',
        order: { user_id: u.id, addon_id: ADDON_ID, server_id: 's', type_payment: 'card' },
      },
      'validation_error',
      'type_payment',
    ],
  ]
  for (const [name, body, code, field] of rows) {
    const res = await env.request({ url: QUOTE, key: u.key, body })
    inCase(name, () => assertError(res, 400, code, field))
  }
  const form = await env.request({
    url: QUOTE,
    key: u.key,
    rawBody: 'endpoint=create_order&order=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  assertError(form, 400, 'validation_error', 'order')
  assert.deepEqual(await counts(), before)
})

test('no key: 401', async () => {
  const res = await env.request({ url: QUOTE, body: { endpoint: 'create_order', order: {} } })
  assertError(res, 401, 'unauthorized')
})
