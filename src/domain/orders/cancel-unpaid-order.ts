import type { Db } from '../../db/connect.ts'
import { PENDING_PAYMENT } from './charge.ts'

/**
 * Cancels a `pending_payment` order whose invoice expired unpaid, in the caller's transaction:
 * nothing was debited, so nothing is refunded (partial payments already sit on the balance).
 * New service rows end `cancelled` (a Plesk domain is free again), an existing server or
 * subscription held for the order returns to its previous state, the blocked job is `cancelled`
 * and its sealed secret erased. Idempotent: an order no longer pending is left alone.
 */
export async function cancelUnpaidOrder(trx: Db, orderId: string, reason: string, now: Date): Promise<boolean> {
  const order = await trx.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst()
  if (!order || order.status !== PENDING_PAYMENT) return false
  switch (order.order_type) {
    case 'new_server':
      await trx
        .updateTable('servers')
        .set({ status: 'cancelled', updated_at: now })
        .where('id', '=', order.server_id!)
        .where('status', '=', PENDING_PAYMENT)
        .execute()
      break
    case 'addon':
      await trx
        .updateTable('server_addons')
        .set({ status: 'cancelled', updated_at: now })
        .where('id', '=', order.server_addon_id!)
        .where('status', '=', PENDING_PAYMENT)
        .execute()
      break
    case 'plesk':
      await trx
        .updateTable('plesk_subscriptions')
        .set({ status: 'cancelled', updated_at: now })
        .where('id', '=', order.subscription_id!)
        .where('status', '=', PENDING_PAYMENT)
        .execute()
      break
    case 'scale_server':
      await trx
        .updateTable('servers')
        .set({ status: 'active', updated_at: now })
        .where('id', '=', order.server_id!)
        .where('status', '=', 'resizing')
        .execute()
      break
    case 'plesk_renew': {
      const previous = (order.metadata as { previous_status?: string }).previous_status ?? 'active'
      await trx
        .updateTable('plesk_subscriptions')
        .set({ status: previous as import('../../db/states.ts').PleskSubscriptionStatus, updated_at: now })
        .where('id', '=', order.subscription_id!)
        .where('status', '=', 'renewing')
        .execute()
      break
    }
    case 'renew_server':
      // An unpaid extension holds nothing: the server changes only when its paid job runs.
      break
  }
  const jobs = await trx
    .updateTable('jobs')
    .set({ state: 'cancelled', finished_at: now, last_error: reason, updated_at: now })
    .where('order_id', '=', orderId)
    .where('state', '=', 'blocked')
    .returning('id')
    .execute()
  if (jobs.length > 0) {
    await trx
      .deleteFrom('job_secrets')
      .where(
        'job_id',
        'in',
        jobs.map(j => j.id),
      )
      .execute()
  }
  await trx
    .updateTable('orders')
    .set({ status: 'cancelled', failure_reason: reason.slice(0, 1000), updated_at: now })
    .where('id', '=', orderId)
    .execute()
  return true
}
