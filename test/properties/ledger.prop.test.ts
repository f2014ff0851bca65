import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { waitFor } from '../wait.ts'
import { adjustBalance } from '../../src/domain/billing/adjust-balance.ts'
import { auditLedger } from '../../src/domain/billing/ledger.ts'
import { AppError } from '../../src/lib/errors.ts'
import { amountAsNumber, formatAmount } from '../../src/lib/money.ts'
import {
  addHours,
  hourlyExtensionPrice,
  quotePlanChange,
  secondsUntil,
  TERM_HOURS,
} from '../../src/domain/billing/pricing.ts'

/**
 * Random sequences of money movements for one fresh user, run against a model of the balance:
 * new servers, extensions, plan changes, addons, orders the balance cannot cover, operator
 * adjustments, replays of the previous request, and provider failures that make provisioning
 * fail and refund. After every step the balance is what the model says (and never negative);
 * after every sequence the ledger explains every balance and every order nets to its outcome.
 */

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

type PlanId = '3' | '5' | '7' | '11'
const PLAN_PRICE: Record<PlanId, bigint> = { 3: 499n, 5: 1299n, 7: 2999n, 11: 6999n }
const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const ADDON_PRICE = 399n
const ORDER = '/API/orders/create_order'
const ADDON = '/API/orders/create_order_addon'

type Op =
  | { kind: 'newServer'; plan: PlanId; fail: boolean }
  | { kind: 'extend'; pick: number; hours: number }
  | { kind: 'changePlan'; pick: number; plan: PlanId; fail: boolean }
  | { kind: 'addon'; pick: number; fail: boolean }
  | { kind: 'adjust'; cents: bigint }
  | { kind: 'replay' }

const plan = fc.constantFrom<PlanId>('3', '5', '7', '11')
/** A provider failure in about one order in four. */
const fail = fc.integer({ min: 0, max: 3 }).map(n => n === 0)
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('newServer' as const), plan, fail }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      pick: fc.nat(7),
      hours: fc.oneof(fc.integer({ min: 1, max: 800 }), fc.integer({ min: 1, max: 8760 })),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('changePlan' as const), pick: fc.nat(7), plan, fail }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('addon' as const), pick: fc.nat(7), fail }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      cents: fc.bigInt({ min: -15_000n, max: 15_000n }).filter(c => c !== 0n),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'replay' as const }), weight: 1 },
)

interface ModelServer {
  id: string
  plan: PlanId
  expire: Date
  status: 'active' | 'failed'
}
interface ModelOrder {
  status: 'completed' | 'failed'
  amount: bigint
  net: bigint
  hasJob: boolean
}
interface Model {
  balance: bigint
  servers: ModelServer[]
  orders: Map<string, ModelOrder>
}
interface Sent {
  url: string
  body: Record<string, unknown>
  key: string
  res: LightMyRequestResponse
}

const solus = () => env.providers.fakes.solusvm!

/** Runs every job the requests left behind (retries included) until none is pending or running. */
async function settle(userId: string): Promise<void> {
  await waitFor(
    async () => {
      await env.runner.drain()
      const open = await env.deps.db
        .selectFrom('jobs')
        .innerJoin('orders', 'orders.id', 'jobs.order_id')
        .select('jobs.id')
        .where('orders.user_id', '=', userId)
        .where('jobs.state', 'in', ['pending', 'running'])
        .execute()
      return open.length === 0
    },
    { timeoutMs: 10_000, intervalMs: 20, what: 'the jobs to settle' },
  )
}

async function balanceOf(userId: string): Promise<bigint> {
  return (
    await env.deps.db.selectFrom('users').select('balance_cents').where('id', '=', userId).executeTakeFirstOrThrow()
  ).balance_cents
}

/** What the sequences exercised, reported as a diagnostic so a generator that stops covering a case shows. */
const seen: Record<string, number> = {}
const saw = (what: string): void => {
  seen[what] = (seen[what] ?? 0) + 1
}

function assertErrorCode(res: LightMyRequestResponse, status: number, code: string, what: string): void {
  saw(`${what.split(' ')[2]!.replace(/^\{"kind":"(\w+)".*/, '$1')} ${code}`)
  assert.equal(res.statusCode, status, `${what}: ${res.body}`)
  assert.equal(res.json().error.code, code, what)
}

