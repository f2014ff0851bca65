import { actorOf } from '../auth/api-keys.ts'
import type { Deps } from '../../deps.ts'
import type { Principal } from '../auth/api-keys.ts'
import type { Cents } from '../../lib/money.ts'
import { newUuid } from '../../lib/ids.ts'
import { addMonths, pleskPrice } from '../billing/pricing.ts'
import { getPleskPlan } from '../catalog/lookups.ts'
import { AppError } from '../../lib/errors.ts'
import { requireOwned } from '../access/authorize.ts'
import type { Db } from '../../db/connect.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { executeOrder, type OrderMeta, type OrderResult } from './execute-order.ts'
import { nextOrderNumber } from './order-number.ts'
import { checkFtpLogin, checkFtpPassword, normalizeDomain } from './plesk-validation.ts'
import { formatAmount, formatTimestamp, orderBalances } from './render.ts'
import { orderOutcome } from './outcome.ts'
import { chargeFor, PENDING_PAYMENT, type PaymentMethod } from './charge.ts'
import { cancelUnpaidOrder } from './cancel-unpaid-order.ts'
import { checkInitial } from '../state/transition.ts'
import { ORDER } from '../state/orders.ts'
import { PLESK_SUBSCRIPTION } from '../state/plesk.ts'

export interface PleskOrderInput {
  planId: string
  clientId: string
  domainName: string
  ftpLogin: string
  ftpPassword: string
  months: number
  paymentMethod?: PaymentMethod
}

const domainTaken = (domain: string): AppError =>
  new AppError('conflict', `domain '${domain}' is already hosted`, { details: { field: 'domain_name' } })

/**
 * The domain must not be hosted by a live subscription. An unpaid reservation past its order's
 * payment deadline does not count: inside the order transaction it is cancelled on the spot, so
 * a paid order is never blocked by an unpaid one that has run out of time.
 */
async function assertDomainFree(db: Db, domain: string, now: Date, trx?: Db): Promise<void> {
  const live = await db
    .selectFrom('plesk_subscriptions')
    .leftJoin('orders', join =>
      join.onRef('orders.subscription_id', '=', 'plesk_subscriptions.id').on('orders.order_type', '=', 'plesk'),
    )
    .select(['plesk_subscriptions.id', 'plesk_subscriptions.status', 'orders.id as order_id', 'orders.pay_by'])
    .where('plesk_subscriptions.domain_name', '=', domain)
    .where('plesk_subscriptions.status', 'not in', ['provision_failed', 'cancelled', 'deleted'])
    .execute()
  for (const sub of live) {
    const overdue = sub.status === PENDING_PAYMENT && sub.pay_by !== null && sub.pay_by <= now && sub.order_id !== null
    if (!overdue) throw domainTaken(domain)
    if (trx !== undefined) await cancelUnpaidOrder(trx, sub.order_id!, 'the payment deadline passed', now)
  }
}

/** The partial unique index that keeps one live subscription per domain (migration 0001). */
const DOMAIN_LIVE_INDEX = 'plesk_subscriptions_domain_live'

/**
 * Two orders for one domain can both pass `assertDomainFree` under Read Committed: neither sees
 * the other's uncommitted row. The unique index then stops the second insert (it waits for the
 * first commit, then fails with 23505); that is the same conflict as a hosted domain, not a 500.
 */
function isDomainLiveViolation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown } | null
  return e?.code === '23505' && (e.constraint === DOMAIN_LIVE_INDEX || String(e.message).includes(DOMAIN_LIVE_INDEX))
}

/** The checks of a Plesk order (400/404/409 for a hosted domain), shared with its quote. */
export async function preparePleskOrder(deps: Deps, principal: Principal, input: PleskOrderInput) {
  const domain = normalizeDomain(input.domainName)
  checkFtpLogin(input.ftpLogin)
  checkFtpPassword(input.ftpPassword, input.ftpLogin)
  const client = await requireOwned(deps.db, principal, 'plesk_clients', input.clientId, { access: 'use' })
  const plan = await getPleskPlan(deps.db, input.planId)
  await assertDomainFree(deps.db, domain, deps.clock.now())
  return { domain, client, plan }
}

