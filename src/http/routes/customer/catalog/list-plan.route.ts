import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listPlans } from '../../../../domain/queries/list-plans.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ListPlanQuery, ListPlanResponse } from './catalog.schema.ts'

/** GET /API/plans/list_plan: VPS and Plesk plans (filter with type=vps or type=plesk); the whole list, unpaged, as documented. */
export const listPlanRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/plans/list_plan',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listPlan',
          tags: ['catalog'],
          summary: 'VPS and Plesk plans (filter with type=vps or type=plesk); the whole list, unpaged, as documented',
          querystring: ListPlanQuery,
          response: withErrors({ 200: ListPlanResponse }),
        },
      },
      async req => ({ success: true as const, data: await listPlans(deps.db, { type: req.query.type }) }),
    )
  }
