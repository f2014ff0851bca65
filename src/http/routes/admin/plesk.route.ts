import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { suspendSubscription } from '../../../domain/plesk/suspend-subscription.ts'
import { resumeSubscription } from '../../../domain/plesk/resume-subscription.ts'
import { adminMeta } from './meta.ts'
import { NoQuery, responses } from './common.schema.ts'
import { AdminPleskActionResponse, AdminPleskResumeBody, AdminPleskSuspendBody } from './plesk.schema.ts'

const admin = { auth: 'admin' as const }
const tags = ['admin']
const errors = ['not_found', 'invalid_state', 'action_pending'] as const

/**
 * An operator suspends a Plesk subscription (not lifted by a renewal or the lifecycle) and lifts
 * that suspension (never the lifecycle's unpaid one). Both queue a `plesk.action` job: 202.
 */
export const adminPleskRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    const jobDeps = { ...deps, jobMaxAttempts: deps.config.jobMaxAttempts }

    app.post(
      '/API/admin/plesk/suspend',
      {
        config: admin,
        schema: {
          operationId: 'adminPleskSuspend',
          tags,
          summary: 'Suspend a Plesk subscription as an operator: renewals and the lifecycle leave it suspended',
          querystring: NoQuery,
          body: AdminPleskSuspendBody,
          response: responses({ 202: AdminPleskActionResponse }, errors),
        },
      },
      async (req, reply) => {
        const meta = adminMeta(req)
        const action = await suspendSubscription(jobDeps, {
          actor: meta.actor,
          requestId: meta.requestId,
          subscriptionId: req.body.subscription_id,
          reason: req.body.reason,
        })
        return reply.status(202).send({ success: true as const, action })
      },
    )

    app.post(
      '/API/admin/plesk/resume',
      {
        config: admin,
        schema: {
          operationId: 'adminPleskResume',
          tags,
          summary:
            "Lift an operator's suspension of a Plesk subscription (one suspended for non-payment stays suspended until renewed)",
          querystring: NoQuery,
          body: AdminPleskResumeBody,
          response: responses({ 202: AdminPleskActionResponse }, errors),
        },
      },
      async (req, reply) => {
        const meta = adminMeta(req)
        const action = await resumeSubscription(jobDeps, {
          actor: meta.actor,
          requestId: meta.requestId,
          subscriptionId: req.body.subscription_id,
        })
        return reply.status(202).send({ success: true as const, action })
      },
    )
  }
