import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { AppError } from '../../../../lib/errors.ts'
import { listOrders } from '../../../../domain/queries/list-orders.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { ListOrderQuery, ListOrderResponse } from './list-order.schema.ts'

/** The docs name the type filter `type_order` (docs/0xhost-compat.md 3.6) and `order_type` (3.7): either works, two different values do not. */
function typeFilter(q: { type_order?: string; order_type?: string }): string | undefined {
  if (q.type_order !== undefined && q.order_type !== undefined && q.type_order !== q.order_type) {
    throw new AppError(
      'ambiguous_request',
      'type_order and order_type are the same filter; send one, or both with the same value',
    )
  }
  return q.type_order ?? q.order_type
}

/** GET /API/orders/list_order: the orders of the caller, newest first; filter by type, or fetch one by order_id. */
export const listOrderRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/orders/list_order',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listOrder',
          tags: ['orders'],
          summary: 'The orders of the caller, newest first; filter by type, or fetch one by order_id',
          querystring: ListOrderQuery,
          response: withErrors({ 200: ListOrderResponse }, ['ambiguous_request', 'not_found']),
        },
      },
      async req => ({
        success: true,
        ...(await listOrders(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          orderType: typeFilter(req.query),
          orderId: req.query.order_id,
          page: pageOf(req.query),
        })),
      }),
    )
  }
