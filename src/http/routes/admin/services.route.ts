import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { terminateService } from '../../../domain/admin/terminate-service.ts'
import { principalOf } from '../../auth.ts'
import { adminMeta } from './meta.ts'
import { NoQuery, responses } from './common.schema.ts'
import { TerminateServiceBody, TerminateServiceResponse } from './services.schema.ts'

/** An operator ends a service now. */
export const adminServicesRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/admin/services/terminate',
      {
        config: { auth: 'admin' },
        schema: {
          operationId: 'adminTerminateService',
          tags: ['admin'],
          summary:
            "Terminate any user's server, Plesk subscription or addon now (deleted at SolusVM or Plesk, not recoverable), refunding the unused time if asked; audited",
          body: TerminateServiceBody,
          querystring: NoQuery,
          response: responses({ 202: TerminateServiceResponse }, ['not_found', 'invalid_state']),
        },
      },
      async (req, reply) => {
        const meta = adminMeta(req)
        const cancellation = await terminateService(deps, {
          principal: principalOf(req),
          requestId: meta.requestId,
          serviceId: req.body.service_id,
          refund: req.body.refund ?? false,
          ...(req.body.reason !== undefined ? { reason: req.body.reason } : {}),
        })
        deps.runner.poke()
        return reply.code(202).send({ success: true as const, cancellation })
      },
    )
  }
