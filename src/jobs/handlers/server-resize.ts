import type { Deps } from '../../deps.ts'
import { credit } from '../../domain/billing/ledger.ts'
import { addHours, TERM_HOURS } from '../../domain/billing/pricing.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { AppError } from '../../domain/errors.ts'
import { JobKind } from '../kinds.ts'
import { requireStrings } from '../payload.ts'
import type { JobDefinition } from '../types.ts'

/**
 * Resizes the VM to the new plan, then, in one transaction: plan switched, term extended by
 * 720 h, order completed, and a downgrade's credit paid out (only now that the change happened).
 */
export function serverResizeJob (deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & { taskTimeoutMs: number }): JobDefinition<{ serverId: string, orderId: string, newPlanId: string }> {
  return {
    kind: JobKind.serverResize,
    version: 1,
    parse: p => requireStrings(p, ['serverId', 'orderId', 'newPlanId']),
    async handler (ctx) {
      const { serverId, orderId, newPlanId } = ctx.payload
      const server = await deps.db.selectFrom('servers').select(['id_solusvm']).where('id', '=', serverId).executeTakeFirstOrThrow()
      if (server.id_solusvm === null) throw new AppError('invalid_state', 'the server has no SolusVM id; it was never provisioned')
      const plan = await deps.db.selectFrom('vps_plans').select(['solusvm_plan_id']).where('id', '=', newPlanId).executeTakeFirstOrThrow()
      const vm = await deps.solusvm.getServer(server.id_solusvm)
      if (!vm) throw new AppError('provider_error', `SolusVM has no server ${server.id_solusvm}`)
      // A retry after a lost response: the VM may already be on the new plan.
      if (vm.planId !== plan.solusvm_plan_id) {
        const taskId = await ctx.step('resize', async () => (await deps.solusvm.resizeServer(server.id_solusvm!, plan.solusvm_plan_id)).id)
        await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
      }
      await ctx.finish(async trx => {
        const order = await trx.selectFrom('orders').select(['user_id', 'credit_cents', 'order_number']).where('id', '=', orderId).executeTakeFirstOrThrow()
        const s = await trx.selectFrom('servers').select('expire_date').where('id', '=', serverId).forUpdate().executeTakeFirstOrThrow()
        // The new term follows the current one, or starts now when the server had already expired.
        const now = deps.clock.now()
        const from = s.expire_date > now ? s.expire_date : now
        await trx.updateTable('servers').set({ plan_id: newPlanId, status: 'active', expire_date: addHours(from, TERM_HOURS), updated_at: now })
          .where('id', '=', serverId).execute()
        if (order.credit_cents > 0n) {
          await credit(trx, { userId: order.user_id, amount: order.credit_cents, kind: 'downgrade_credit', orderId, reason: `${order.order_number}: downgrade credit`, actor: 'worker' })
        }
        await trx.updateTable('orders').set({ status: 'completed', updated_at: new Date() }).where('id', '=', orderId).execute()
      })
    },
    async onFailure (trx, _job, payload, reason) {
      await failAndRefundOrder(trx, payload.orderId, reason)
      await trx.updateTable('servers').set({ status: 'active', updated_at: new Date() }).where('id', '=', payload.serverId).where('status', '=', 'resizing').execute()
    },
    async onRetry (trx, payload) {
      await trx.updateTable('servers').set({ status: 'resizing', updated_at: new Date() }).where('id', '=', payload.serverId).execute()
    },
  }
}
