import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { notFound } from '../../lib/errors.ts'
import { ownedBy } from '../access/authorize.ts'
import { formatAmount } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'
import { subscriptionRow, subscriptionsQuery } from './subscription-rows.ts'

/**
 * One Plesk subscription and its orders, newest first (docs/0xhost-compat.md 3.27). The docs take no
 * `user_id` here: a customer key sees its own subscriptions only (404 otherwise), an admin key any.
 */
export async function getSubscription(db: Db, input: { principal: Principal; subscriptionId: string }) {
  const sub = await subscriptionsQuery(db).where('plesk_subscriptions.id', '=', input.subscriptionId).executeTakeFirst()
  if (!sub || !ownedBy(input.principal, sub)) throw notFound('subscription', input.subscriptionId)
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'order_number', 'order_type', 'amount_cents', 'status', 'created_at'])
    .where('subscription_id', '=', sub.id)
    .where('user_id', '=', sub.user_id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return {
    subscription: subscriptionRow(sub),
    orders: orders.map(o => ({
      id: o.id,
      order_number: o.order_number,
      order_type: o.order_type,
      amount: formatAmount(o.amount_cents),
      currency: 'EUR',
      status: o.status,
      created_at: formatTimestamp(o.created_at)!,
    })),
  }
}
