import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { moveServer } from '../state/servers.ts'
import { earlierTerminationReason } from '../termination/earlier-reason.ts'
import type { LifecycleDeps } from './settings.ts'

/**
 * Marks one server whose cancellation is due `terminating` and writes its `server.terminate` job,
 * in one transaction under the row's lock (the SolusVM delete happens in the job). The re-check
 * under the lock is what makes overlapping lifecycle runs write one job: the second finds the
 * row no longer `active`. A termination that began earlier and gave up (an operator's, an
 * immediate cancellation) is tried again with its own reason.
 */
export async function terminateCancelledServer(deps: LifecycleDeps, serverId: string): Promise<string | null> {
  return deps.db.transaction().execute(async trx => {
    const s = await trx
      .selectFrom('servers')
      .select(['id', 'status', 'cancel_at'])
      .where('id', '=', serverId)
      .forUpdate()
      .executeTakeFirst()
    const now = deps.clock.now()
    if (!s || s.status !== 'active' || s.cancel_at === null || s.cancel_at > now) return null
    const reason = (await earlierTerminationReason(trx, { kind: 'server', id: s.id })) ?? 'cancelled'
    await moveServer(trx, s.id, { from: 'active', to: 'terminating', now })
    return enqueueJob(trx, {
      kind: JobKind.serverTerminate,
      payload: { serverId: s.id, origin: 'active', reason },
      maxAttempts: deps.settings.jobMaxAttempts,
    })
  })
}
