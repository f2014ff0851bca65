import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { moveServer } from '../state/servers.ts'
import type { LifecycleDeps } from './settings.ts'
import { suspendedTerminationReason } from '../termination/suspended-due.ts'

/**
 * Marks one server that stayed `suspended` past its grace (expiry + TERMINATE_SUSPENDED_AFTER_HOURS
 * ≤ now) `terminating` and writes its `server.terminate` job {origin: 'suspended', reason:
 * 'unpaid'}, in one transaction under the row's lock; the job deletes the VM (its data is gone for
 * good) and ends its addons. The same for a suspended server whose immediate cancellation's job
 * gave up (`cancel_at` ≤ now): that termination's own reason ('cancelled', or 'operator'). An extension still open on it (a crypto order
 * awaiting payment) holds it: the customer is paying. The re-check under the lock makes
 * overlapping runs write one job.
 */
export async function terminateUnpaidServer(deps: LifecycleDeps, serverId: string): Promise<string | null> {
  return deps.db.transaction().execute(async trx => {
    const s = await trx
      .selectFrom('servers')
      .select(['id', 'status', 'expire_date', 'cancel_at'])
      .where('id', '=', serverId)
      .forUpdate()
      .executeTakeFirst()
    const now = deps.clock.now()
    if (!s || s.status !== 'suspended') return null
    const reason = await suspendedTerminationReason(
      trx,
      { kind: 'server', id: s.id, expiry: s.expire_date, cancelAt: s.cancel_at },
      now,
      deps.settings.terminateSuspendedAfterHours,
    )
    if (reason === null) return null
    await moveServer(trx, s.id, {
      from: 'suspended',
      to: 'terminating',
      now,
      set: { auto_renew: false },
      required: true,
    })
    return enqueueJob(trx, {
      kind: JobKind.serverTerminate,
      payload: { serverId: s.id, origin: 'suspended', reason },
      maxAttempts: deps.settings.jobMaxAttempts,
    })
  })
}
