import { systemClock } from '../deps.ts'
import { createSecretBox } from '../lib/secret-box.ts'
import { resolveSecretsKey } from '../app/secrets-key.ts'
import { notFound, validation } from '../lib/errors.ts'
import { jobDefinitions } from '../jobs/catalog.ts'
import { retryFailedJob } from '../domain/admin/retry-job.ts'
import type { SolusVmApi } from '../integrations/solusvm/types.ts'
import type { PleskApi } from '../integrations/plesk/types.ts'
import { flags, printJson, required, withDb } from './context.ts'

const STATES = ['pending', 'running', 'done', 'failed', 'blocked', 'cancelled']

/** `oxbill jobs list [--state failed] [--limit 50]` */
export async function jobsList(argv: string[]): Promise<number> {
  const { values } = flags(argv, { state: { type: 'string' }, limit: { type: 'string' } })
  return withDb(argv, async h => {
    const state = values.state
    if (state !== undefined && !STATES.includes(state)) {
      throw validation(`--state must be one of ${STATES.join(', ')}`, 'state')
    }
    let q = h.db
      .selectFrom('jobs')
      .select([
        'id',
        'kind',
        'state',
        'order_id',
        'attempts',
        'max_attempts',
        'run_at',
        'last_error',
        'created_at',
        'finished_at',
      ])
      .orderBy('created_at', 'desc')
      .limit(Math.min(Number(values.limit ?? 50) || 50, 1000))
    if (state !== undefined) q = q.where('state', '=', state as import('../db/states.ts').JobState)
    printJson(await q.execute())
    return 0
  })
}

/** `oxbill jobs show ID`: attempts, last error and memoized steps; secrets are never read. */
export async function jobsShow(argv: string[]): Promise<number> {
  const { positionals } = flags(argv, {})
  return withDb(argv, async h => {
    const id = required(positionals[0], 'job id (positional)')
    const job = await h.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
    if (!job) throw notFound('job', id)
    const steps = await h.db
      .selectFrom('job_steps')
      .select(['step', 'result', 'created_at'])
      .where('job_id', '=', id)
      .orderBy('created_at')
      .execute()
    const secret = await h.db.selectFrom('job_secrets').select('job_id').where('job_id', '=', id).executeTakeFirst()
    printJson({ ...job, locked_by: job.locked_by !== null ? 'set' : null, steps, holds_secret: secret !== undefined })
    return 0
  })
}

/** `oxbill jobs retry ID` */
export async function jobsRetry(argv: string[]): Promise<number> {
  const { positionals } = flags(argv, {})
  return withDb(argv, async (h, config) => {
    const id = required(positionals[0], 'job id (positional)')
    // Only parse/onRetry are used here; the provider clients are never called by a retry.
    const defs = jobDefinitions({ db: h.db, solusvm: {} as SolusVmApi, plesk: {} as PleskApi })
    const box = createSecretBox(resolveSecretsKey(config.secretsKey, config.dataDir))
    const res = await retryFailedJob(h.db, defs, box, { jobId: id, actor: 'cli', now: systemClock.now() })
    printJson({
      job_id: id,
      state: 'pending',
      note:
        res.newSecret !== null
          ? 'the secret this job needed was erased when it failed; a new one was generated and the customer must reset it after provisioning'
          : undefined,
    })
    return 0
  })
}
