/**
 * POST /API/orders/create_order_plesk and /API/orders/create_order_scale_plesk
 * (docs/0xhost-compat.md 3.25, 3.26): the docs' examples with the demo key, proration onto another plan, a table of
 * errors, and security (no FTP password echoed or stored, other users' clients and subscriptions).
 * The first two tests replay the docs' sequence with the demo key, so they must stay first.
 */
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_SUBSCRIPTION_ID, DEMO_USER_ID } from '../../src/seed/seed-demo.ts'
import { newUuid } from '../../src/lib/ids.ts'
import { assertError, inCase, unauthorizedBody } from '../assertions.ts'

const CREATE = '/API/orders/create_order_plesk'
const SCALE = '/API/orders/create_order_scale_plesk'
const PLAN_BASIC = 'plan123-4567-8901-2345-678901234567'
const PLAN_PLUS = 'plan234-5678-9012-3456-789012345678'
const PLAN_PRO = 'plan345-6789-0123-4567-890123456789'
const FTP_PASSWORD = 'FtpPass123'
const DOCS_CREATE = {
  plan_id: PLAN_BASIC,
  client_id: DEMO_CLIENT_ID,
  domain_name: 'example.com',
  ftp_login: 'ftp_user',
  ftp_password: FTP_PASSWORD,
  subscription_duration: '1',
  type_payment: 'balance',
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TERM_S = 720n * 3600n

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
afterEach(() => {
  env.clock.current = null
})

/** Calendar months in UTC, the day clamped to the month's end; written apart from pricing.ts on purpose. */
function plusMonths(d: Date, months: number): Date {
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(d.getUTCDate(), lastDay),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  )
}

function roundUp(num: bigint, den: bigint): bigint {
  return num >= 0n ? (num + den - 1n) / den : -(-num / den)
}

