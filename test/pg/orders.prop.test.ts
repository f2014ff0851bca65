/**
 * Random sequences of a hostile customer's orders on PostgreSQL — new servers, extensions, plan
 * changes up and down, addons, crypto orders paid, left unpaid or expired, provider failures
 * followed by operator retries, time passing with the lifecycle running — and after each one:
 * the money and delivery audits are clean, and balance + the remaining value of the customer's
 * servers at list prices never exceeds what the customer put in.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { onPostgres, type TestEnv } from '../helper.ts'
import { TERM_SECONDS } from '../../src/domain/billing/pricing.ts'
import { runLifecycle } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { reconcilePayments } from '../../src/domain/payments/reconcile-payments.ts'
import { retryFailedJob } from '../../src/domain/admin/retry-job.ts'
import { jobDefinitions } from '../../src/jobs/catalog.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { parseAmount } from '../../src/lib/money.ts'
import { assertAuditClean, balanceOf, fakeOf, settle, startPaymentsEnv } from '../payments/helpers.ts'

const skip = onPostgres ? false : 'runs in the PostgreSQL suite'
const ORDER = '/API/orders/create_order'
const ADDON = '/API/orders/create_order_addon'
const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const PLANS = ['3', '5', '7', '11']
const HOUR = 3_600_000

let env: TestEnv
before(async () => {
  if (!skip) env = await startPaymentsEnv()
})
after(async () => {
  if (!skip) await env.close()
})

type Pay = 'balance' | 'paid' | 'unpaid' | 'expired'
type Cmd =
  | { t: 'new'; plan: number }
  | { t: 'extend'; s: number; hours: number; pay: Pay }
  | { t: 'plan'; s: number; plan: number; pay: Pay }
  | { t: 'addon'; s: number; pay: Pay }
  | { t: 'fail-next-resize' }
  | { t: 'retry-failed' }
  | { t: 'time'; hours: number }

const pay = fc.constantFrom<Pay>('balance', 'balance', 'paid', 'unpaid', 'expired')
const newServer = fc.record({ t: fc.constant('new' as const), plan: fc.nat(3) })
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: newServer, weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('extend' as const),
      s: fc.nat(5),
      hours: fc.oneof(fc.integer({ min: 1, max: 48 }), fc.constant(8760)),
      pay,
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ t: fc.constant('plan' as const), s: fc.nat(5), plan: fc.nat(3), pay }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('addon' as const), s: fc.nat(5), pay }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('fail-next-resize' as const) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('retry-failed' as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('time' as const),
      hours: fc.oneof(fc.integer({ min: 1, max: 72 }), fc.integer({ min: 600, max: 800 })),
    }),
    weight: 1,
  },
)

/** Balance and remaining server time at list prices, scaled by TERM_SECONDS so it stays exact. */
async function holdings(userId: string): Promise<bigint> {
  const now = env.clock.now().getTime()
  const servers = await env.deps.db
    .selectFrom('servers')
    .innerJoin('vps_plans', 'vps_plans.id', 'servers.plan_id')
    .select(['servers.expire_date', 'vps_plans.price_cents'])
    .where('servers.user_id', '=', userId)
    .where('servers.status', 'in', ['active', 'suspended', 'suspending', 'resizing'])
    .execute()
  let value = (await balanceOf(env, userId)) * TERM_SECONDS
  for (const s of servers) {
    value += BigInt(Math.max(0, Math.floor((s.expire_date.getTime() - now) / 1000))) * s.price_cents
  }
  return value
}

async function putIn(userId: string, opening: bigint): Promise<bigint> {
  const rows = await env.deps.db.selectFrom('payments').select('credited_cents').where('user_id', '=', userId).execute()
  return (opening + rows.reduce((s, r) => s + r.credited_cents, 0n)) * TERM_SECONDS
}

async function finish(
  body: { payment?: { payment_url: string; track_id: string } },
  orderId: string | undefined,
  how: Pay,
): Promise<void> {
  if (body.payment !== undefined) {
    if (how === 'paid') await fetch(body.payment.payment_url, { method: 'POST' })
    if (how === 'expired') fakeOf(env).expire(body.payment.track_id)
    await settle(env)
    if (how === 'expired') await reconcilePayments(env.deps)
  }
  if (orderId !== undefined) await env.settle(orderId).catch(() => {})
  await env.runner.drain()
}

