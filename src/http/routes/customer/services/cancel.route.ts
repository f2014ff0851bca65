import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { cancelService } from '../../../../domain/services/cancel-service.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { CancelBody, CancelResponse } from './services.schema.ts'

/** POST /API/services/cancel: cancel a server, Plesk subscription or addon at the end of its term, or terminate it now. */
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
            'Cancel a server, a Plesk subscription or a server addon: at the end of its term (auto-renew off, deleted at its expiry) or immediately (terminated now, data deleted, not undoable; unused time refunded when the operator enables it). Refused while an order on it is open',
          body: CancelBody,
          response: withErrors({ 200: CancelResponse }, ['not_found', 'invalid_state']),
        },
      },
      async req => {
        const cancellation = await cancelService(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serviceId: req.body.service_id,
          when: req.body.when,
        })
        // The terminate (or release) job was written with the cancellation: run it now.
        if (cancellation.when === 'immediate') deps.runner.poke()
        return { success: true as const, cancellation }
      },
    )
  }
