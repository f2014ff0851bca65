import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { getServer } from '../../../../domain/queries/get-server.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ServerDetailResponse, ServerIdQuery } from './services.schema.ts'

/** GET /API/servers/detail: one server of the caller: the full server row and its addons. */
export const serverDetailRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/servers/detail',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverDetail',
          tags: ['services'],
          summary: 'One server of the caller: the full server row and its addons',
          querystring: ServerIdQuery,
          response: withErrors({ 200: ServerDetailResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true as const,
        data: await getServer(deps, {
          principal: principalOf(req),
          userId: req.query.user_id,
          serverId: req.query.server_id,
        }),
      }),
    )
  }