const euros = (c: bigint): string => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`
const fmt = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ')

async function balanceCents(userId: string): Promise<bigint> {
  return (
    await env.deps.db.selectFrom('users').select('balance_cents').where('id', '=', userId).executeTakeFirstOrThrow()
  ).balance_cents
}

async function ledgerSum(userId: string): Promise<bigint> {
  const rows = await env.deps.db
    .selectFrom('ledger_entries')
    .select('delta_cents')
    .where('user_id', '=', userId)
    .execute()
  return rows.reduce((s, r) => s + r.delta_cents, 0n)
}

async function subscription(id: string) {
  return env.deps.db.selectFrom('plesk_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** The fake Plesk's webspace for a domain, with its plan's name. */
function webspace(domain: string) {
  const plesk = env.providers.fakes.plesk!
  const ws = plesk.webspaces().find(w => w.name === domain)
  assert.ok(ws, `the fake Plesk has ${domain}`)
  return { ...ws, planName: plesk.plans().find(p => p.guid === ws.planGuid)?.name }
}

async function snapshot(...userIds: string[]) {
  const db = env.deps.db
  const per = await Promise.all(
    userIds.map(async id => ({
      balance: String(await balanceCents(id)),
      ledger: (await db.selectFrom('ledger_entries').select('id').where('user_id', '=', id).execute()).length,
      orders: (await db.selectFrom('orders').select('id').where('user_id', '=', id).execute()).length,
      subs: (
        await db
          .selectFrom('plesk_subscriptions')
          .select(['id', 'status', 'plan_id', 'expires_at'])
          .where('user_id', '=', id)
          .orderBy('id')
          .execute()
      ).map(s => ({ ...s, expires_at: s.expires_at.toISOString() })),
    })),
  )
  return {
    per,
    jobs: (await db.selectFrom('jobs').select('id').execute()).length,
    webspaces: env.providers.fakes.plesk!.webspaces().length,
  }
}

/** A fresh user with `balance` and a Plesk client of their own. */
async function userWithClient(balance = '100.00') {
  const u = await env.user(balance)
  const clientId = newUuid()
  await env.deps.db
    .insertInto('plesk_clients')
    .values({
      id: clientId,
      user_id: u.id,
      name: 'Test Client',
      login: `c${clientId.slice(0, 8)}`,
      email: `${clientId}@test.invalid`,
    })
    .execute()
  return { ...u, clientId }
}

let domainSeq = 0
const freshDomain = (): string => `site${++domainSeq}-${newUuid().slice(0, 6)}.example.org`

/** A fresh user whose subscription was bought through the API, on `planId`, at the current business clock. */
async function userWithSubscription(balance = '100.00', planId = PLAN_BASIC) {
  const u = await userWithClient(balance)
  const domain = freshDomain()
  const res = await env.request({
    url: CREATE,
    key: u.key,
    body: { ...DOCS_CREATE, plan_id: planId, client_id: u.clientId, domain_name: domain, subscription_duration: 1 },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().order.status, 'completed', res.body)
  return { ...u, domain, subscriptionId: res.json().subscription.id as string }
}

// ---------------------------------------------------------------- happy

test('create: the docs example (3.25 Plesk order) with the demo key; the FTP password is never echoed nor stored', async () => {
  env.clock.current = new Date('2025-03-20T10:30:00Z')
  const res = await env.request({
    url: CREATE,
    key: DEMO_API_KEY,
    body: DOCS_CREATE,
    headers: { 'idempotency-key': 'plesk-docs-create-1' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.deepEqual(Object.keys(b), ['success', 'message', 'order', 'subscription', 'balance_after'])
  assert.equal(b.success, true)
  assert.equal(b.message, 'Plesk order created successfully')
  assert.deepEqual(Object.keys(b.order), ['id', 'order_number', 'status', 'amount', 'currency'])
  assert.match(b.order.id, UUID)
  assert.match(b.order.order_number, /^PLK_\d{8}_\d{6}$/)
  assert.match(b.order.order_number, /^PLK_20250320_/)
  assert.equal(b.order.status, 'completed')
  assert.equal(b.order.amount, '9.99')
  assert.equal(b.order.currency, 'EUR')
  assert.deepEqual(Object.keys(b.subscription), ['id', 'domain_name', 'status', 'expires_at'])
  assert.match(b.subscription.id, UUID)
  assert.equal(b.subscription.domain_name, 'example.com')
  assert.equal(b.subscription.status, 'active')
  assert.equal(b.subscription.expires_at, '2025-04-20 10:30:00')
  assert.equal(b.balance_after, '3386.53')
  assert.equal(await balanceCents(DEMO_USER_ID), 339652n - 999n)
  assert.equal(await ledgerSum(DEMO_USER_ID), 339652n - 999n)

  const sub = await subscription(b.subscription.id)
  assert.equal(sub.status, 'active')
  assert.equal(sub.plan_id, PLAN_BASIC)
  assert.equal(sub.ftp_login, 'ftp_user')
  assert.equal(sub.expires_at.toISOString(), '2025-04-20T10:30:00.000Z')
  const ws = webspace('example.com')
  assert.equal(ws.planName, 'Basic')
  assert.equal(ws.ftpLogin, 'ftp_user')
  assert.equal(ws.hasFtpPassword, true)
  assert.equal(env.providers.fakes.plesk!.verifyFtpPassword('example.com', FTP_PASSWORD), true)
  assert.equal(ws.expiration, Date.parse('2025-04-20T10:30:00Z') / 1000)
  assert.equal(sub.plesk_webspace_id, ws.id)
  const owner = env.providers.fakes.plesk!.customers().find(c => c.id === ws.ownerId)
  assert.equal(owner?.externalId, DEMO_CLIENT_ID)

  // Never echoed, never stored: not in the response, nor in any column of the tables an order touches.
  assert.ok(!res.body.includes(FTP_PASSWORD), 'the response echoes the FTP password')
  const db = env.deps.db
  const tables = {
    orders: await db.selectFrom('orders').selectAll().execute(),
    plesk_subscriptions: await db.selectFrom('plesk_subscriptions').selectAll().execute(),
    plesk_clients: await db.selectFrom('plesk_clients').selectAll().execute(),
    jobs: await db.selectFrom('jobs').selectAll().execute(),
    job_steps: await db.selectFrom('job_steps').selectAll().execute(),
    job_secrets: await db.selectFrom('job_secrets').selectAll().execute(),
    idempotency_keys: await db.selectFrom('idempotency_keys').selectAll().execute(),
    ledger_entries: await db.selectFrom('ledger_entries').selectAll().execute(),
    audit_log: await db.selectFrom('audit_log').selectAll().execute(),
  }
  assert.equal(tables.idempotency_keys.length, 1, 'the idempotency record (with its stored response) was checked')
  for (const [name, rows] of Object.entries(tables)) {
    const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))
    assert.ok(!text.includes(FTP_PASSWORD), `${name} holds the FTP password`)
  }
})

test('scale: the docs example (3.26 Plesk renewal) with the demo key: 3 months onto plan234, 29.97', async () => {
  const before = await subscription(DEMO_SUBSCRIPTION_ID)
  assert.equal(before.status, 'active')
  assert.equal(before.plan_id, PLAN_BASIC)
  const res = await env.request({
    url: SCALE,
    key: DEMO_API_KEY,
    body: { subscription_id: DEMO_SUBSCRIPTION_ID, new_plan_id: PLAN_PLUS, months: '3', type_payment: 'balance' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.deepEqual(Object.keys(b), ['success', 'message', 'order', 'subscription', 'balance_after'])
  assert.equal(b.success, true)
  assert.equal(b.message, 'Subscription renewed successfully')
  assert.deepEqual(Object.keys(b.order), ['id', 'order_number', 'status', 'amount', 'currency'])
  assert.match(b.order.order_number, /^PLK_RENEW_\d{8}_\d{6}$/)
  assert.equal(b.order.status, 'completed')
  assert.equal(b.order.amount, '29.97')
  assert.equal(b.order.currency, 'EUR')
  // The docs' fields plus `status`.
  assert.deepEqual(Object.keys(b.subscription), ['id', 'domain_name', 'new_expires_at', 'months_added', 'status'])
  assert.equal(b.subscription.id, DEMO_SUBSCRIPTION_ID)
  assert.equal(b.subscription.domain_name, 'example.net')
  const newExpiry = plusMonths(before.expires_at, 3)
  assert.equal(b.subscription.new_expires_at, fmt(newExpiry))
  assert.equal(b.subscription.months_added, 3)
  assert.equal(b.subscription.status, 'active')
  assert.equal(b.balance_after, '3356.56')
  assert.equal(await balanceCents(DEMO_USER_ID), 339652n - 999n - 2997n)
  assert.equal(await ledgerSum(DEMO_USER_ID), 339652n - 999n - 2997n)

  const sub = await subscription(DEMO_SUBSCRIPTION_ID)
  assert.equal(sub.plan_id, PLAN_PLUS)
  assert.equal(sub.status, 'active')
  assert.equal(sub.expires_at.getTime(), newExpiry.getTime())
  const ws = webspace('example.net')
  assert.equal(ws.planName, 'Standard', 'the plan was switched at Plesk')
  assert.equal(ws.expiration, Math.floor(newExpiry.getTime() / 1000))
})

test('scale onto plan345: the remaining term prorated to the second, rounded up, plus months × new price', async () => {
  env.clock.current = new Date('2025-03-20T10:30:00Z')
  const u = await userWithSubscription()
  const expires = (await subscription(u.subscriptionId)).expires_at
  assert.equal(expires.toISOString(), '2025-04-20T10:30:00.000Z')
  // R = 2592 × 700 + 1296 s: 1000 × R / 2 592 000 = 700.5 cents exactly → 701 rounded up.
  const remaining = 2592n * 700n + 1296n
  env.clock.current = new Date(expires.getTime() - Number(remaining) * 1000)
  const diff = roundUp((1999n - 999n) * remaining, TERM_S)
  assert.equal(diff, 701n)
  const amount = 2n * 1999n + diff

  const res = await env.request({
    url: SCALE,
    key: u.key,
    body: { subscription_id: u.subscriptionId, new_plan_id: PLAN_PRO, months: 2, type_payment: 'balance' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.order.amount, euros(amount))
  assert.equal(b.order.amount, '46.99')
  assert.equal(b.order.status, 'completed')
  assert.equal(b.subscription.months_added, 2)
  assert.equal(b.subscription.new_expires_at, '2025-06-20 10:30:00')
  assert.equal(b.balance_after, euros(10000n - 999n - amount))
  assert.equal(await balanceCents(u.id), 10000n - 999n - amount)
  assert.equal(await ledgerSum(u.id), 10000n - 999n - amount)
  const order = await env.deps.db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', b.order.id)
    .executeTakeFirstOrThrow()
  assert.equal(order.upgrade_difference_cents, diff)
  assert.equal(order.amount_cents, amount)
  assert.equal(order.months, 2)
  const sub = await subscription(u.subscriptionId)
  assert.equal(sub.plan_id, PLAN_PRO)
  assert.equal(sub.expires_at.toISOString(), '2025-06-20T10:30:00.000Z')
  assert.equal(webspace(u.domain).planName, 'Pro')

  // Months as a numeric string, no plan change: the Pro price × months, from the current expiry.
  const again = await env.request({
    url: SCALE,
    key: u.key,
    body: { subscription_id: u.subscriptionId, months: '2', type_payment: 'balance' },
  })
  assert.equal(again.statusCode, 200, again.body)
  assert.equal(again.json().order.amount, '39.98')
  assert.equal(again.json().subscription.months_added, 2)
  assert.equal(again.json().subscription.new_expires_at, '2025-08-20 10:30:00')
  assert.equal(webspace(u.domain).planName, 'Pro')
  assert.equal(await balanceCents(u.id), 10000n - 999n - amount - 3998n)
})

test('create: 2 and 3 months cost 2× and 3× the monthly price; a month-end date is clamped', async () => {
  env.clock.current = new Date('2025-01-31T12:00:00Z')
  const u = await userWithClient()
  const cases = [
    [2, '19.98', '2025-03-31 12:00:00'],
    ['3', '29.97', '2025-04-30 12:00:00'],
  ] as const
  let balance = 10000n
  for (const [months, amount, expires] of cases) {
    const res = await env.request({
      url: CREATE,
      key: u.key,
      body: { ...DOCS_CREATE, client_id: u.clientId, domain_name: freshDomain(), subscription_duration: months },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().order.amount, amount)
    assert.equal(res.json().subscription.expires_at, expires)
    balance -= 999n * BigInt(months)
    assert.equal(res.json().balance_after, euros(balance))
  }
  assert.equal(plusMonths(new Date('2025-01-31T12:00:00Z'), 1).toISOString(), '2025-02-28T12:00:00.000Z')
})

test('scale: a downgrade never charges a negative amount; the rest is credited when Plesk has switched', async () => {
  env.clock.current = new Date('2025-03-01T00:00:00Z')
  const u = await userWithSubscription('100.00', PLAN_PRO)
  assert.equal(await balanceCents(u.id), 10000n - 1999n)
  // March has 31 days: R = 2 678 400 s; −1000 × R / 2 592 000 = −1033.33 → −1033; 9.99 − 10.33 = −0.34.
  const remaining = 31n * 86400n
  const diff = roundUp((999n - 1999n) * remaining, TERM_S)
  assert.equal(diff, -1033n)
  const credit = -(999n + diff)
  assert.equal(credit, 34n)
  const res = await env.request({
    url: SCALE,
    key: u.key,
    body: { subscription_id: u.subscriptionId, new_plan_id: PLAN_BASIC, months: '1', type_payment: 'balance' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.order.amount, '0.00')
  assert.equal(b.order.status, 'completed')
  assert.equal(b.subscription.new_expires_at, '2025-05-01 00:00:00')
  assert.equal(b.balance_after, euros(10000n - 1999n + credit))
  assert.equal(await balanceCents(u.id), 10000n - 1999n + credit)
  assert.equal(await ledgerSum(u.id), 10000n - 1999n + credit)
  const ledger = await env.deps.db
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents'])
    .where('order_id', '=', b.order.id)
    .execute()
  assert.deepEqual(ledger, [{ kind: 'downgrade_credit', delta_cents: credit }])
  assert.equal(webspace(u.domain).planName, 'Basic')
})

test('scale: an expired subscription renews from now and is re-activated at Plesk', async () => {
  env.clock.current = new Date('2025-03-20T10:30:00Z')
  const u = await userWithSubscription()
  const now = new Date('2025-05-10T08:00:00Z')
  env.clock.current = now
  await env.deps.db
    .updateTable('plesk_subscriptions')
    .set({ status: 'expired' })
    .where('id', '=', u.subscriptionId)
    .execute()
  const res = await env.request({
    url: SCALE,
    key: u.key,
    body: { subscription_id: u.subscriptionId, months: 1, type_payment: 'balance' },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().order.amount, '9.99')
  assert.equal(res.json().subscription.new_expires_at, '2025-06-10 08:00:00')
  assert.equal(res.json().subscription.status, 'active')
  const sub = await subscription(u.subscriptionId)
  assert.equal(sub.status, 'active')
  assert.equal(sub.expires_at.toISOString(), '2025-06-10T08:00:00.000Z')
  assert.equal(webspace(u.domain).expiration, Date.parse('2025-06-10T08:00:00Z') / 1000)
})

test('create: Plesk refuses the subscription → failed, refunded, success:false, and the domain is free again', async () => {
  const u = await userWithClient()
  const domain = freshDomain()
  const plesk = env.providers.fakes.plesk!
  plesk.injectFault({ operation: 'webspace.add', fault: 'error', times: 5 })
  let res
  try {
    res = await env.request({
      url: CREATE,
      key: u.key,
      body: { ...DOCS_CREATE, client_id: u.clientId, domain_name: domain },
    })
  } finally {
    plesk.clearFaults()
  }
  assert.equal(res.statusCode, 200, res.body)
  const b = res.json()
  assert.equal(b.success, false)
  assert.equal(b.error.code, 'provision_failed')
  assert.equal(b.message, b.error.message)
  assert.equal(b.order.status, 'failed')
  assert.equal(b.subscription.status, 'provision_failed')
  assert.ok(!res.body.includes(FTP_PASSWORD))
  assert.equal(await balanceCents(u.id), 10000n)
  assert.equal(await ledgerSum(u.id), 10000n)
  const ledger = await env.deps.db
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents'])
    .where('order_id', '=', b.order.id)
    .orderBy('created_at')
    .execute()
  assert.deepEqual(ledger, [
    { kind: 'order_debit', delta_cents: -999n },
    { kind: 'refund', delta_cents: 999n },
  ])
  assert.equal(
    plesk.webspaces().some(w => w.name === domain),
    false,
  )

  const retry = await env.request({
    url: CREATE,
    key: u.key,
    body: { ...DOCS_CREATE, client_id: u.clientId, domain_name: domain },
  })
  assert.equal(retry.statusCode, 200, retry.body)
  assert.equal(retry.json().order.status, 'completed')
  assert.equal(retry.json().balance_after, '90.01')
})

// ---------------------------------------------------------------- errors

test('create errors: a table of refused bodies, each with its code and field, and nothing written', async () => {
  const u = await userWithClient()
  const base = { ...DOCS_CREATE, client_id: u.clientId, domain_name: 'fresh-domain.example.org' }
  const long254 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`
  assert.equal(long254.length, 254)
  const cases: Array<[string, Record<string, unknown>, number, string, string?]> = [
    [
      'subscription_duration 0',
      { ...base, subscription_duration: 0 },
      400,
      'validation_error',
      'subscription_duration',
    ],
    [
      'subscription_duration 4',
      { ...base, subscription_duration: 4 },
      400,
      'validation_error',
      'subscription_duration',
    ],
    [
      'subscription_duration "x"',
      { ...base, subscription_duration: 'x' },
      400,
      'validation_error',
      'subscription_duration',
    ],
    [
      'subscription_duration "0"',
      { ...base, subscription_duration: '0' },
      400,
      'validation_error',
      'subscription_duration',
    ],
    [
      'subscription_duration "4"',
      { ...base, subscription_duration: '4' },
      400,
      'validation_error',
      'subscription_duration',
    ],
    [
      'subscription_duration 1.5',
      { ...base, subscription_duration: 1.5 },
      400,
      'validation_error',
      'subscription_duration',
    ],
    ['domain "exa mple.com"', { ...base, domain_name: 'exa mple.com' }, 400, 'validation_error', 'domain_name'],
    ['domain "-bad.com"', { ...base, domain_name: '-bad.com' }, 400, 'validation_error', 'domain_name'],
    ['domain "bad-.com"', { ...base, domain_name: 'bad-.com' }, 400, 'validation_error', 'domain_name'],
    ['domain "nodot"', { ...base, domain_name: 'nodot' }, 400, 'validation_error', 'domain_name'],
    ['domain "a..b.com"', { ...base, domain_name: 'a..b.com' }, 400, 'validation_error', 'domain_name'],
    ['domain ".com"', { ...base, domain_name: '.com' }, 400, 'validation_error', 'domain_name'],
    ['domain "example.c0m"', { ...base, domain_name: 'example.c0m' }, 400, 'validation_error', 'domain_name'],
    [
      'domain with a 64-char label',
      { ...base, domain_name: `${'a'.repeat(64)}.com` },
      400,
      'validation_error',
      'domain_name',
    ],
    ['domain "exam_ple.com"', { ...base, domain_name: 'exam_ple.com' }, 400, 'validation_error', 'domain_name'],
    ['domain 254 chars', { ...base, domain_name: long254 }, 400, 'validation_error', 'domain_name'],
    ['domain ""', { ...base, domain_name: '' }, 400, 'validation_error', 'domain_name'],
    ['ftp_login upper case', { ...base, ftp_login: 'FtpUser' }, 400, 'validation_error', 'ftp_login'],
    ['ftp_login starting with a digit', { ...base, ftp_login: '1user' }, 400, 'validation_error', 'ftp_login'],
    ['ftp_login with a space', { ...base, ftp_login: 'ftp user' }, 400, 'validation_error', 'ftp_login'],
    ['ftp_login 17 chars', { ...base, ftp_login: 'a'.repeat(17) }, 400, 'validation_error', 'ftp_login'],
    ['ftp_password too short', { ...base, ftp_password: 'Ab1' }, 400, 'validation_error', 'ftp_password'],
    ['ftp_password without a digit', { ...base, ftp_password: 'OnlyLetters' }, 400, 'validation_error', 'ftp_password'],
    ['ftp_password without a letter', { ...base, ftp_password: '1234567890' }, 400, 'validation_error', 'ftp_password'],
    ['ftp_password with a space', { ...base, ftp_password: 'Pass word123' }, 400, 'validation_error', 'ftp_password'],
    [
      'ftp_password containing the login',
      { ...base, ftp_password: 'xFTP_USER99' },
      400,
      'validation_error',
      'ftp_password',
    ],
    ['type_payment missing', { ...base, type_payment: undefined }, 400, 'validation_error', 'type_payment'],
    ['type_payment "card"', { ...base, type_payment: 'card' }, 400, 'validation_error', 'type_payment'],
    ['client_id missing', { ...base, client_id: undefined }, 400, 'validation_error', 'client_id'],
    ['domain already hosted', { ...base, domain_name: 'example.net' }, 409, 'conflict', 'domain_name'],
    ['domain already hosted, other case', { ...base, domain_name: 'EXAMPLE.NET' }, 409, 'conflict', 'domain_name'],
    ['unknown plan', { ...base, plan_id: 'plan999' }, 404, 'not_found'],
    ['unknown client', { ...base, client_id: 'client999' }, 404, 'not_found'],
    ["another user's client", { ...base, client_id: DEMO_CLIENT_ID }, 404, 'not_found'],
    // 253 characters is the longest valid name: it passes validation and reaches the plan look-up.
    ['domain 253 chars is valid', { ...base, domain_name: long254.slice(1), plan_id: 'plan999' }, 404, 'not_found'],
  ]
  const before = await snapshot(u.id, DEMO_USER_ID)
  for (const [name, body, status, code, field] of cases) {
    const res = await env.request({ url: CREATE, key: u.key, body })
    inCase(name, () => assertError(res, status, code, field))
    assert.ok(!res.body.includes(String(body.ftp_password)), `${name}: the error echoes the FTP password`)
  }
  assert.deepEqual(await snapshot(u.id, DEMO_USER_ID), before)
})