/** The price of a new Plesk subscription of `months` from `now`; the order and its quote both use it. */
export function pricePleskOrder(plan: { price_cents: Cents }, months: number, now: Date) {
  return { amount: pleskPrice(plan.price_cents, months), expiresAt: addMonths(now, months) }
}

/** Orders Plesk web hosting for a domain (docs/0xhost-compat.md 3.25): monthly price × 1, 2 or 3 months. */
export async function orderPlesk(deps: Deps, meta: OrderMeta, input: PleskOrderInput): Promise<OrderResult> {
  return executeOrder(deps, meta, {
    prepare: async () => {
      const { domain, client, plan } = await preparePleskOrder(deps, meta.principal, input)
      return {
        commit: async trx => {
          const now = deps.clock.now()
          await assertDomainFree(trx, domain, now, trx)
          const { amount, expiresAt } = pricePleskOrder(plan, input.months, now)
          const orderId = newUuid()
          const subscriptionId = newUuid()
          const orderNumber = await nextOrderNumber(trx, 'plesk', now)
          const charge = chargeFor(deps, input.paymentMethod, amount)
          await trx
            .insertInto('orders')
            .values({
              id: orderId,
              user_id: client.user_id,
              order_number: orderNumber,
              order_type: 'plesk',
              status: checkInitial(ORDER, charge.status('processing')),
              payment_method: charge.method,
              subscription_id: subscriptionId,
              plan_id: plan.id,
              amount_cents: amount,
              months: input.months,
              metadata: JSON.stringify({ domain_name: domain, plan_name: plan.name, client_id: client.id }),
              term_starts_at: now,
              description: `Plesk ${plan.name} for ${domain}, ${input.months} month(s)`,
            })
            .execute()
          const paymentId = await charge.pay(trx, {
            principal: meta.principal,
            userId: client.user_id,
            orderId,
            orderNumber,
            reason: `${orderNumber}: Plesk ${plan.name} for ${domain}`,
            actor: actorOf(meta.principal),
            description: `Plesk ${plan.name} for ${domain}, ${input.months} month(s)`,
            ip: meta.ip,
            now,
          })
          await trx
            .insertInto('plesk_subscriptions')
            .values({
              id: subscriptionId,
              user_id: client.user_id,
              client_id: client.id,
              plan_id: plan.id,
              domain_name: domain,
              ftp_login: input.ftpLogin,
              status: checkInitial(PLESK_SUBSCRIPTION, charge.status('provisioning')),
              expires_at: expiresAt,
            })
            .execute()
            .catch((err: unknown) => {
              throw isDomainLiveViolation(err) ? domainTaken(domain) : err
            })
          const jobId = await enqueueJob(trx, {
            kind: JobKind.pleskCreate,
            payload: { subscriptionId, orderId },
            orderId,
            maxAttempts: deps.config.jobMaxAttempts,
            secret: { box: deps.secretBox, value: input.ftpPassword },
            state: charge.jobState,
          })
          return { orderId, jobId: charge.pending ? undefined : jobId, paymentId }
        },
      }
    },
    respond: async orderId => {
      const order = await deps.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow()
      const sub = await deps.db
        .selectFrom('plesk_subscriptions')
        .selectAll()
        .where('id', '=', order.subscription_id!)
        .executeTakeFirstOrThrow()
      const { after } = await orderBalances(deps.db, orderId)
      return {
        ...orderOutcome(order),
        message: orderOutcome(order).message ?? 'Plesk order created successfully',
        order: {
          id: order.id,
          order_number: order.order_number,
          status: order.status,
          amount: formatAmount(order.amount_cents),
          currency: order.currency,
        },
        subscription: {
          id: sub.id,
          domain_name: sub.domain_name,
          status: sub.status,
          expires_at: formatTimestamp(sub.expires_at),
        },
        balance_after: formatAmount(after),
      }
    },
  })
}
