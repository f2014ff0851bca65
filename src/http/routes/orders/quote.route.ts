import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { quoteOrder, type QuoteRequest } from '../../../domain/orders/quote-order.ts'
import { principalOf } from '../../auth.ts'
import { schemaError } from '../../error-handler.ts'
import { withErrors } from '../../schemas/common.ts'
import { createOrderRequest } from './create-order.route.ts'
import { addonOrderRequest } from './create-order-addon.route.ts'
import { pleskOrderRequest } from './create-order-plesk.route.ts'
import { pleskRenewalRequest } from './create-order-scale-plesk.route.ts'
import { QUOTE_ENDPOINTS, QuoteBody, QuoteResponse, type QuoteEndpoint } from './quote.schema.ts'

type Bodies = { [E in QuoteEndpoint]: Static<(typeof QUOTE_ENDPOINTS)[E]> }

/** The body of `endpoint` read as that endpoint's route reads it (same classification, same bounds). */
function requestOf(endpoint: QuoteEndpoint, order: unknown): QuoteRequest {
  switch (endpoint) {
    case 'create_order':
      return createOrderRequest(order as Bodies['create_order'])
    case 'create_order_addon':
      return addonOrderRequest(order as Bodies['create_order_addon'])
    case 'create_order_plesk':
      return pleskOrderRequest(order as Bodies['create_order_plesk'])
    case 'create_order_scale_plesk':
      return pleskRenewalRequest(order as Bodies['create_order_scale_plesk'])
  }
}

const isEndpoint = (v: unknown): v is QuoteEndpoint => typeof v === 'string' && Object.hasOwn(QUOTE_ENDPOINTS, v)

/** POST /API/orders/quote: what an order would cost now, computed by the order's own pricing, placing nothing. */
export const quoteRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/orders/quote',
      {
        schema: {
          operationId: 'quoteOrder',
          tags: ['orders'],
          summary: 'Price an order without placing it: the amount the same order placed now would charge',
          description:
            'Answers the errors the order itself would (403 for another user_id, 404 for an object that is not yours, 409 `invalid_state` with `pending_order_id` while another order on the service is open, or when the service cannot take the order), but not 402: `balance_sufficient` says whether the balance covers it. Nothing is written.',
          body: QuoteBody,
          response: withErrors({ 200: QuoteResponse }, [
            'ambiguous_request',
            'forbidden',
            'not_found',
            'invalid_state',
            'conflict',
            'too_many_open_invoices',
          ]),
        },
        // The union in the schema documents `order`; its errors would name the first branch's
        // fields. So `order` is first validated against its own endpoint's schema, with the
        // route's validator (same Ajv options), and answered as that endpoint would answer.
        preValidation: async req => {
          const body = req.body as { endpoint?: unknown; order?: unknown } | null
          if (body === null || typeof body !== 'object' || !isEndpoint(body.endpoint)) return
          if (body.order === null || typeof body.order !== 'object' || Array.isArray(body.order)) return
          const validate = req.compileValidationSchema(QUOTE_ENDPOINTS[body.endpoint], 'body')
          if (!validate(body.order)) throw schemaError(validate.errors![0]!, 'order')
        },
      },
      async req => {
        const request = requestOf(req.body.endpoint, req.body.order)
        return { success: true as const, quote: await quoteOrder(deps, principalOf(req), request) }
      },
    )
  }
