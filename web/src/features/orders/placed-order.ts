import type { PlacedOrder } from '../../api/orders.ts'

/** What every order answer tells the customer, whichever endpoint it came from. */
export interface PlacedFacts {
  orderId: string
  status: string
  /** false: it failed after payment (the money is back); `failure` says why. */
  success: boolean
  failure: string | null
  /** The new server's root password: in the first answer only. */
  password: string | null
  /** Where the bought service lives in the portal. */
  servicePath: string | null
  payment: { trackId: string | null; paymentUrl: string | null } | null
}

const paymentOf = (p: { track_id: string | null; payment_url: string | null } | undefined) =>
  p === undefined ? null : { trackId: p.track_id, paymentUrl: p.payment_url }

export function placedFacts(placed: PlacedOrder): PlacedFacts {
  switch (placed.endpoint) {
    case 'create_order': {
      const r = placed.result
      const serverId = r.type === 'new_server' ? r.server_status.new_id : r.server_status.id
      return {
        orderId: r.order_id,
        status: r.status,
        success: r.success,
        failure: r.error?.message ?? null,
        password: r.password,
        servicePath: `/servers/${encodeURIComponent(serverId)}`,
        payment: paymentOf(r.payment),
      }
    }
    case 'create_order_addon': {
      const r = placed.result
      return {
        orderId: r.order.id,
        status: r.order.status,
        success: r.success,
        failure: r.error?.message ?? null,
        password: null,
        servicePath: `/servers/${encodeURIComponent(r.addon_server.server_id)}`,
        payment: paymentOf(r.payment),
      }
    }
    case 'create_order_plesk':
    case 'create_order_scale_plesk': {
      const r = placed.result
      return {
        orderId: r.order.id,
        status: r.order.status,
        success: r.success,
        failure: r.error?.message ?? null,
        password: null,
        servicePath: `/plesk/subscriptions/${encodeURIComponent(r.subscription.id)}`,
        payment: paymentOf(r.payment),
      }
    }
  }
}
