import type { Deps } from '../../deps.ts'
import { jobDefinitions } from '../../jobs/catalog.ts'
import { retryFailedJob } from '../../jobs/retry-job.ts'
import type { AdminMeta } from './meta.ts'

/**
 * An operator's retry of a failed job, through the same function as `oxbill jobs retry`: the
 * order is charged again, the failure's state changes are undone and the job is pending again,
 * in one transaction with its audit record. A secret the failure erased is replaced by a new one,
 * which is never shown: the answer only says that the customer must reset it.
 */
export async function retryJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'plesk' | 'secretBox' | 'runner' | 'clock'>,
  meta: AdminMeta,
  jobId: string,
) {
  const res = await retryFailedJob(deps.db, jobDefinitions(deps), deps.secretBox, {
    jobId,
    actor: meta.actor,
    requestId: meta.requestId,
    now: deps.clock.now(),
  })
  // Wake the worker rather than run the job here: a retry answers at once, like the CLI.
  deps.runner.poke()
  return { job_id: jobId, state: 'pending' as const, new_secret_generated: res.newSecret !== null }
}