test('create errors: insufficient balance → 402 and nothing written, at Plesk either', async () => {
  const u = await userWithClient('9.98')
  const before = await snapshot(u.id)
  const res = await env.request({
    url: CREATE,
    key: u.key,
    body: { ...DOCS_CREATE, client_id: u.clientId, domain_name: freshDomain() },
  })
  assertError(res, 402, 'insufficient_balance')
  assert.equal(res.json().error.required, '9.99')
  assert.equal(res.json().error.available, '9.98')
  assert.deepEqual(await snapshot(u.id), before)
})

test('create errors: concurrent orders for one domain → one order, the others 409 conflict with nothing charged', async () => {
  const users = await Promise.all([userWithClient(), userWithClient(), userWithClient()])
  const domain = freshDomain()
  const answers = await Promise.all(
    users.map(u =>
      env.request({ url: CREATE, key: u.key, body: { ...DOCS_CREATE, client_id: u.clientId, domain_name: domain } }),
    ),
  )
  const won = answers.filter(r => r.statusCode === 200)
  assert.equal(won.length, 1, answers.map(r => r.body).join('\n'))
  for (const r of answers.filter(a => a.statusCode !== 200)) assertError(r, 409, 'conflict', 'domain_name')
  const balances = await Promise.all(users.map(u => balanceCents(u.id)))
  assert.deepEqual(
    balances.sort((a, b) => Number(a - b)),
    [9001n, 10000n, 10000n],
  )
  const live = await env.deps.db
    .selectFrom('plesk_subscriptions')
    .select('status')
    .where('domain_name', '=', domain)
    .execute()
  assert.deepEqual(live, [{ status: 'active' }])
})

