import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { movePleskSubscription } from '../state/plesk.ts'
import type { LifecycleDeps } from './settings.ts'
import { suspendedTerminationReason } from '../termination/suspended-due.ts'

/**
 * Marks one Plesk subscription that stayed `suspended` past its grace (expiry + TERMINATE_SUSPENDED_AFTER_HOURS
 * ≤ now) `terminating` and writes its `plesk.terminate` job {origin: 'suspended', reason:
 * 'unpaid'}, in one transaction under the row's lock; the job deletes the webspace (its sites, mail and
 * databases are gone for good). The same for a suspended one whose immediate cancellation's job
 * gave up (`cancel_at` ≤ now): that termination's own reason ('cancelled', or 'operator'). An extension still open on it (a crypto order
 * awaiting payment) holds it: the customer is paying. The re-check under the lock makes
 * overlapping runs write one job.
 */
export async function terminateUnpaidSubscription(deps: LifecycleDeps, subscriptionId: string): Promise<string | null> {
  return deps.db.transaction().execute(async trx => {
    const s = await trx
      .selectFrom('plesk_subscriptions')
      .select(['id', 'status', 'expires_at', 'cancel_at'])
      .where('id', '=', subscriptionId)
      .forUpdate()
      .executeTakeFirst()
    const now = deps.clock.now()
    if (!s || s.status !== 'suspended') return null
    const reason = await suspendedTerminationReason(
      trx,
      { kind: 'plesk', id: s.id, expiry: s.expires_at, cancelAt: s.cancel_at },
      now,
      deps.settings.terminateSuspendedAfterHours,
    )
    if (reason === null) return null
    await movePleskSubscription(trx, s.id, {
      from: 'suspended',
      to: 'terminating',
      now,
      set: { auto_renew: false },
      required: true,
    })
    return enqueueJob(trx, {
      kind: JobKind.pleskTerminate,
      payload: { subscriptionId: s.id, origin: 'suspended', reason },
      maxAttempts: deps.settings.jobMaxAttempts,
    })
  })
}
