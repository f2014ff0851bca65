import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { moveServerAddon } from '../state/servers.ts'
import type { LifecycleDeps } from './settings.ts'

/**
 * Marks one `assigned` addon whose cancellation is due (`cancel_at` ≤ now: its server's expiry for
 * end_of_term, or an immediate one whose job gave up) `releasing` and writes its `addon.release`
 * job, in one transaction under the server's then the addon's lock (the order every writer of
 * addons takes); the re-check under the lock makes overlapping runs write one job.
 */
export async function releaseCancelledAddon(deps: LifecycleDeps, addonId: string): Promise<string | null> {
  return deps.db.transaction().execute(async trx => {
    const ref = await trx.selectFrom('server_addons').select('server_id').where('id', '=', addonId).executeTakeFirst()
    if (!ref) return null
    await trx.selectFrom('servers').select('id').where('id', '=', ref.server_id).forUpdate().execute()
    const a = await trx
      .selectFrom('server_addons')
      .select(['id', 'status', 'cancel_at'])
      .where('id', '=', addonId)
      .forUpdate()
      .executeTakeFirst()
    const now = deps.clock.now()
    if (!a || a.status !== 'assigned' || a.cancel_at === null || a.cancel_at > now) return null
    await moveServerAddon(trx, a.id, { from: 'assigned', to: 'releasing', now, required: true })
    return enqueueJob(trx, {
      kind: JobKind.addonRelease,
      payload: { serverAddonId: a.id },
      maxAttempts: deps.settings.jobMaxAttempts,
    })
  })
}
