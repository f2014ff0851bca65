import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listLocations } from '../../../../domain/queries/list-locations.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { PagedQuery } from '../shared.schema.ts'
import { LocationsResponse } from './catalog.schema.ts'

/** GET /API/catalog/locations: locations a new server can be ordered in. */
export const listLocationsRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/catalog/locations',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listLocations',
          tags: ['catalog'],
          summary: 'Locations a new server can be ordered in',
          querystring: PagedQuery,
          response: withErrors({ 200: LocationsResponse }),
        },
      },
      async req => ({ success: true, ...(await listLocations(deps.db, { page: pageOf(req.query) })) }),
    )
  }