test('scale errors: a table of refused bodies, each with its code, and nothing written', async () => {
  const u = await userWithSubscription()
  const base = { subscription_id: u.subscriptionId, months: 1, type_payment: 'balance' }
  const cases: Array<[string, Record<string, unknown>, number, string, string?]> = [
    ['months 0', { ...base, months: 0 }, 400, 'validation_error', 'months'],
    ['months 37', { ...base, months: 37 }, 400, 'validation_error', 'months'],
    ['months "x"', { ...base, months: 'x' }, 400, 'validation_error', 'months'],
    ['months "0"', { ...base, months: '0' }, 400, 'validation_error', 'months'],
    ['months "37"', { ...base, months: '37' }, 400, 'validation_error', 'months'],
    ['months missing', { ...base, months: undefined }, 400, 'validation_error', 'months'],
    ['type_payment missing', { ...base, type_payment: undefined }, 400, 'validation_error', 'type_payment'],
    ['unknown new plan', { ...base, new_plan_id: 'plan999' }, 404, 'not_found'],
    ['unknown subscription', { ...base, subscription_id: 'sub999' }, 404, 'not_found'],
    ["another user's subscription", { ...base, subscription_id: DEMO_SUBSCRIPTION_ID }, 404, 'not_found'],
  ]
  const before = await snapshot(u.id, DEMO_USER_ID)
  for (const [name, body, status, code, field] of cases) {
    const res = await env.request({ url: SCALE, key: u.key, body })
    inCase(name, () => assertError(res, status, code, field))
  }
  assert.deepEqual(await snapshot(u.id, DEMO_USER_ID), before)
})

