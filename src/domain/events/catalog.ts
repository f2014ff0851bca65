import type { EventType } from '../../db/states.ts'

/**
 * The domain events oxbill publishes: one source of their type names and payloads, for the
 * customer and admin event lists, webhooks and e-mail templates. A payload names the objects it
 * is about (ids, numbers, names, amounts as decimal strings, times as ISO-8601) and never holds a
 * secret: a receiver fetches the object for the rest (webhooks are "thin", as Standard Webhooks
 * recommends, because deliveries are not ordered).
 */
export { EVENT_TYPES, type EventType } from '../../db/states.ts'

/** The service an event is about: a VPS, an extra IP of one, or a Plesk subscription. */
export interface ServiceRef {
  kind: 'server' | 'server_addon' | 'plesk_subscription'
  id: string
  /** The server's host name, the addon's kind, the subscription's domain. */
  name: string
  /** ISO-8601; null while not provisioned. */
  expires_at: string | null
}

export interface OrderRef {
  id: string
  number: string
  /** `orders.order_type`: new_server, renew_server, scale_server, addon, plesk, plesk_renew. */
  type: string
  /** EUR, decimal string ("12.99"). */
  amount: string
  payment_method: 'balance' | 'crypto'
}

/** What each event's `data` holds. Every event also has `id`, `type`, `occurred_at`, `user_id`. */
export interface EventPayloads {
  'order.created': { order: OrderRef; service: ServiceRef | null }
  'order.completed': { order: OrderRef; service: ServiceRef | null }
  'order.failed': { order: OrderRef; service: ServiceRef | null; reason: string }
  'order.refunded': { order: OrderRef; refunded: string; balance: string }
  'order.cancelled': { order: OrderRef; reason: string }
  'service.provisioned': { service: ServiceRef; order: OrderRef | null }
  'service.renewed': { service: ServiceRef; order: OrderRef | null }
  /** Sent 7, 3 and 1 days before expiry when the service will not renew by itself. */
  'service.expiring': {
    service: ServiceRef
    days_left: 7 | 3 | 1
    auto_renew: boolean
    renewal_price: string
    balance: string
  }
  'service.suspended': { service: ServiceRef; reason: string }
  'service.resumed': { service: ServiceRef }
  'service.terminated': { service: ServiceRef; reason: string }
  'service.cancelled': { service: ServiceRef; effective: 'now' | 'end_of_term' }
  'payment.received': {
    payment: { id: string; track_id: string | null; amount: string; currency: string; order_id: string | null }
    credited: string
  }
  'payment.flagged': {
    payment: { id: string; track_id: string | null; amount: string; currency: string; order_id: string | null }
    reason: string
  }
  /** The balance fell below what the next renewal of the named service costs. */
  'balance.low': { balance: string; needed: string; service: ServiceRef }
  'webhook_endpoint.disabled': { endpoint: { id: string; url: string }; failing_since: string; reason: string }
}

export type EventData<T extends EventType> = EventPayloads[T]
