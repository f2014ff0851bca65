import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { movePleskSubscription } from '../state/plesk.ts'
import type { LifecycleDeps } from './settings.ts'
import { earlierTerminationReason } from '../termination/earlier-reason.ts'

/**
 * Marks one Plesk subscription whose cancellation is due `terminating` and writes its
 * `plesk.terminate` job, in one transaction under the row's lock (as `terminateCancelledServer`).
 */
export async function terminateCancelledSubscription(
  deps: LifecycleDeps,
  subscriptionId: string,
): Promise<string | null> {
  return deps.db.transaction().execute(async trx => {
    const sub = await trx
      .selectFrom('plesk_subscriptions')
      .select(['id', 'status', 'cancel_at'])
      .where('id', '=', subscriptionId)
      .forUpdate()
      .executeTakeFirst()
    const now = deps.clock.now()
    if (!sub || sub.status !== 'active' || sub.cancel_at === null || sub.cancel_at > now) return null
    const reason = (await earlierTerminationReason(trx, { kind: 'plesk', id: sub.id })) ?? 'cancelled'
    await movePleskSubscription(trx, sub.id, { from: 'active', to: 'terminating', now })
    return enqueueJob(trx, {
      kind: JobKind.pleskTerminate,
      payload: { subscriptionId: sub.id, origin: 'active', reason },
      maxAttempts: deps.settings.jobMaxAttempts,
    })
  })
}
