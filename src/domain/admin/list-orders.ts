import type { Db } from '../../db/connect.ts'
import type { Order } from '../../db/schema.ts'
import type { OrderStatus, OrderType } from '../../db/states.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { formatAmount } from '../../lib/money.ts'
import { dateRange } from './filters.ts'
import { iso } from './views.ts'

/**
 * An order as it was charged: amounts come from the order row itself, never from the current
 * catalog, so a later price change cannot rewrite what a past order cost.
 */
export function orderView(o: Order) {
  return {
    id: o.id,
    order_number: o.order_number,
    user_id: o.user_id,
    order_type: o.order_type,
    status: o.status,
    payment_method: o.payment_method,
    amount: formatAmount(o.amount_cents),
    upgrade_difference: formatAmount(o.upgrade_difference_cents),
    credit: formatAmount(o.credit_cents),
    currency: o.currency,
    plan_id: o.plan_id,
    server_id: o.server_id,
    subscription_id: o.subscription_id,
    server_addon_id: o.server_addon_id,
    hours: o.hours,
    months: o.months,
    description: o.description,
    failure_reason: o.failure_reason,
    metadata: o.metadata,
    created_at: iso(o.created_at),
    updated_at: iso(o.updated_at),
  }
}

export interface OrderFilter {
  userId?: string
  type?: string
  status?: string
  from?: string
  to?: string
}

/** Orders, newest first, by user, type, status and creation time (`from` inclusive, `to` exclusive). */
export async function listOrders(db: Db, filter: OrderFilter, page: PageRequest) {
  const range = dateRange(filter.from, filter.to)
  let q = db.selectFrom('orders').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId)
  if (filter.type !== undefined) q = q.where('order_type', '=', filter.type as OrderType)
  if (filter.status !== undefined) q = q.where('status', '=', filter.status as OrderStatus)
  if (range.from) q = q.where('created_at', '>=', range.from)
  if (range.to) q = q.where('created_at', '<', range.to)
  const { rows, meta } = await fetchPage(q, page)
  return { data: rows.map(orderView), meta }
}
