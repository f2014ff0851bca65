import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { orderAddon } from '../../../domain/orders/order-addon.ts'
import { IDEMPOTENT, withErrors } from '../../schemas/common.ts'
import { orderMeta } from '../../order-meta.ts'
import { CreateAddonBody, CreateAddonResponse } from './orders.schema.ts'
import { paymentMethodOf } from './payment-type.ts'

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
        const result = await orderAddon(deps, orderMeta(req), {
          userId: req.body.user_id,
          addonId: req.body.addon_id,
          serverId: req.body.server_id,
          paymentMethod: paymentMethodOf(req.body.type_payment),
        })
        return result.body
      },
    )
  }
