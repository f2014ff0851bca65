import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { listJobs } from '../../../domain/admin/list-jobs.ts'
import { retryJob } from '../../../domain/admin/retry-job.ts'
import { pageOf } from '../../schemas/paging.ts'
import { adminMeta } from './meta.ts'
import { NoQuery, responses } from './common.schema.ts'
import { JobParams, JobsQuery, JobsResponse, RetryJobResponse } from './overview.schema.ts'

const admin = { auth: 'admin' as const }
const tags = ['admin']

/** Jobs: list (no payloads, no secrets) and retry of a failed one. */
export const adminJobsRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/admin/jobs',
      {
        config: admin,
        schema: {
          operationId: 'adminListJobs',
          tags,
          summary: 'Jobs, newest first, by state, kind and order, with attempts and the last error',
          querystring: JobsQuery,
          response: responses({ 200: JobsResponse }),
        },
      },
      async req => ({
        success: true,
        ...(await listJobs(
          deps.db,
          { state: req.query.state, kind: req.query.kind, orderId: req.query.order_id },
          pageOf(req.query),
        )),
      }),
    )

    app.post(
      '/API/admin/jobs/:job_id/retry',
      {
        config: admin,
        schema: {
          operationId: 'adminRetryJob',
          tags,
          summary: 'Retry a failed job: its order is charged again (402 if the balance cannot cover it)',
          params: JobParams,
          querystring: NoQuery,
          response: responses({ 200: RetryJobResponse }, ['insufficient_balance', 'invalid_state']),
        },
      },
      async req => ({ success: true, ...(await retryJob(deps, adminMeta(req), req.params.job_id)) }),
    )
  }
