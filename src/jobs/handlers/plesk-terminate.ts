import type { Deps } from '../../deps.ts'
import { silentLogger } from '../../lib/logger.ts'
import { movePleskSubscription } from '../../domain/state/plesk.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Ends a Plesk subscription whose owner cancelled it at the end of its term: deletes the webspace
 * (looked up first, so a retry after a lost answer — Plesk would say 1013 — sees it gone), then
 * `terminating` → `deleted`, which writes `service.terminated` {reason: 'cancelled'} once. Giving
 * up puts it back to `active` with its `cancel_at` kept; the next lifecycle run tries again.
 */
export function pleskTerminateJob(
  deps: Pick<Deps, 'db' | 'plesk' | 'clock'> & Partial<Pick<Deps, 'logger'>>,
): JobDefinition<{ subscriptionId: string }> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.pleskTerminate,
    version: 1,
    parse: p => requireStrings(p, ['subscriptionId']),
    async handler(ctx) {
      const { subscriptionId } = ctx.payload
      const sub = await deps.db
        .selectFrom('plesk_subscriptions')
        .select(['domain_name', 'status'])
        .where('id', '=', subscriptionId)
        .executeTakeFirstOrThrow()
      if (sub.status !== 'terminating') return ctx.finish(async () => {})
      if ((await deps.plesk.findWebspace(sub.domain_name)) !== null) {
        await ctx.step('delete', async () => {
          await deps.plesk.deleteWebspace(sub.domain_name)
          return true
        })
      }
      await ctx.finish(async trx => {
        await movePleskSubscription(trx, subscriptionId, {
          from: 'terminating',
          to: 'deleted',
          now: deps.clock.now(),
          required: true,
        })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'terminating',
        to: 'active',
        now: deps.clock.now(),
      })
      logger.error(
        { subscriptionId: payload.subscriptionId, reason },
        'could not delete a cancelled subscription at Plesk; it stays active and the next lifecycle run tries again',
      )
    },
    async onRetry(trx, payload) {
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'active',
        to: 'terminating',
        now: deps.clock.now(),
      })
    },
  }
}
