import { actorOf } from '../auth/api-keys.ts'
import type { Deps } from '../../deps.ts'
import type { Principal } from '../auth/api-keys.ts'
import type { Cents } from '../../lib/money.ts'
import { newUuid } from '../../lib/ids.ts'
import { addMonths, pleskPrice, quotePlanChange, secondsUntil, type PlanChangeQuote } from '../billing/pricing.ts'
import { getPleskPlan } from '../catalog/lookups.ts'
import { AppError } from '../../lib/errors.ts'
import { requireOwned } from '../access/authorize.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { executeOrder, type OrderMeta, type OrderResult } from './execute-order.ts'
import { nextOrderNumber } from './order-number.ts'
import { formatAmount, formatTimestamp, orderBalances } from './render.ts'
import { orderOutcome } from './outcome.ts'
import { chargeFor, type PaymentMethod } from './charge.ts'
import { assertNoOpenOrder } from './open-orders.ts'
import { movePleskSubscription, RENEWABLE } from '../state/plesk.ts'
import type { Db } from '../../db/connect.ts'
import { checkInitial } from '../state/transition.ts'
import { ORDER } from '../state/orders.ts'

export interface PleskRenewInput {
  subscriptionId: string
  newPlanId?: string
  months: number
  paymentMethod?: PaymentMethod
}

export const MAX_RENEW_MONTHS = 36
export { RENEWABLE }

/** The checks of a Plesk renewal before its transaction (404), shared with its quote. */
export async function preparePleskRenewal(deps: Deps, principal: Principal, input: PleskRenewInput) {
  const sub = await requireOwned(deps.db, principal, 'plesk_subscriptions', input.subscriptionId, { access: 'use' })
  const newPlan =
    input.newPlanId !== undefined && input.newPlanId !== sub.plan_id
      ? await getPleskPlan(deps.db, input.newPlanId)
      : null
  return { sub, newPlan }
}

/**
 * The price of renewing a subscription by `months` at `now` (onto `newPlan` when given), in the
 * order's transaction: locks the subscription and refuses it as the order does (another open
 * order, not renewable), then prices it. The order and its quote (in a transaction it rolls back)
 * both call it.
 */
export async function pricePleskRenewal(
  trx: Db,
  subscriptionId: string,
  newPlan: { price_cents: Cents } | null,
  months: number,
  now: Date,
) {
  const locked = await lockSubscriptionForOrder(trx, subscriptionId, now)
  if (!RENEWABLE.includes(locked.status)) {
    throw new AppError(
      'invalid_state',
      `the subscription is ${locked.status}; it can be renewed when ${RENEWABLE.join(', ')}`,
      { details: { status: locked.status } },
    )
  }
  const current = await trx
    .selectFrom('plesk_plans')
    .select(['id', 'price_cents', 'name'])
    .where('id', '=', locked.plan_id)
    .executeTakeFirstOrThrow()
  const quote: PlanChangeQuote = newPlan
    ? quotePlanChange({
        oldPrice: current.price_cents,
        newPrice: newPlan.price_cents,
        remainingSeconds: secondsUntil(locked.expires_at, now),
        terms: months,
      })
    : { amount: pleskPrice(current.price_cents, months), upgradeDifference: 0n, credit: 0n }
  // What the answer shows; the job computes the real expiry from the state when it applies.
  const newExpiresAt = addMonths(locked.expires_at > now ? locked.expires_at : now, months)
  return { locked, current, quote, newExpiresAt }
}

/**
 * Renews a Plesk subscription by `months` (docs/0xhost-compat.md 3.26), optionally onto another plan. A plan change
 * prorates the remaining time like a VPS plan change (30-day month); the new term starts at the
 * current expiry, or now if already expired. The subscription is `renewing`, and takes no other
 * order, until the job is done; the job computes the new expiry (and settles a plan change) from
 * the state at that moment, so a renewal applied late or retried never sets the expiry back.
 */
