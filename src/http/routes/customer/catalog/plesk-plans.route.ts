import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listPleskPlans } from '../../../../domain/queries/list-plesk-plans.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { PagedQuery } from '../shared.schema.ts'
import { PleskPlansResponse } from './catalog.schema.ts'

/** GET /API/catalog/plesk_plans: Plesk hosting plans, monthly prices. */
export const listPleskPlansRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/catalog/plesk_plans',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listPleskPlans',
          tags: ['catalog'],
          summary: 'Plesk hosting plans, monthly prices',
          querystring: PagedQuery,
          response: withErrors({ 200: PleskPlansResponse }),
        },
      },
      async req => ({ success: true, ...(await listPleskPlans(deps.db, { page: pageOf(req.query) })) }),
    )
  }
