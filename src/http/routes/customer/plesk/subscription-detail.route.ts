import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { getSubscription } from '../../../../domain/queries/get-subscription.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { SubscriptionDetailQuery, SubscriptionDetailResponse } from './plesk.schema.ts'

/** GET /API/plesk/subscriptions/detail: one Plesk subscription of the caller and its orders (never the FTP password). */
export const subscriptionDetailRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/plesk/subscriptions/detail',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'pleskSubscriptionDetail',
          tags: ['plesk'],
          summary: 'One Plesk subscription of the caller and its orders (never the FTP password)',
          querystring: SubscriptionDetailQuery,
          response: withErrors({ 200: SubscriptionDetailResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true as const,
        ...(await getSubscription(deps.db, { principal: principalOf(req), subscriptionId: req.query.id })),
      }),
    )
  }
