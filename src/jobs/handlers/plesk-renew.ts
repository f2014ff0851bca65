import type { Deps } from '../../deps.ts'
import { credit } from '../../domain/billing/ledger.ts'
import { recordPeriod } from '../../domain/billing/periods.ts'
import { addMonths, secondsUntil, settlePlanChange } from '../../domain/billing/pricing.ts'
import { AppError } from '../../lib/errors.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { moveOrder } from '../../domain/state/orders.ts'
import { movePleskSubscription, RENEWABLE } from '../../domain/state/plesk.ts'
import { isOperatorSuspended } from '../../domain/plesk/operator-hold.ts'
import type { PleskSubscriptionStatus } from '../../db/states.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import { mergeMetadata } from '../../db/json-merge.ts'
import type { JobDefinition } from '../../outbox/types.ts'

interface Payload {
  subscriptionId: string
  orderId: string
  newPlanId: string | null
  months: number
  previousStatus: string
}

/** The renewal as computed when it is applied (memoized, so Plesk and the database get the same expiry). */
interface Term {
  previousExpiresAt: string
  startsAt: string
  endsAt: string
  refundCents: string
  planChange: boolean
}

/**
 * Applies a renewal: the new expiry is computed from the subscription as it is now — `months`
 * from its expiry, or from now if it lapsed — never from a date written when the order was
 * placed, so a renewal applied late or retried by an operator cannot set the expiry back. A plan
 * change is settled on the remaining time now (`settlePlanChange`). Then Plesk (plan switch, new
 * expiration, re-activation unless an operator suspended it) and, in one transaction, the subscription, the credit, the paid period.
 */
export function pleskRenewJob(deps: Pick<Deps, 'db' | 'plesk' | 'clock'>): JobDefinition<Payload> {
  return {
    kind: JobKind.pleskRenew,
    version: 1,
    parse: p => {
      const s = requireStrings(p, ['subscriptionId', 'orderId', 'previousStatus'], ['newPlanId'])
      const months = (p as { months?: unknown }).months
      if (!Number.isSafeInteger(months) || (months as number) < 1) {
        throw new AppError('internal_error', 'plesk.renew payload needs months')
      }
      return { ...s, newPlanId: (p as { newPlanId?: string | null }).newPlanId ?? null, months: months as number }
    },
    async handler(ctx) {
      const { subscriptionId, orderId, newPlanId, previousStatus } = ctx.payload
      const sub = await deps.db
        .selectFrom('plesk_subscriptions')
        .select(['domain_name', 'user_id'])
        .where('id', '=', subscriptionId)
        .executeTakeFirstOrThrow()
      const term = await ctx.step('term', async (): Promise<Term> => termNow(deps, ctx.payload))
      if (newPlanId !== null) {
        const plan = await deps.db
          .selectFrom('plesk_plans')
          .select('plesk_plan_name')
          .where('id', '=', newPlanId)
          .executeTakeFirstOrThrow()
        await ctx.step('switch', async () => {
          await deps.plesk.switchPlan(sub.domain_name, plan.plesk_plan_name)
          return true
        })
      }
      await ctx.step('expiration', async () => {
        await deps.plesk.setExpiration(sub.domain_name, new Date(term.endsAt))
        return true
      })
      // An operator's suspension outlives a renewal: only the operator's resumption lifts it
      // (read now, right before Plesk, since the hold may be newer than the order).
      if (previousStatus !== 'active' && !(await isOperatorSuspended(deps.db, subscriptionId))) {
        await ctx.step('activate', async () => {
          await deps.plesk.activate(sub.domain_name)
          return true
        })
      }
      await ctx.finish(async trx => {
        const order = await trx
          .selectFrom('orders')
          .select(['user_id', 'amount_cents', 'order_number', 'plan_id'])
          .where('id', '=', orderId)
          .executeTakeFirstOrThrow()
        const locked = await trx
          .selectFrom('plesk_subscriptions')
          .select(['expires_at', 'plan_id'])
          .where('id', '=', subscriptionId)
          .forUpdate()
          .executeTakeFirstOrThrow()
        if (locked.expires_at.toISOString() !== term.previousExpiresAt) {
          throw new AppError(
            'invalid_state',
            `the subscription's expiry changed while the renewal was applied (${term.previousExpiresAt} → ${locked.expires_at.toISOString()})`,
          )
        }
        const endsAt = new Date(term.endsAt)
        await movePleskSubscription(trx, subscriptionId, {
          from: 'renewing',
          to: 'active',
          set: { expires_at: endsAt, ...(newPlanId !== null ? { plan_id: newPlanId } : {}) },
          now: deps.clock.now(),
          required: true,
        })
        const refund = BigInt(term.refundCents)
        if (refund > 0n) {
          await credit(trx, {
            userId: order.user_id,
            amount: refund,
            kind: 'downgrade_credit',
            orderId,
            reason: `${order.order_number}: plan change credit`,
            actor: 'worker',
          })
        }
        await recordPeriod(trx, {
          userId: order.user_id,
          serviceKind: 'subscription',
          serviceId: subscriptionId,
          orderId,
          kind: term.planChange ? 'plan_change' : 'term',
          planId: newPlanId ?? locked.plan_id,
          startsAt: new Date(term.startsAt),
          endsAt,
          amount: order.amount_cents - refund,
        })
        await moveOrder(trx, orderId, {
          from: 'processing',
          to: 'completed',
          set: { metadata: mergeMetadata({ new_expires_at: term.endsAt, settled_refund_cents: term.refundCents }) },
          now: deps.clock.now(),
          required: true,
        })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await failAndRefundOrder(trx, payload.orderId, reason, deps.clock.now())
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'renewing',
        to: payload.previousStatus as PleskSubscriptionStatus,
        now: deps.clock.now(),
      })
    },
    async onRetry(trx, payload) {
      // onFailure put it back to its previous status, and the retry's requote checked that one is renewable.
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: RENEWABLE,
        to: 'renewing',
        now: deps.clock.now(),
      })
    },
  }
}

