import type { Deps } from '../../deps.ts'
import { silentLogger } from '../../lib/logger.ts'
import { movePleskSubscription } from '../../domain/state/plesk.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { JobDefinition } from '../../outbox/types.ts'
import {
  originOf,
  parseTerminationPayload,
  reasonOf,
  type TerminationPayload,
} from '../../domain/termination/terminate-payload.ts'

/**
 * Ends a Plesk subscription (cancelled by its owner, terminated by an operator, or unpaid past the
 * grace period): deletes the webspace (looked up first, so a retry after a lost answer — Plesk
 * would say 1013 — sees it gone), then `terminating` → `deleted`, which writes
 * `service.terminated` {reason} once. Giving up puts it back where it came from (`origin`: `active`
 * with its `cancel_at` kept, or `suspended`); the next lifecycle run tries again.
 */
export function pleskTerminateJob(
  deps: Pick<Deps, 'db' | 'plesk' | 'clock'> & Partial<Pick<Deps, 'logger'>>,
): JobDefinition<{ subscriptionId: string } & TerminationPayload> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.pleskTerminate,
    version: 1,
    parse: p => parseTerminationPayload(p, 'subscriptionId'),
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
          reason: reasonOf(ctx.payload),
        })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      const origin = originOf(payload)
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'terminating',
        to: origin,
        now: deps.clock.now(),
      })
      logger.error(
        { subscriptionId: payload.subscriptionId, origin, reason },
        `could not delete a subscription at Plesk; it is ${origin} again and the next lifecycle run tries again`,
      )
    },
    async onRetry(trx, payload) {
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: originOf(payload),
        to: 'terminating',
        now: deps.clock.now(),
      })
    },
  }
}