async function runSequence(opening: bigint, ops: Op[]): Promise<void> {
  const u = await env.user(formatAmount(opening))
  const now = env.clock.current!
  const model: Model = { balance: opening, servers: [], orders: new Map() }
  let last: Sent | undefined

  const send = async (url: string, body: Record<string, unknown>): Promise<LightMyRequestResponse> => {
    const key = randomUUID()
    const res = await env.request({ url, key: u.key, body, headers: { 'idempotency-key': key } })
    last = { url, body, key, res }
    return res
  }
  const arm = (fail: boolean, method: string, path: string | RegExp, fault: 'start-fail' | 'task-fail') => {
    if (fail) solus().injectFault({ method, path, fault })
  }
  const record = (
    res: LightMyRequestResponse,
    amount: bigint,
    fail: boolean,
    credit: bigint,
    hasJob: boolean,
  ): string => {
    const orderId = (res.json().order_id ?? res.json().order.id) as string
    model.orders.set(orderId, {
      status: fail ? 'failed' : 'completed',
      amount,
      net: fail ? 0n : -amount + credit,
      hasJob,
    })
    saw(`order ${fail ? 'failed' : 'completed'}${credit > 0n ? ' with credit' : ''}`)
    return orderId
  }

  for (const [step, o] of ops.entries()) {
    const what = `step ${step} ${JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`
    const server = model.servers.length > 0 && 'pick' in o ? model.servers[o.pick % model.servers.length]! : undefined
    try {
      switch (o.kind) {
        case 'newServer': {
          const price = PLAN_PRICE[o.plan]
          const expectOk = model.balance >= price
          arm(expectOk && o.fail, 'POST', '/servers', 'start-fail')
          const res = await send(ORDER, { user_id: u.id, plan_id: o.plan, os_image_id: '13', location: 'Slovenia' })
          if (!expectOk) {
            assertErrorCode(res, 402, 'insufficient_balance', what)
            break
          }
          assert.equal(res.statusCode, 200, `${what}: ${res.body}`)
          assert.equal(res.json().amount, amountAsNumber(price))
          assert.equal(res.json().balance_before, formatAmount(model.balance))
          assert.equal(res.json().status, o.fail ? 'failed' : 'completed', what)
          assert.equal(res.json().success, !o.fail)
          record(res, price, o.fail, 0n, true)
          model.servers.push({
            id: res.json().server_status.new_id,
            plan: o.plan,
            expire: addHours(now, TERM_HOURS),
            status: o.fail ? 'failed' : 'active',
          })
          if (!o.fail) model.balance -= price
          break
        }
        case 'extend': {
          if (!server) continue
          const res = await send(ORDER, { user_id: u.id, server_id: server.id, hours: String(o.hours) })
          if (server.status !== 'active') {
            assertErrorCode(res, 409, 'invalid_state', what)
            break
          }
          const amount = hourlyExtensionPrice(PLAN_PRICE[server.plan], o.hours)
          if (model.balance < amount) {
            assertErrorCode(res, 402, 'insufficient_balance', what)
            break
          }
          assert.equal(res.statusCode, 200, `${what}: ${res.body}`)
          assert.equal(res.json().amount, amountAsNumber(amount))
          assert.equal(res.json().status, 'completed')
          record(res, amount, false, 0n, false)
          model.balance -= amount
          server.expire = addHours(server.expire > now ? server.expire : now, o.hours)
          break
        }
        case 'changePlan': {
          if (!server) continue
          const quote = quotePlanChange({
            oldPrice: PLAN_PRICE[server.plan],
            newPrice: PLAN_PRICE[o.plan],
            remainingSeconds: secondsUntil(server.expire, now),
          })
          const expectOk = o.plan !== server.plan && server.status === 'active' && model.balance >= quote.amount
          arm(expectOk && o.fail, 'POST', /^\/servers\/\d+\/resize$/, 'task-fail')
          const res = await send(ORDER, { user_id: u.id, server_id: server.id, plan_id: o.plan })
          if (o.plan === server.plan) {
            assertErrorCode(res, 400, 'validation_error', what)
            break
          }
          if (server.status !== 'active') {
            assertErrorCode(res, 409, 'invalid_state', what)
            break
          }
          if (!expectOk) {
            assertErrorCode(res, 402, 'insufficient_balance', what)
            break
          }
          assert.equal(res.statusCode, 200, `${what}: ${res.body}`)
          assert.equal(res.json().amount, amountAsNumber(quote.amount))
          assert.equal(res.json().upgrade_difference, amountAsNumber(quote.upgradeDifference))
          assert.equal(res.json().status, o.fail ? 'failed' : 'completed', what)
          record(res, quote.amount, o.fail, quote.credit, true)
          if (!o.fail) {
            model.balance += quote.credit - quote.amount
            server.plan = o.plan
            server.expire = addHours(server.expire, TERM_HOURS)
          }
          break
        }
        case 'addon': {
          if (!server) continue
          const expectOk = server.status === 'active' && model.balance >= ADDON_PRICE
          arm(expectOk && o.fail, 'POST', /^\/servers\/\d+\/ips$/, 'task-fail')
          const res = await send(ADDON, { user_id: u.id, addon_id: ADDON_ID, server_id: server.id })
          if (server.status !== 'active') {
            assertErrorCode(res, 409, 'invalid_state', what)
            break
          }
          if (!expectOk) {
            assertErrorCode(res, 402, 'insufficient_balance', what)
            break
          }
          assert.equal(res.statusCode, 200, `${what}: ${res.body}`)
          assert.equal(res.json().order.amount, formatAmount(ADDON_PRICE))
          assert.equal(res.json().order.status, o.fail ? 'failed' : 'completed', what)
          record(res, ADDON_PRICE, o.fail, 0n, true)
          if (!o.fail) model.balance -= ADDON_PRICE
          break
        }
        case 'adjust': {
          const input = {
            userId: u.id,
            amount: formatAmount(o.cents),
            reason: 'property test adjustment',
            actor: 'test-admin',
          }
          if (model.balance + o.cents < 0n) {
            await assert.rejects(
              adjustBalance(env.deps.db, input),
              (err: unknown) => err instanceof AppError && err.code === 'insufficient_balance',
            )
            saw('adjust insufficient_balance')
            break
          }
          const out = await adjustBalance(env.deps.db, input)
          saw(o.cents > 0n ? 'adjust credit' : 'adjust debit')
          model.balance += o.cents
          assert.equal(out.balance, formatAmount(model.balance))
          break
        }
        case 'replay': {
          if (!last) continue
          const first = last
          const res = await env.request({
            url: first.url,
            key: u.key,
            body: first.body,
            headers: { 'idempotency-key': first.key },
          })
          saw(`replay ${res.statusCode}`)
          assert.equal(res.statusCode, first.res.statusCode, `${what}: ${res.body}`)
          if (res.statusCode === 200) {
            assert.deepEqual(res.json(), {
              ...first.res.json(),
              ...('password' in first.res.json() ? { password: null } : {}),
              ...(first.res.json().type === 'new_server'
                ? { server_status: { ...first.res.json().server_status, metadata: '' } }
                : {}),
            })
          } else assert.equal(res.json().error.code, first.res.json().error.code)
          break
        }
      }
    } finally {
      solus().clearFaults()
    }
    await settle(u.id)
    const balance = await balanceOf(u.id)
    assert.ok(balance >= 0n, `${what}: negative balance ${balance}`)
    assert.equal(balance, model.balance, `${what}: balance`)
  }

  // The ledger explains every balance, and no balance is negative.
  const audit = await auditLedger(env.deps.db)
  assert.deepEqual(audit.violations, [])

  // Every order nets to its outcome in the ledger: failed → 0, completed → −amount (+ credit of a downgrade).
  const orders = await env.deps.db
    .selectFrom('orders')
    .select(['id', 'status', 'amount_cents', 'credit_cents'])
    .where('user_id', '=', u.id)
    .execute()
  assert.deepEqual(orders.map(o => o.id).sort(), [...model.orders.keys()].sort())
  const ledger = await env.deps.db
    .selectFrom('ledger_entries')
    .select(['order_id', 'delta_cents', 'kind', 'balance_after_cents'])
    .where('user_id', '=', u.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  for (const o of orders) {
    const want = model.orders.get(o.id)!
    assert.equal(o.status, want.status, `order ${o.id}`)
    assert.equal(o.amount_cents, want.amount)
    const rows = ledger.filter(l => l.order_id === o.id)
    assert.equal(
      rows.reduce((s, l) => s + l.delta_cents, 0n),
      want.net,
      `ledger of order ${o.id}`,
    )
    const debits = rows.filter(l => l.kind === 'order_debit')
    assert.deepEqual(
      debits.map(d => d.delta_cents),
      o.amount_cents > 0n ? [-o.amount_cents] : [],
    )
    assert.equal(rows.filter(l => l.kind === 'refund').length, want.status === 'failed' && o.amount_cents > 0n ? 1 : 0)
    assert.equal(
      rows.filter(l => l.kind === 'downgrade_credit').length,
      want.status === 'completed' && o.credit_cents > 0n ? 1 : 0,
    )
    const jobs = await env.deps.db.selectFrom('jobs').select('state').where('order_id', '=', o.id).execute()
    assert.deepEqual(
      jobs.map(j => j.state),
      want.hasJob ? [want.status === 'completed' ? 'done' : 'failed'] : [],
    )
  }
  // Σ order debits − Σ refunds + credits + adjustments = balance; each row's balance_after follows from the one before.
  const sum = ledger.reduce((s, l) => s + l.delta_cents, 0n)
  assert.equal(sum, model.balance)
  let running = 0n
  for (const l of ledger) {
    running += l.delta_cents
    assert.equal(l.balance_after_cents, running)
    assert.ok(l.balance_after_cents >= 0n)
  }
}

test(
  'random order sequences keep balance = Σ ledger, never negative, and every order nets to its outcome',
  { timeout: 600_000 },
  async t => {
    env.clock.current = new Date(Math.floor(Date.now() / 1000) * 1000)
    try {
      await fc.assert(
        fc.asyncProperty(
          // Mostly enough for a few orders, sometimes too little for any.
          fc.oneof(
            { arbitrary: fc.bigInt({ min: 0n, max: 2_000n }), weight: 1 },
            { arbitrary: fc.bigInt({ min: 2_000n, max: 40_000n }), weight: 3 },
          ),
          // Sequences start with a server order, so the operations on servers have one to act on.
          fc.record({ kind: fc.constant('newServer' as const), plan, fail }),
          fc.array(op, { minLength: 1, maxLength: 9 }),
          async (opening, first, ops) => runSequence(opening, [first, ...ops]),
        ),
        { numRuns: Number(process.env.OXBILL_PROP_RUNS ?? 20), endOnFailure: true },
      )
    } finally {
      env.clock.current = null
    }
    t.diagnostic(JSON.stringify(Object.fromEntries(Object.entries(seen).sort())))
  },
)