async function run(userId: string, key: string, cmds: Cmd[]): Promise<void> {
  const servers: string[] = []
  const serverAt = (i: number): string | undefined => (servers.length === 0 ? undefined : servers[i % servers.length])
  for (const c of cmds) {
    const typePayment = (p: Pay) => (p === 'balance' ? 'balance' : 'crypto')
    switch (c.t) {
      case 'new': {
        const r = await env.request({
          url: ORDER,
          key,
          body: { user_id: userId, plan_id: PLANS[c.plan], os_image_id: '13', location: 'Slovenia' },
        })
        if (r.statusCode === 200) {
          servers.push(r.json().server_status.new_id)
          await finish(r.json(), r.json().order_id, 'balance')
        }
        break
      }
      case 'extend':
      case 'plan': {
        const s = serverAt(c.s)
        if (s === undefined) break
        const body =
          c.t === 'extend'
            ? { user_id: userId, server_id: s, hours: c.hours }
            : { user_id: userId, server_id: s, plan_id: PLANS[c.plan] }
        const r = await env.request({ url: ORDER, key, body: { ...body, type_payment: typePayment(c.pay) } })
        if (r.statusCode === 200) await finish(r.json(), r.json().order_id, c.pay)
        else assert.ok([400, 402, 409].includes(r.statusCode), r.body)
        break
      }
      case 'addon': {
        const s = serverAt(c.s)
        if (s === undefined) break
        const r = await env.request({
          url: ADDON,
          key,
          body: { user_id: userId, addon_id: ADDON_ID, server_id: s, type_payment: typePayment(c.pay) },
        })
        if (r.statusCode === 200) await finish(r.json(), r.json().order.id, c.pay)
        else assert.ok([402, 409].includes(r.statusCode), r.body)
        break
      }
      case 'fail-next-resize':
        env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: /\/resize$/, fault: 'task-fail', times: 3 })
        break
      case 'retry-failed': {
        env.providers.fakes.solusvm!.clearFaults()
        const failed = await env.deps.db
          .selectFrom('jobs')
          .innerJoin('orders', 'orders.id', 'jobs.order_id')
          .select(['jobs.id', 'orders.id as order_id'])
          .where('orders.user_id', '=', userId)
          .where('jobs.state', '=', 'failed')
          .execute()
        for (const j of failed) {
          try {
            await retryFailedJob(env.deps.db, jobDefinitions(env.deps), env.deps.secretBox, {
              jobId: j.id,
              actor: 'operator',
              now: env.clock.now(),
            })
          } catch (err) {
            const code = (err as { code?: string }).code
            assert.ok(code === 'invalid_state' || code === 'insufficient_balance', String(err))
            continue
          }
          await finish({}, j.order_id, 'balance')
        }
        break
      }
      case 'time':
        env.clock.current = new Date(env.clock.now().getTime() + c.hours * HOUR)
        await runLifecycle({
          db: env.deps.db,
          clock: env.clock,
          logger: silentLogger,
          settings: lifecycleSettings(env.config),
        })
        await env.runner.drain()
        break
    }
  }
  env.providers.fakes.solusvm!.clearFaults()
}

test(
  'random order sequences: audits clean, and the customer never holds more than they put in',
  { skip, timeout: 600_000 },
  async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 20, max: 400 }),
        newServer,
        fc.array(cmd, { minLength: 1, maxLength: 12 }),
        async (euros, first, rest) => {
          const cmds = [first, ...rest]
          env.clock.current = null
          const opening = parseAmount(String(euros))!
          const u = await env.user(String(euros))
          await run(u.id, u.key, cmds)
          await assertAuditClean(env)
          const held = await holdings(u.id)
          const paid = await putIn(u.id, opening)
          assert.ok(
            held <= paid,
            `holds ${held / TERM_SECONDS} > put in ${paid / TERM_SECONDS} after ${JSON.stringify(cmds)}`,
          )
        },
      ),
      { numRuns: 30, seed: Number(process.env.FC_SEED ?? 8) },
    )
  },
)
