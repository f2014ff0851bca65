import type { Deps } from '../../deps.ts'
import { silentLogger } from '../../lib/logger.ts'
import { movePleskSubscription } from '../../domain/state/plesk.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Suspends an expired Plesk subscription (webspace status 16), then marks it `suspended`. A
 * renewal re-activates it (`plesk.renew`). Giving up puts it back to `active`.
 */
export function pleskSuspendJob(
  deps: Pick<Deps, 'db' | 'plesk' | 'clock'> & Partial<Pick<Deps, 'logger'>>,
): JobDefinition<{ subscriptionId: string }> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.pleskSuspend,
    version: 1,
    parse: p => requireStrings(p, ['subscriptionId']),
    async handler(ctx) {
      const { subscriptionId } = ctx.payload
      const sub = await deps.db
        .selectFrom('plesk_subscriptions')
        .select(['domain_name', 'status'])
        .where('id', '=', subscriptionId)
        .executeTakeFirstOrThrow()
      if (sub.status === 'suspending') {
        await ctx.step('suspend', async () => {
          await deps.plesk.suspend(sub.domain_name)
          return true
        })
      }
      await ctx.finish(async trx => {
        await movePleskSubscription(trx, subscriptionId, { from: 'suspending', to: 'suspended', now: deps.clock.now() })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'suspending',
        to: 'active',
        now: deps.clock.now(),
      })
      logger.error(
        { subscriptionId: payload.subscriptionId, reason },
        'could not suspend an expired subscription; it stays active',
      )
    },
    async onRetry(trx, payload) {
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'active',
        to: 'suspending',
        now: deps.clock.now(),
      })
    },
  }
}
