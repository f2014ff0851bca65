import type { Db } from '../../db/connect.ts'
import type { JobState } from '../../db/states.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { iso, isoOrNull } from './views.ts'

/** The states a job moves through (jobs/runner.ts). */
export const JOB_STATES = ['blocked', 'pending', 'running', 'done', 'failed', 'cancelled'] as const

/**
 * Jobs, newest first, by state and kind. The payload, the lease token and the encrypted secret
 * are never returned; `holds_secret` only says whether a secret is still waiting to be used.
 */
export async function listJobs(db: Db, filter: { state?: string; kind?: string; orderId?: string }, page: PageRequest) {
  let q = db
    .selectFrom('jobs')
    .select([
      'id',
      'kind',
      'version',
      'state',
      'order_id',
      'attempts',
      'max_attempts',
      'run_at',
      'lease_until',
      'last_error',
      'created_at',
      'updated_at',
      'finished_at',
    ])
    .select(eb =>
      eb
        .exists(eb.selectFrom('job_secrets').select('job_id').whereRef('job_secrets.job_id', '=', 'jobs.id'))
        .as('holds_secret'),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  if (filter.state !== undefined) q = q.where('state', '=', filter.state as JobState)
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind)
  if (filter.orderId !== undefined) q = q.where('order_id', '=', filter.orderId)
  const { rows, meta } = await fetchPage(q, page)
  return {
    data: rows.map(j => ({
      id: j.id,
      kind: j.kind,
      version: j.version,
      state: j.state,
      order_id: j.order_id,
      attempts: j.attempts,
      max_attempts: j.max_attempts,
      last_error: j.last_error,
      holds_secret: Boolean(j.holds_secret),
      run_at: iso(j.run_at),
      lease_until: isoOrNull(j.lease_until),
      created_at: iso(j.created_at),
      updated_at: iso(j.updated_at),
      finished_at: isoOrNull(j.finished_at),
    })),
    meta,
  }
}
