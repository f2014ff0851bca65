import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { addHours } from '../billing/pricing.ts'
import { moveServer } from '../state/servers.ts'
import type { LifecycleDeps } from './settings.ts'

/**
 * Marks one expired server `suspending` and writes its `server.suspend` job, in one transaction
 * (the SolusVM call happens in the job, never inside a transaction). The status change keeps it
 * out of the next run and makes plan changes and addons refuse it at once.
 */
export async function suspendExpiredServer(deps: LifecycleDeps, serverId: string): Promise<string | null> {
  return deps.db.transaction().execute(async trx => {
    const s = await trx
      .selectFrom('servers')
      .select(['id', 'status', 'expire_date', 'id_solusvm', 'cancel_at'])
      .where('id', '=', serverId)
      .forUpdate()
      .executeTakeFirst()
    const now = deps.clock.now()
    if (!s || s.status !== 'active' || addHours(s.expire_date, deps.settings.suspendGraceHours) > now) return null
    // A cancelled server is ended at its cancel_at, not suspended.
    if (s.cancel_at !== null) return null
    // Never provisioned: there is nothing to suspend at SolusVM.
    if (s.id_solusvm === null) {
      deps.logger.warn({ serverId }, 'expired server has no SolusVM id; not suspended')
      return null
    }
    await moveServer(trx, s.id, { from: 'active', to: 'suspending', now })
    return enqueueJob(trx, {
      kind: JobKind.serverSuspend,
      payload: { serverId: s.id },
      maxAttempts: deps.settings.jobMaxAttempts,
    })
  })
}