/** The new term from the subscription's state now. */
async function termNow(deps: Pick<Deps, 'db' | 'clock'>, p: Payload): Promise<Term> {
  const s = await deps.db
    .selectFrom('plesk_subscriptions')
    .select(['expires_at', 'plan_id'])
    .where('id', '=', p.subscriptionId)
    .executeTakeFirstOrThrow()
  const order = await deps.db
    .selectFrom('orders')
    .select('amount_cents')
    .where('id', '=', p.orderId)
    .executeTakeFirstOrThrow()
  const now = deps.clock.now()
  const from = s.expires_at > now ? s.expires_at : now
  const full = addMonths(from, p.months)
  const base = { previousExpiresAt: s.expires_at.toISOString() }
  if (p.newPlanId === null || p.newPlanId === s.plan_id) {
    return { ...base, startsAt: from.toISOString(), endsAt: full.toISOString(), refundCents: '0', planChange: false }
  }
  const prices = await deps.db
    .selectFrom('plesk_plans')
    .select(['id', 'price_cents'])
    .where('id', 'in', [s.plan_id, p.newPlanId])
    .execute()
  const price = (id: string): bigint => prices.find(r => r.id === id)!.price_cents
  const settled = settlePlanChange({
    oldPrice: price(s.plan_id),
    newPrice: price(p.newPlanId),
    remainingSeconds: secondsUntil(s.expires_at, now),
    terms: p.months,
    paid: order.amount_cents,
  })
  const endsAt = new Date(full.getTime() - Number(settled.shortenSeconds) * 1000)
  return {
    ...base,
    startsAt: now.toISOString(),
    endsAt: endsAt.toISOString(),
    refundCents: settled.refund.toString(),
    planChange: true,
  }
}
