import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { cancelService } from '../../../../domain/services/cancel-service.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { CancelBody, CancelResponse } from './services.schema.ts'

/** POST /API/services/cancel: cancel a server or a Plesk subscription at the end of its term (auto-renew off, deleted at expiry). */
export const cancelRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/services/cancel',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'cancelService',
          tags: ['services'],
          summary:
            'Cancel a server or a Plesk subscription at the end of its term: auto-renew off, deleted at its expiry (refused while an order on it is open)',
          body: CancelBody,
          response: withErrors({ 200: CancelResponse }, ['not_found', 'invalid_state']),
        },
      },
      async req => ({
        success: true as const,
        cancellation: await cancelService(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serviceId: req.body.service_id,
          when: req.body.when,
        }),
      }),
    )
  }
