import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listServerAddons } from '../../../../domain/queries/list-server-addons.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ListAddonServerResponse, ServerIdQuery } from './services.schema.ts'

/** GET /API/servers/list_addon_server: the addons bought for one server of the caller. */
export const listAddonServerRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/servers/list_addon_server',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listAddonServer',
          tags: ['services'],
          summary: 'The addons bought for one server of the caller',
          querystring: ServerIdQuery,
          response: withErrors({ 200: ListAddonServerResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true as const,
        data: await listServerAddons(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          serverId: req.query.server_id,
        }),
      }),
    )
  }
