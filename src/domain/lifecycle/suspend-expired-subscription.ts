import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { addHours } from '../billing/pricing.ts'
import { movePleskSubscription } from '../state/plesk.ts'
import type { LifecycleDeps } from './settings.ts'

/** Marks one expired Plesk subscription `suspending` and writes its `plesk.suspend` job, in one transaction. */
export async function suspendExpiredSubscription(deps: LifecycleDeps, subscriptionId: string): Promise<string | null> {
  return deps.db.transaction().execute(async trx => {
    const sub = await trx
      .selectFrom('plesk_subscriptions')
      .select(['id', 'status', 'expires_at', 'cancel_at'])
      .where('id', '=', subscriptionId)
      .forUpdate()
      .executeTakeFirst()
    const now = deps.clock.now()
    if (!sub || sub.status !== 'active' || addHours(sub.expires_at, deps.settings.suspendGraceHours) > now) return null
    // A cancelled subscription is ended at its cancel_at, not suspended.
    if (sub.cancel_at !== null) return null
    await movePleskSubscription(trx, sub.id, { from: 'active', to: 'suspending', now })
    return enqueueJob(trx, {
      kind: JobKind.pleskSuspend,
      payload: { subscriptionId: sub.id },
      maxAttempts: deps.settings.jobMaxAttempts,
    })
  })
}
