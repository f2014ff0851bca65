import { sql } from 'kysely'
import { newUuid } from '../../lib/ids.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { debit } from '../billing/ledger.ts'
import { addHours, addMonths, pleskPrice } from '../billing/pricing.ts'
import { AppError } from '../../lib/errors.ts'
import { nextOrderNumber } from '../orders/order-number.ts'
import type { RenewOutcome } from './auto-renew-server.ts'
import { autoRenewWindowHours, LIFECYCLE_ACTOR, type LifecycleDeps } from './settings.ts'
import { hasOpenOrder } from '../orders/open-orders.ts'
import { movePleskSubscription } from '../state/plesk.ts'
import { checkInitial } from '../state/transition.ts'
import { ORDER } from '../state/orders.ts'

/**
 * Renews one Plesk subscription by one month at its plan's price from the balance, as a customer's
 * renewal does (order `plesk_renew`, subscription `renewing`, a `plesk.renew` job that sets the new
 * expiration at Plesk). Once per term, like servers: the order records the `expires_at` it renewed.
 */
export async function autoRenewSubscription(
  deps: LifecycleDeps,
  subscriptionId: string,
): Promise<{ outcome: RenewOutcome; jobId?: string }> {
  try {
    return await deps.db.transaction().execute(async trx => {
      const sub = await trx
        .selectFrom('plesk_subscriptions')
        .selectAll()
        .where('id', '=', subscriptionId)
        .forUpdate()
        .executeTakeFirst()
      const now = deps.clock.now()
      if (
        !sub ||
        sub.status !== 'active' ||
        !sub.auto_renew ||
        sub.cancel_at !== null ||
        sub.expires_at > addHours(now, autoRenewWindowHours(deps.settings))
      ) {
        return { outcome: 'skipped' as const }
      }
      if (await hasOpenOrder(trx, { kind: 'subscription', id: sub.id }, now)) return { outcome: 'skipped' as const }
      const term = sub.expires_at.toISOString()
      const already = await trx
        .selectFrom('orders')
        .select('id')
        .where('subscription_id', '=', sub.id)
        .where('order_type', '=', 'plesk_renew')
        .where(sql<string>`metadata->>'auto_renew_for'`, '=', term)
        .executeTakeFirst()
      if (already) return { outcome: 'skipped' as const }
      const plan = await trx
        .selectFrom('plesk_plans')
        .select(['id', 'price_cents', 'name'])
        .where('id', '=', sub.plan_id)
        .executeTakeFirstOrThrow()
      const amount = pleskPrice(plan.price_cents, 1)
      const newExpiresAt = addMonths(sub.expires_at > now ? sub.expires_at : now, 1)
      const orderId = newUuid()
      const orderNumber = await nextOrderNumber(trx, 'plesk_renew', now)
      await trx
        .insertInto('orders')
        .values({
          id: orderId,
          user_id: sub.user_id,
          order_number: orderNumber,
          order_type: 'plesk_renew',
          status: checkInitial(ORDER, 'processing'),
          payment_method: 'balance',
          subscription_id: sub.id,
          plan_id: plan.id,
          amount_cents: amount,
          months: 1,
          metadata: JSON.stringify({
            domain_name: sub.domain_name,
            previous_plan_id: plan.id,
            new_plan_id: plan.id,
            new_expires_at: newExpiresAt.toISOString(),
            previous_status: sub.status,
            auto_renew_for: term,
          }),
          description: `Plesk auto-renewal of ${sub.domain_name}, 1 month(s)`,
        })
        .execute()
      if (amount > 0n) {
        await debit(trx, {
          userId: sub.user_id,
          amount,
          kind: 'order_debit',
          orderId,
          reason: `${orderNumber}: auto-renewal of ${sub.domain_name}`,
          actor: LIFECYCLE_ACTOR,
        })
      }
      // Locked and checked active above.
      await movePleskSubscription(trx, sub.id, { from: 'active', to: 'renewing', now })
      const jobId = await enqueueJob(trx, {
        kind: JobKind.pleskRenew,
        payload: { subscriptionId: sub.id, orderId, newPlanId: null, months: 1, previousStatus: sub.status },
        orderId,
        maxAttempts: deps.settings.jobMaxAttempts,
      })
      return { outcome: 'renewed' as const, jobId }
    })
  } catch (err) {
    if (err instanceof AppError && err.code === 'insufficient_balance') {
      deps.logger.info({ subscriptionId }, 'auto-renewal skipped: the balance does not cover it')
      return { outcome: 'insufficient_balance' }
    }
    throw err
  }
}
