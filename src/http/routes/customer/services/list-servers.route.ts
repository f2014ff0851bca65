import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listServers } from '../../../../domain/queries/list-servers.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { ListServersQuery, ListServersResponse } from './services.schema.ts'

/** GET /API/servers/list: the servers of the caller, newest first, each with its addons. */
export const listServersRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/servers/list',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listServers',
          tags: ['services'],
          summary: 'The servers of the caller, newest first, each with its addons',
          querystring: ListServersQuery,
          response: withErrors({ 200: ListServersResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true,
        ...(await listServers(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          page: pageOf(req.query),
        })),
      }),
    )
  }
