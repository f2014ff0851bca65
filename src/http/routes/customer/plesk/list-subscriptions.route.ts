import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listSubscriptions } from '../../../../domain/queries/list-subscriptions.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { PagedUserQuery } from '../shared.schema.ts'
import { ListSubscriptionsResponse } from './plesk.schema.ts'

/** GET /API/plesk/subscriptions/list: the Plesk subscriptions of the caller, newest first. */
export const listSubscriptionsRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/plesk/subscriptions/list',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listPleskSubscriptions',
          tags: ['plesk'],
          summary: 'The Plesk subscriptions of the caller, newest first',
          querystring: PagedUserQuery,
          response: withErrors({ 200: ListSubscriptionsResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true,
        ...(await listSubscriptions(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          page: pageOf(req.query),
        })),
      }),
    )
  }
