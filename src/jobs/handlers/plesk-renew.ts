import type { Deps } from '../../deps.ts'
import { credit } from '../../domain/billing/ledger.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { JobKind } from '../kinds.ts'
import { requireStrings } from '../payload.ts'
import type { JobDefinition } from '../types.ts'

interface Payload { subscriptionId: string, orderId: string, newPlanId: string | null, newExpiresAt: string, previousStatus: string }

/** Applies a renewal at Plesk (plan switch if any, new expiration, re-activation), then records it. */
export function pleskRenewJob (deps: Pick<Deps, 'db' | 'plesk'>): JobDefinition<Payload> {
  return {
    kind: JobKind.pleskRenew,
    version: 1,
    parse: p => {
      const s = requireStrings(p, ['subscriptionId', 'orderId', 'newExpiresAt', 'previousStatus'], ['newPlanId'])
      return { ...s, newPlanId: (p as { newPlanId?: string | null }).newPlanId ?? null }
    },
    async handler (ctx) {
      const { subscriptionId, orderId, newPlanId, newExpiresAt, previousStatus } = ctx.payload
      const sub = await deps.db.selectFrom('plesk_subscriptions').select(['domain_name']).where('id', '=', subscriptionId).executeTakeFirstOrThrow()
      if (newPlanId !== null) {
        const plan = await deps.db.selectFrom('plesk_plans').select('plesk_plan_name').where('id', '=', newPlanId).executeTakeFirstOrThrow()
        await ctx.step('switch', async () => { await deps.plesk.switchPlan(sub.domain_name, plan.plesk_plan_name); return true })
      }
      await ctx.step('expiration', async () => { await deps.plesk.setExpiration(sub.domain_name, new Date(newExpiresAt)); return true })
      if (previousStatus !== 'active') await ctx.step('activate', async () => { await deps.plesk.activate(sub.domain_name); return true })
      await ctx.finish(async trx => {
        const order = await trx.selectFrom('orders').select(['user_id', 'credit_cents', 'order_number']).where('id', '=', orderId).executeTakeFirstOrThrow()
        await trx.updateTable('plesk_subscriptions').set({
          status: 'active', expires_at: new Date(newExpiresAt), ...(newPlanId !== null ? { plan_id: newPlanId } : {}), updated_at: new Date(),
        }).where('id', '=', subscriptionId).execute()
        if (order.credit_cents > 0n) {
          await credit(trx, { userId: order.user_id, amount: order.credit_cents, kind: 'downgrade_credit', orderId, reason: `${order.order_number}: downgrade credit`, actor: 'worker' })
        }
        await trx.updateTable('orders').set({ status: 'completed', updated_at: new Date() }).where('id', '=', orderId).execute()
      })
    },
    async onFailure (trx, _job, payload, reason) {
      await failAndRefundOrder(trx, payload.orderId, reason)
      await trx.updateTable('plesk_subscriptions').set({ status: payload.previousStatus, updated_at: new Date() })
        .where('id', '=', payload.subscriptionId).where('status', '=', 'renewing').execute()
    },
    async onRetry (trx, payload) {
      await trx.updateTable('plesk_subscriptions').set({ status: 'renewing', updated_at: new Date() }).where('id', '=', payload.subscriptionId).execute()
    },
  }
}
