import type { Db } from '../../db/connect.ts'
import { PENDING_PAYMENT } from './charge.ts'
import type { PleskSubscriptionStatus } from '../../db/states.ts'
import { moveOrder } from '../state/orders.ts'
import { moveServer, moveServerAddon } from '../state/servers.ts'
import { movePleskSubscription } from '../state/plesk.ts'
import { moveJobs } from '../state/jobs.ts'

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
      await moveServer(trx, order.server_id!, { from: PENDING_PAYMENT, to: 'cancelled', now })
      break
    case 'addon':
      await moveServerAddon(trx, order.server_addon_id!, { from: PENDING_PAYMENT, to: 'cancelled', now })
      break
    case 'plesk':
      await movePleskSubscription(trx, order.subscription_id!, { from: PENDING_PAYMENT, to: 'cancelled', now })
      break
    case 'scale_server':
      await moveServer(trx, order.server_id!, { from: 'resizing', to: 'active', now })
      break
    case 'plesk_renew': {
      const previous = (order.metadata as { previous_status?: PleskSubscriptionStatus }).previous_status ?? 'active'
      await movePleskSubscription(trx, order.subscription_id!, { from: 'renewing', to: previous, now })
      break
    }
    case 'renew_server':
      // An unpaid extension holds nothing: the server changes only when its paid job runs.
      break
  }
  const jobIds = await moveJobs(trx, eb => eb('order_id', '=', orderId), {
    from: 'blocked',
    to: 'cancelled',
    set: { finished_at: now, last_error: reason },
    now,
  })
  if (jobIds.length > 0) {
    await trx.deleteFrom('job_secrets').where('job_id', 'in', jobIds).execute()
  }
  await moveOrder(trx, orderId, {
    from: PENDING_PAYMENT,
    to: 'cancelled',
    set: { failure_reason: reason.slice(0, 1000) },
    now,
  })
  return true
}
