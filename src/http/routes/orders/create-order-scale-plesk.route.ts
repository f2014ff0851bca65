import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { QuoteRequest } from '../../../domain/orders/quote-order.ts'
import type { Deps } from '../../../deps.ts'
import { MAX_RENEW_MONTHS, renewPlesk } from '../../../domain/orders/renew-plesk.ts'
import { IDEMPOTENT, withErrors } from '../../schemas/common.ts'
import { orderMeta, toInt } from '../../order-meta.ts'
import { ScalePleskBody, ScalePleskResponse } from './orders.schema.ts'
import { paymentMethodOf } from './payment-type.ts'

/** The input of a Plesk renewal; the quote (quote.route.ts) reads bodies the same way. */
export function pleskRenewalRequest(b: Static<typeof ScalePleskBody>): Extract<QuoteRequest, { kind: 'plesk_renew' }> {
  return {
    kind: 'plesk_renew',
    input: {
      subscriptionId: b.subscription_id,
      newPlanId: b.new_plan_id,
      months: toInt(b.months, 'months', 1, MAX_RENEW_MONTHS),
      paymentMethod: paymentMethodOf(b.type_payment),
    },
  }
}

export const createOrderScalePleskRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/orders/create_order_scale_plesk',
      {
        schema: {
          operationId: 'createOrderScalePlesk',
          tags: ['plesk'],
          summary: 'Renew a Plesk subscription, optionally onto another plan',
          body: ScalePleskBody,
          response: withErrors({ 200: ScalePleskResponse }, [
            'not_found',
            'insufficient_balance',
            'invalid_state',
            'conflict',
            'too_many_open_invoices',
            ...IDEMPOTENT,
            'provider_unavailable',
          ]),
        },
      },
      async req => {
        const order = pleskRenewalRequest(req.body)
        const result = await renewPlesk(deps, orderMeta(req), order.input)
        return result.body
      },
    )
  }
