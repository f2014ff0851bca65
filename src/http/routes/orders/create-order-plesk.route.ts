import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { QuoteRequest } from '../../../domain/orders/quote-order.ts'
import type { Deps } from '../../../deps.ts'
import { orderPlesk } from '../../../domain/orders/order-plesk.ts'
import { IDEMPOTENT, withErrors } from '../../schemas/common.ts'
import { orderMeta, toInt } from '../../order-meta.ts'
import { CreatePleskBody, CreatePleskResponse } from './orders.schema.ts'
import { paymentMethodOf } from './payment-type.ts'

/** The input of a Plesk order; the quote (quote.route.ts) reads bodies the same way. */
export function pleskOrderRequest(b: Static<typeof CreatePleskBody>): Extract<QuoteRequest, { kind: 'plesk' }> {
  return {
    kind: 'plesk',
    input: {
      planId: b.plan_id,
      clientId: b.client_id,
      domainName: b.domain_name,
      ftpLogin: b.ftp_login,
      ftpPassword: b.ftp_password,
      months: toInt(b.subscription_duration, 'subscription_duration', 1, 3),
      paymentMethod: paymentMethodOf(b.type_payment),
    },
  }
}

export const createOrderPleskRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/orders/create_order_plesk',
      {
        schema: {
          operationId: 'createOrderPlesk',
          tags: ['plesk'],
          summary: 'Order Plesk web hosting for a domain (1, 2 or 3 months)',
          body: CreatePleskBody,
          response: withErrors({ 200: CreatePleskResponse }, [
            'not_found',
            'insufficient_balance',
            'conflict',
            'too_many_open_invoices',
            ...IDEMPOTENT,
            'provider_unavailable',
          ]),
        },
      },
      async req => {
        const order = pleskOrderRequest(req.body)
        const result = await orderPlesk(deps, orderMeta(req), order.input)
        return result.body
      },
    )
  }
