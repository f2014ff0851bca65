import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listPleskClients } from '../../../../domain/queries/list-plesk-clients.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { PagedUserQuery } from '../shared.schema.ts'
import { ListClientsResponse } from './plesk.schema.ts'

/** GET /API/plesk/clients/list: the Plesk clients of the caller, newest first. */
export const listClientsRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/plesk/clients/list',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listPleskClients',
          tags: ['plesk'],
          summary: 'The Plesk clients of the caller, newest first',
          querystring: PagedUserQuery,
          response: withErrors({ 200: ListClientsResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true,
        ...(await listPleskClients(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          page: pageOf(req.query),
        })),
      }),
    )
  }
