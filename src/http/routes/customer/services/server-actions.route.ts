import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listServerActions } from '../../../../domain/servers/list-server-actions.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ServerActionsQuery, ServerActionsResponse } from './power.schema.ts'

/** GET /API/servers/actions: the actions of one server (power and rebuild), newest first (at most 50). */
export const serverActionsRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/servers/actions',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverActions',
          tags: ['servers'],
          summary: 'The actions of one server (power, reinstall, password reset, rescue), newest first (at most 50)',
          querystring: ServerActionsQuery,
          response: withErrors({ 200: ServerActionsResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true as const,
        actions: await listServerActions(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          serverId: req.query.server_id,
        }),
      }),
    )
  }