test('scale errors: a subscription being renewed (or not renewable) → 409, nothing written', async () => {
  const u = await userWithSubscription()
  for (const status of ['renewing', 'provisioning', 'provision_failed'] as const) {
    await env.deps.db.updateTable('plesk_subscriptions').set({ status }).where('id', '=', u.subscriptionId).execute()
    const before = await snapshot(u.id)
    const res = await env.request({
      url: SCALE,
      key: u.key,
      body: { subscription_id: u.subscriptionId, months: 1, type_payment: 'balance' },
    })
    assertError(res, 409, 'invalid_state')
    assert.equal(res.json().error.status, status)
    assert.deepEqual(await snapshot(u.id), before)
  }
})

test('scale errors: insufficient balance → 402, the subscription stays active', async () => {
  const u = await userWithSubscription('15.00')
  const before = await snapshot(u.id)
  const res = await env.request({
    url: SCALE,
    key: u.key,
    body: { subscription_id: u.subscriptionId, months: 1, type_payment: 'balance' },
  })
  assertError(res, 402, 'insufficient_balance')
  assert.equal(res.json().error.required, '9.99')
  assert.equal(res.json().error.available, '5.01')
  assert.deepEqual(await snapshot(u.id), before)
  assert.equal((await subscription(u.subscriptionId)).status, 'active')
})

