import type { Deps } from '../../deps.ts'
import { addHours } from '../../domain/billing/pricing.ts'
import { AppError } from '../../lib/errors.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { moveOrder } from '../../domain/state/orders.ts'
import { resumePaidServer } from '../../domain/lifecycle/resume-paid-server.ts'
import { recordPeriod } from '../../domain/billing/periods.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { JobDefinition } from '../../outbox/types.ts'
import { recordServiceEvent } from '../../domain/events/record-object-event.ts'

interface Payload {
  serverId: string
  orderId: string
  hours: number
}

/**
 * Applies a crypto-paid extension (balance extensions complete in their order's transaction):
 * the term grows by `hours` from the current expiry, or from now if the server expired while
 * the invoice was being paid. No provider call, so it finishes in one transaction; a suspended
 * server gets a `server.resume` job in that transaction.
 */
export function serverExtendJob(deps: Pick<Deps, 'db' | 'clock'> & { jobMaxAttempts: number }): JobDefinition<Payload> {
  return {
    kind: JobKind.serverExtend,
    version: 1,
    parse: p => {
      const o = p as Partial<Payload> | null
      if (
        typeof o?.serverId !== 'string' ||
        typeof o.orderId !== 'string' ||
        !Number.isSafeInteger(o.hours) ||
        o.hours! < 1
      ) {
        throw new AppError('internal_error', 'server.extend payload needs serverId, orderId and hours')
      }
      return { serverId: o.serverId, orderId: o.orderId, hours: o.hours! }
    },
    async handler(ctx) {
      const { serverId, orderId, hours } = ctx.payload
      await ctx.finish(async trx => {
        const s = await trx
          .selectFrom('servers')
          .select(['expire_date', 'status', 'plan_id'])
          .where('id', '=', serverId)
          .forUpdate()
          .executeTakeFirstOrThrow()
        const now = deps.clock.now()
        const from = s.expire_date > now ? s.expire_date : now
        const newExpire = addHours(from, hours)
        await trx
          .updateTable('servers')
          .set({ expire_date: newExpire, updated_at: now })
          .where('id', '=', serverId)
          .execute()
        const order = await trx
          .selectFrom('orders')
          .select(['user_id', 'amount_cents'])
          .where('id', '=', orderId)
          .executeTakeFirstOrThrow()
        await recordPeriod(trx, {
          userId: order.user_id,
          serviceKind: 'server',
          serviceId: serverId,
          orderId,
          kind: 'term',
          planId: s.plan_id,
          startsAt: from,
          endsAt: newExpire,
          amount: order.amount_cents,
        })
        await resumePaidServer(trx, { serverId, status: s.status, newExpire, now, maxAttempts: deps.jobMaxAttempts })
        await recordServiceEvent(trx, 'service.renewed', { kind: 'server', id: serverId }, now, {}, orderId)
        await moveOrder(trx, orderId, { from: 'processing', to: 'completed', now: deps.clock.now(), required: true })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await failAndRefundOrder(trx, payload.orderId, reason, deps.clock.now())
    },
    async onRetry() {},
  }
}
