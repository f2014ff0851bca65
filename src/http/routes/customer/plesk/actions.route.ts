import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listPleskActions } from '../../../../domain/plesk/list-plesk-actions.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { PleskActionsQuery, PleskActionsResponse } from './actions.schema.ts'

/** GET /API/plesk/actions: the actions of one subscription, newest first (at most 50). */
export const pleskActionsRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/plesk/actions',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'pleskActions',
          tags: ['plesk'],
          summary: 'The actions of one Plesk subscription (FTP password, operator suspend/resume), newest first (≤ 50)',
          querystring: PleskActionsQuery,
          response: withErrors({ 200: PleskActionsResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true as const,
        actions: await listPleskActions(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          subscriptionId: req.query.subscription_id,
        }),
      }),
    )
  }
