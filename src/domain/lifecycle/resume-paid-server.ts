import type { Db } from '../../db/connect.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'

/**
 * Called in an extension's transaction: a suspended server whose new expiry is in the
 * future gets a `server.resume` job, committed with the payment. Returns the job id, or undefined.
 */
export async function resumePaidServer(
  trx: Db,
  opts: { serverId: string; status: string; newExpire: Date; now: Date; maxAttempts: number },
): Promise<string | undefined> {
  if (opts.status !== 'suspended' || opts.newExpire <= opts.now) return undefined
  return enqueueJob(trx, {
    kind: JobKind.serverResume,
    payload: { serverId: opts.serverId },
    maxAttempts: opts.maxAttempts,
  })
}
