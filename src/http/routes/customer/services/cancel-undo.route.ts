import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { undoServiceCancellation } from '../../../../domain/services/undo-service-cancellation.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { UndoCancelBody, UndoCancelResponse } from './services.schema.ts'

/** POST /API/services/cancel/undo: withdraw a pending cancellation before it takes effect. */
export const cancelUndoRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/services/cancel/undo',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'undoCancelService',
          tags: ['services'],
          summary: 'Withdraw a pending cancellation before it takes effect (auto-renew stays off)',
          body: UndoCancelBody,
          response: withErrors({ 200: UndoCancelResponse }, ['not_found', 'invalid_state']),
        },
      },
      async req => ({
        success: true as const,
        ...(await undoServiceCancellation(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serviceId: req.body.service_id,
        })),
      }),
    )
  }