export async function renewPlesk(deps: Deps, meta: OrderMeta, input: PleskRenewInput): Promise<OrderResult> {
  return executeOrder(deps, meta, {
    prepare: async () => {
      const { sub, newPlan } = await preparePleskRenewal(deps, meta.principal, input)
      return {
        commit: async trx => {
          const now = deps.clock.now()
          const { locked, current, quote, newExpiresAt } = await pricePleskRenewal(
            trx,
            sub.id,
            newPlan,
            input.months,
            now,
          )
          const orderId = newUuid()
          const orderNumber = await nextOrderNumber(trx, 'plesk_renew', now)
          const plan = newPlan ?? current
          const charge = chargeFor(deps, input.paymentMethod, quote.amount)
          await trx
            .insertInto('orders')
            .values({
              id: orderId,
              user_id: locked.user_id,
              order_number: orderNumber,
              order_type: 'plesk_renew',
              status: checkInitial(ORDER, charge.status('processing')),
              payment_method: charge.method,
              subscription_id: locked.id,
              plan_id: plan.id,
              amount_cents: quote.amount,
              upgrade_difference_cents: quote.upgradeDifference,
              credit_cents: quote.credit,
              months: input.months,
              metadata: JSON.stringify({
                domain_name: locked.domain_name,
                previous_plan_id: locked.plan_id,
                new_plan_id: plan.id,
                new_expires_at: newExpiresAt.toISOString(),
                previous_status: locked.status,
              }),
              description: `Plesk renewal of ${locked.domain_name}, ${input.months} month(s)${newPlan ? ` on ${newPlan.name}` : ''}`,
            })
            .execute()
          const paymentId = await charge.pay(trx, {
            principal: meta.principal,
            userId: locked.user_id,
            orderId,
            orderNumber,
            reason: `${orderNumber}: renewal of ${locked.domain_name}`,
            actor: actorOf(meta.principal),
            description: `Plesk renewal of ${locked.domain_name}, ${input.months} month(s)`,
            ip: meta.ip,
            now,
            serviceExpiresAt: locked.expires_at,
          })
          // Locked and checked renewable above.
          await movePleskSubscription(trx, locked.id, { from: locked.status, to: 'renewing', now })
          const jobId = await enqueueJob(trx, {
            kind: JobKind.pleskRenew,
            payload: {
              subscriptionId: locked.id,
              orderId,
              newPlanId: newPlan?.id ?? null,
              months: input.months,
              previousStatus: locked.status,
            },
            orderId,
            maxAttempts: deps.config.jobMaxAttempts,
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
      const newExpires = (order.metadata as { new_expires_at?: string }).new_expires_at ?? null
      return {
        ...orderOutcome(order),
        message: orderOutcome(order).message ?? 'Subscription renewed successfully',
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
          new_expires_at: formatTimestamp(newExpires),
          months_added: order.months,
          status: sub.status,
        },
        balance_after: formatAmount(after),
      }
    },
  })
}

/** Locks the subscription for the order transaction; refuses while another order on it is open or it is cancelled. */
export async function lockSubscriptionForOrder(trx: Db, subscriptionId: string, now: Date) {
  const read = () =>
    trx
      .selectFrom('plesk_subscriptions')
      .selectAll()
      .where('id', '=', subscriptionId)
      .forUpdate()
      .executeTakeFirstOrThrow()
  let sub = await read()
  if (await assertNoOpenOrder(trx, { kind: 'subscription', id: subscriptionId }, now)) sub = await read()
  // Months bought now would be thrown away when the cancellation takes effect.
  if (sub.cancel_at !== null) {
    throw new AppError(
      'invalid_state',
      `the subscription is cancelled at the end of its term (${sub.cancel_at.toISOString()}); undo the cancellation before ordering on it`,
      { details: { status: sub.status, cancel_at: sub.cancel_at.toISOString() } },
    )
  }
  return sub
}
