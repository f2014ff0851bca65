import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { orderPlesk } from '../../../domain/orders/order-plesk.ts'
import { IDEMPOTENT, withErrors } from '../../schemas/common.ts'
import { orderMeta, toInt } from '../../order-meta.ts'
import { CreatePleskBody, CreatePleskResponse } from './orders.schema.ts'
import { paymentMethodOf } from './payment-type.ts'

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
        const b = req.body
        const result = await orderPlesk(deps, orderMeta(req), {
          planId: b.plan_id,
          clientId: b.client_id,
          domainName: b.domain_name,
          ftpLogin: b.ftp_login,
          ftpPassword: b.ftp_password,
          months: toInt(b.subscription_duration, 'subscription_duration', 1, 3),
          paymentMethod: paymentMethodOf(b.type_payment),
        })
        return result.body
      },
    )
  }
