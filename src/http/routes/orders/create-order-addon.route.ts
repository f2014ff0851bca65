import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { QuoteRequest } from '../../../domain/orders/quote-order.ts'
import type { Deps } from '../../../deps.ts'
import { orderAddon } from '../../../domain/orders/order-addon.ts'
import { IDEMPOTENT, withErrors } from '../../schemas/common.ts'
import { orderMeta } from '../../order-meta.ts'
import { CreateAddonBody, CreateAddonResponse } from './orders.schema.ts'
import { paymentMethodOf } from './payment-type.ts'

/** The input of an addon order; the quote (quote.route.ts) reads bodies the same way. */
export function addonOrderRequest(b: Static<typeof CreateAddonBody>): Extract<QuoteRequest, { kind: 'addon' }> {
  return {
    kind: 'addon',
    input: {
      userId: b.user_id,
      addonId: b.addon_id,
      serverId: b.server_id,
      paymentMethod: paymentMethodOf(b.type_payment),
    },
  }
}

export const createOrderAddonRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/orders/create_order_addon',
      {
        schema: {
          operationId: 'createOrderAddon',
          tags: ['orders'],
          summary: 'Buy an addon (an extra IPv4 address) for a server',
          body: CreateAddonBody,
          response: withErrors({ 200: CreateAddonResponse }, [
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
        const order = addonOrderRequest(req.body)
        const result = await orderAddon(deps, orderMeta(req), order.input)
        return result.body
      },
    )
  }
