import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { AppError } from '../../../lib/errors.ts'
import { orderNewServer } from '../../../domain/orders/order-new-server.ts'
import { changeServerPlan } from '../../../domain/orders/change-server-plan.ts'
import { extendServer, MAX_EXTENSION_HOURS } from '../../../domain/orders/extend-server.ts'
import type { QuoteRequest } from '../../../domain/orders/quote-order.ts'
import { IDEMPOTENT, withErrors } from '../../schemas/common.ts'
import { orderMeta, toInt } from '../../order-meta.ts'
import { CreateOrderBody, CreateOrderResponse } from './orders.schema.ts'
import { paymentMethodOf } from './payment-type.ts'

export type CreateOrderBodyType = Static<typeof CreateOrderBody>
type Body = CreateOrderBodyType

/**
 * One path, three documented operations (docs/0xhost-compat.md 3.9–3.11), told apart by their fields:
 * new server (plan_id + os_image_id + location), change of plan (server_id + plan_id),
 * extension (server_id + hours). Anything else is a 400 that says which fields conflict.
 */
export function classifyCreateOrder(b: Body): 'new_server' | 'scale_server' | 'renew_server' {
  const newServerFields = (['os_image_id', 'location', 'name_server'] as const).filter(f => b[f] !== undefined)
  if (b.server_id === undefined) {
    if (b.hours !== undefined) throw ambiguous('hours extends an existing server: send server_id with it')
    const missing = (['plan_id', 'os_image_id', 'location'] as const).filter(f => b[f] === undefined)
    if (missing.length > 0) {
      throw new AppError(
        'validation_error',
        `a new server order needs ${missing.join(', ')} (or send server_id to change or extend a server)`,
        { details: { field: missing[0] } },
      )
    }
    return 'new_server'
  }
  if (newServerFields.length > 0) {
    throw ambiguous(`server_id names an existing server, but ${newServerFields.join(', ')} describe a new one`)
  }
  if (b.plan_id !== undefined && b.hours !== undefined) {
    throw ambiguous('send plan_id to change the plan or hours to extend the server, not both')
  }
  if (b.plan_id !== undefined) return 'scale_server'
  if (b.hours !== undefined) return 'renew_server'
  throw new AppError('validation_error', 'with server_id, send plan_id (change of plan) or hours (extension)', {
    details: { field: 'plan_id' },
  })
}

/** The use-case a create_order body runs and its input; the quote (quote.route.ts) reads bodies the same way. */
export function createOrderRequest(
  b: Body,
): Extract<QuoteRequest, { kind: 'new_server' | 'scale_server' | 'renew_server' }> {
  const kind = classifyCreateOrder(b)
  const paymentMethod = paymentMethodOf(b.type_payment)
  if (kind === 'new_server') {
    return {
      kind,
      input: {
        userId: b.user_id,
        planId: String(b.plan_id),
        osImageId: String(b.os_image_id),
        location: b.location!,
        nameServer: b.name_server,
        paymentMethod,
      },
    }
  }
  if (kind === 'scale_server') {
    return {
      kind,
      input: { userId: b.user_id, serverId: b.server_id!, planId: String(b.plan_id), paymentMethod },
    }
  }
  return {
    kind,
    input: {
      userId: b.user_id,
      serverId: b.server_id!,
      hours: toInt(b.hours!, 'hours', 1, MAX_EXTENSION_HOURS),
      paymentMethod,
    },
  }
}

const ambiguous = (why: string) => new AppError('ambiguous_request', `ambiguous order: ${why}`)

export const createOrderRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/orders/create_order',
      {
        schema: {
          operationId: 'createOrder',
          tags: ['orders'],
          summary: 'Order a new server, change a server plan, or extend a server by hours',
          body: CreateOrderBody,
          response: withErrors({ 200: CreateOrderResponse }, [
            'ambiguous_request',
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
        const order = createOrderRequest(req.body)
        const meta = orderMeta(req)
        const result =
          order.kind === 'new_server'
            ? await orderNewServer(deps, meta, order.input)
            : order.kind === 'scale_server'
              ? await changeServerPlan(deps, meta, order.input)
              : await extendServer(deps, meta, order.input)
        return result.body
      },
    )
  }
