import type { Deps } from '../../deps.ts'
import { credit } from '../../domain/billing/ledger.ts'
import { addHours, secondsUntil, settlePlanChange, TERM_HOURS } from '../../domain/billing/pricing.ts'
import { recordPeriod } from '../../domain/billing/periods.ts'
import { mergeMetadata } from '../../db/json-merge.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { moveOrder } from '../../domain/state/orders.ts'
import { moveServer } from '../../domain/state/servers.ts'
import { AppError } from '../../lib/errors.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Resizes the VM to the new plan, then, in one transaction: the change is settled on the
 * remaining time at that moment (`settlePlanChange`: a refund of what was paid above it, a
 * downgrade's credit), plan switched, term extended by 720 h, paid period recorded, order completed.
 */
export function serverResizeJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & { taskTimeoutMs: number },
): JobDefinition<{ serverId: string; orderId: string; newPlanId: string }> {
  return {
    kind: JobKind.serverResize,
    version: 1,
    parse: p => requireStrings(p, ['serverId', 'orderId', 'newPlanId']),
    async handler(ctx) {
      const { serverId, orderId, newPlanId } = ctx.payload
      const server = await deps.db
        .selectFrom('servers')
        .select(['id_solusvm'])
        .where('id', '=', serverId)
        .executeTakeFirstOrThrow()
      if (server.id_solusvm === null) {
        throw new AppError('invalid_state', 'the server has no SolusVM id; it was never provisioned')
      }
      const plan = await deps.db
        .selectFrom('vps_plans')
        .select(['solusvm_plan_id'])
        .where('id', '=', newPlanId)
        .executeTakeFirstOrThrow()
      const vm = await deps.solusvm.getServer(server.id_solusvm)
      if (!vm) throw new AppError('provider_error', `SolusVM has no server ${server.id_solusvm}`)
      // A retry after a lost response: the VM may already be on the new plan.
      if (vm.planId !== plan.solusvm_plan_id) {
        const taskId = await ctx.step(
          'resize',
          async () => (await deps.solusvm.resizeServer(server.id_solusvm!, plan.solusvm_plan_id)).id,
        )
        await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
      }
      await ctx.finish(async trx => {
        const order = await trx
          .selectFrom('orders')
          .select(['user_id', 'amount_cents', 'order_number'])
          .where('id', '=', orderId)
          .executeTakeFirstOrThrow()
        const s = await trx
          .selectFrom('servers')
          .select(['expire_date', 'plan_id'])
          .where('id', '=', serverId)
          .forUpdate()
          .executeTakeFirstOrThrow()
        const prices = await trx
          .selectFrom('vps_plans')
          .select(['id', 'price_cents'])
          .where('id', 'in', [s.plan_id, newPlanId])
          .execute()
        const price = (id: string): bigint => prices.find(r => r.id === id)!.price_cents
        // Settled on the remaining time now: the time since the quote ran on the old plan.
        const now = deps.clock.now()
        const settled = settlePlanChange({
          oldPrice: price(s.plan_id),
          newPrice: price(newPlanId),
          remainingSeconds: secondsUntil(s.expire_date, now),
          paid: order.amount_cents,
        })
        // The new term follows the current one, or starts now when the server had already expired.
        const from = s.expire_date > now ? s.expire_date : now
        const newExpire = new Date(addHours(from, TERM_HOURS).getTime() - Number(settled.shortenSeconds) * 1000)
        await moveServer(trx, serverId, {
          from: 'resizing',
          to: 'active',
          set: { plan_id: newPlanId, expire_date: newExpire },
          now,
          required: true,
        })
        if (settled.refund > 0n) {
          const kind = price(newPlanId) < price(s.plan_id) ? 'downgrade_credit' : 'proration_credit'
          await credit(trx, {
            userId: order.user_id,
            amount: settled.refund,
            kind,
            orderId,
            reason: `${order.order_number}: ${kind === 'downgrade_credit' ? 'downgrade credit' : 'time between quote and change'}`,
            actor: 'worker',
          })
        }
        await recordPeriod(trx, {
          userId: order.user_id,
          serviceKind: 'server',
          serviceId: serverId,
          orderId,
          kind: 'plan_change',
          planId: newPlanId,
          startsAt: now,
          endsAt: newExpire,
          amount: order.amount_cents - settled.refund,
        })
        await moveOrder(trx, orderId, {
          from: 'processing',
          to: 'completed',
          set: {
            metadata: mergeMetadata({
              settled_remaining_seconds: Number(secondsUntil(s.expire_date, now)),
              settled_refund_cents: settled.refund.toString(),
              shortened_seconds: Number(settled.shortenSeconds),
            }),
          },
          now: deps.clock.now(),
          required: true,
        })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await failAndRefundOrder(trx, payload.orderId, reason, deps.clock.now())
      await moveServer(trx, payload.serverId, { from: 'resizing', to: 'active', now: deps.clock.now() })
    },
    async onRetry(trx, payload) {
      // The retry's requote (requote-order.ts) has normally set it resizing already.
      await moveServer(trx, payload.serverId, { from: 'active', to: 'resizing', now: deps.clock.now() })
    },
  }
}