// ---------------------------------------------------------------- security

test('security: no key, unknown key and the demo key from elsewhere → identical 401s on both endpoints', async () => {
  const before = await snapshot(DEMO_USER_ID)
  const scaleBody = { subscription_id: DEMO_SUBSCRIPTION_ID, months: 1, type_payment: 'balance' }
  const answers = [
    await env.request({ url: CREATE, body: DOCS_CREATE }),
    await env.request({ url: CREATE, body: DOCS_CREATE, key: 'not-a-key' }),
    await env.request({ url: CREATE, body: DOCS_CREATE, key: DEMO_API_KEY, remoteAddress: '192.0.2.50' }),
    await env.request({ url: SCALE, body: scaleBody }),
    await env.request({ url: SCALE, body: scaleBody, key: DEMO_API_KEY, remoteAddress: '2001:db8::1' }),
  ]
  const bodies = answers.map(unauthorizedBody)
  for (const b of bodies) assert.deepEqual(b, bodies[0])
  assert.deepEqual(await snapshot(DEMO_USER_ID), before)
})

test("security: an admin key may order and renew for another user's client, who pays", async () => {
  const admin = await env.user('0', true)
  const u = await userWithClient()
  const domain = freshDomain()
  const res = await env.request({
    url: CREATE,
    key: admin.key,
    body: { ...DOCS_CREATE, client_id: u.clientId, domain_name: domain },
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().balance_after, '90.01')
  const sub = await subscription(res.json().subscription.id)
  assert.equal(sub.user_id, u.id)
  const renew = await env.request({
    url: SCALE,
    key: admin.key,
    body: { subscription_id: sub.id, months: 1, type_payment: 'balance' },
  })
  assert.equal(renew.statusCode, 200, renew.body)
  assert.equal(renew.json().balance_after, '80.02')
  assert.equal(await balanceCents(u.id), 8002n)
  assert.equal(await balanceCents(admin.id), 0n)
  const orders = await env.deps.db
    .selectFrom('orders')
    .select('user_id')
    .where('id', 'in', [res.json().order.id, renew.json().order.id])
    .execute()
  assert.deepEqual(
    orders.map(o => o.user_id),
    [u.id, u.id],
  )
})
