import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { quoteCancellation } from '../../../../domain/services/quote-cancellation.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { CancelQuoteBody, CancelResponse } from './services.schema.ts'

/** POST /API/services/cancel/quote: what a cancellation would do now (its end, its refund), changing nothing. */
export const cancelQuoteRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/services/cancel/quote',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'quoteCancelService',
          tags: ['services'],
          summary:
            'Preview a cancellation: when the service would end and what would be refunded, with the same refusals as POST /API/services/cancel; nothing changes',
          body: CancelQuoteBody,
          response: withErrors({ 200: CancelResponse }, ['not_found', 'invalid_state']),
        },
      },
      async req => ({
        success: true as const,
        cancellation: await quoteCancellation(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serviceId: req.body.service_id,
          when: req.body.when,
        }),
      }),
    )
  }
