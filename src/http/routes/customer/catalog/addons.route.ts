import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listAddons } from '../../../../domain/queries/list-addons.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { PagedQuery } from '../shared.schema.ts'
import { AddonsResponse } from './catalog.schema.ts'

/** GET /API/catalog/addons: addons that can be bought for a server. */
export const listAddonsRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/catalog/addons',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listAddons',
          tags: ['catalog'],
          summary: 'Addons that can be bought for a server',
          querystring: PagedQuery,
          response: withErrors({ 200: AddonsResponse }),
        },
      },
      async req => ({ success: true, ...(await listAddons(deps.db, { page: pageOf(req.query) })) }),
    )
  }
