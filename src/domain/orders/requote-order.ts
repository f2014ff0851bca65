import type { Db } from '../../db/connect.ts'
import type { Order } from '../../db/schema.ts'
import { mergeMetadata } from '../../db/json-merge.ts'
import {
  addHours,
  addMonths,
  hourlyExtensionPrice,
  pleskPrice,
  quotePlanChange,
  secondsUntil,
  TERM_HOURS,
} from '../billing/pricing.ts'
import { AppError } from '../../lib/errors.ts'
import type { Cents } from '../../lib/money.ts'
import { lockServerForOrder } from './change-server-plan.ts'
import { lockSubscriptionForOrder, RENEWABLE } from './renew-plesk.ts'
import { moveServer } from '../state/servers.ts'

const refused = (order: Order, why: string): AppError =>
  new AppError('invalid_state', `order ${order.order_number} cannot be retried: ${why}; place a new order instead`, {
    details: { order_id: order.id },
  })

/**
 * An operator's retry of a failed (and refunded) order, quoted again from the state now, in the
 * retry's transaction: the amount to charge is returned and written on the order. A new service
 * gets a fresh term from now at its original price; an order on an existing service is re-priced
 * on that service as it is now, and refused when the service is no longer in the state the order
 * was made for (another plan, another order open on it, not active). The job then computes the
 * new expiry from the state when it applies, so a retry never sets an expiry back.
 */
export async function requoteFailedOrder(trx: Db, order: Order, now: Date): Promise<Cents> {
  const meta = order.metadata as { previous_plan_id?: string; new_plan_id?: string }
  switch (order.order_type) {
    case 'new_server': {
      const s = await trx
        .selectFrom('servers')
        .select('status')
        .where('id', '=', order.server_id!)
        .executeTakeFirstOrThrow()
      if (s.status !== 'provision_failed') throw refused(order, `the server is ${s.status}`)
      await trx
        .updateTable('servers')
        .set({ expire_date: addHours(now, order.hours ?? TERM_HOURS), updated_at: now })
        .where('id', '=', order.server_id!)
        .execute()
      await setTermStart(trx, order.id, now)
      return order.amount_cents
    }
    case 'plesk': {
      const sub = await trx
        .selectFrom('plesk_subscriptions')
        .select(['status', 'domain_name'])
        .where('id', '=', order.subscription_id!)
        .executeTakeFirstOrThrow()
      const other = await trx
        .selectFrom('plesk_subscriptions')
        .select('id')
        .where('domain_name', '=', sub.domain_name)
        .where('id', '!=', order.subscription_id!)
        .where('status', 'not in', ['provision_failed', 'cancelled', 'deleted'])
        .executeTakeFirst()
      if (other) throw refused(order, `domain ${sub.domain_name} is hosted by another subscription now`)
      await trx
        .updateTable('plesk_subscriptions')
        .set({ expires_at: addMonths(now, order.months ?? 1), updated_at: now })
        .where('id', '=', order.subscription_id!)
        .execute()
      await setTermStart(trx, order.id, now)
      return order.amount_cents
    }
    case 'addon': {
      await lockOrRefuse(order, () => lockServerForOrder(trx, order.server_id!, now))
      return order.amount_cents
    }
    case 'renew_server': {
      const s = await lockOrRefuse(order, () => lockServerForOrder(trx, order.server_id!, now, ['active', 'suspended']))
      if (s.plan_id !== order.plan_id) {
        throw refused(order, `the server is on plan ${s.plan_id} now, not ${order.plan_id}`)
      }
      const plan = await trx
        .selectFrom('vps_plans')
        .select('price_cents')
        .where('id', '=', s.plan_id)
        .executeTakeFirstOrThrow()
      return reprice(trx, order, { amount: hourlyExtensionPrice(plan.price_cents, order.hours ?? TERM_HOURS) })
    }
    case 'scale_server': {
      const s = await lockOrRefuse(order, () => lockServerForOrder(trx, order.server_id!, now))
      if (s.plan_id !== meta.previous_plan_id) {
        throw refused(order, `the server is on plan ${s.plan_id} now, not ${meta.previous_plan_id ?? '?'}`)
      }
      const prices = await trx
        .selectFrom('vps_plans')
        .select(['id', 'price_cents'])
        .where('id', 'in', [s.plan_id, order.plan_id!])
        .execute()
      const price = (id: string): bigint => prices.find(p => p.id === id)!.price_cents
      const q = quotePlanChange({
        oldPrice: price(s.plan_id),
        newPrice: price(order.plan_id!),
        remainingSeconds: secondsUntil(s.expire_date, now),
      })
      await moveServer(trx, s.id, { from: 'active', to: 'resizing', now })
      return reprice(trx, order, q)
    }
    case 'plesk_renew': {
      const sub = await lockOrRefuse(order, () => lockSubscriptionForOrder(trx, order.subscription_id!, now))
      if (!RENEWABLE.includes(sub.status)) throw refused(order, `the subscription is ${sub.status}`)
      if (sub.plan_id !== (meta.previous_plan_id ?? sub.plan_id)) {
        throw refused(order, `the subscription is on plan ${sub.plan_id} now`)
      }
      const months = order.months ?? 1
      const planChange = order.plan_id !== null && order.plan_id !== sub.plan_id
      const prices = await trx
        .selectFrom('plesk_plans')
        .select(['id', 'price_cents'])
        .where('id', 'in', [sub.plan_id, order.plan_id ?? sub.plan_id])
        .execute()
      const price = (id: string): bigint => prices.find(p => p.id === id)!.price_cents
      const q = planChange
        ? quotePlanChange({
            oldPrice: price(sub.plan_id),
            newPrice: price(order.plan_id!),
            remainingSeconds: secondsUntil(sub.expires_at, now),
            terms: months,
          })
        : { amount: pleskPrice(price(sub.plan_id), months) }
      return reprice(trx, order, q)
    }
    default:
      return order.amount_cents
  }
}

async function lockOrRefuse<T>(order: Order, lock: () => Promise<T>): Promise<T> {
  try {
    return await lock()
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid_state') throw refused(order, err.message)
    throw err
  }
}

async function reprice(
  trx: Db,
  order: Order,
  q: { amount: Cents; upgradeDifference?: Cents; credit?: Cents },
): Promise<Cents> {
  await trx
    .updateTable('orders')
    .set({
      amount_cents: q.amount,
      ...(q.upgradeDifference !== undefined
        ? { upgrade_difference_cents: q.upgradeDifference, credit_cents: q.credit ?? 0n }
        : {}),
      metadata: mergeMetadata({ requoted_from_cents: order.amount_cents.toString() }),
    })
    .where('id', '=', order.id)
    .execute()
  return q.amount
}

async function setTermStart(trx: Db, orderId: string, now: Date): Promise<void> {
  await trx.updateTable('orders').set({ term_starts_at: now }).where('id', '=', orderId).execute()
}
