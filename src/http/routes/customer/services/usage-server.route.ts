import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { getServerUsage } from '../../../../domain/queries/get-server-usage.ts'
import { principalOf } from '../../../auth.ts'
import { PROVIDER, withErrors } from '../../../schemas/common.ts'
import { UsageQuery, UsageResponse } from './services.schema.ts'

/** GET /API/services/usage_server: usage graph of a server (cpu, memory, disk or network), read live from SolusVM. */
export const usageServerRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/services/usage_server',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'usageServer',
          tags: ['services'],
          summary: 'Usage graph of a server (cpu, memory, disk or network), read live from SolusVM',
          querystring: UsageQuery,
          response: withErrors({ 200: UsageResponse }, ['not_found', 'invalid_state', ...PROVIDER]),
        },
      },
      async req => ({
        success_update_db: false as const,
        success: true as const,
        data: await getServerUsage(deps, {
          principal: principalOf(req),
          userId: req.query.user_id,
          serverId: req.query.server_id,
          specification: req.query.specification,
        }),
      }),
    )
  }
