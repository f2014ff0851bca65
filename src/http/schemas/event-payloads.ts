import { Type, type Static, type TSchema } from 'typebox'
import { EVENT_TYPES, type EventPayloads, type EventType } from '../../domain/events/catalog.ts'

/*
 * The payload of every event type as JSON Schema, for the OpenAPI document (components
 * `EventData.<type>` and `WebhookMessage`, the body of every webhook delivery). The compile-time
 * check at the bottom keeps them equal to `EventPayloads`, the one declaration the writers use;
 * the events test validates what the writers actually stored against them.
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Amount = Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', description: 'EUR as a decimal string' })
const Time = Type.String({ format: 'date-time' })

const ServiceRef = Type.Object({
  kind: Type.Union([Type.Literal('server'), Type.Literal('server_addon'), Type.Literal('plesk_subscription')]),
  id: Type.String(),
  name: Type.String({ description: "The server's host name, the addon's kind, the subscription's domain" }),
  expires_at: Nullable(Time),
})

const OrderRef = Type.Object({
  id: Type.String(),
  number: Type.String(),
  type: Type.String({ description: 'new_server, renew_server, scale_server, addon, plesk, plesk_renew' }),
  amount: Amount,
  payment_method: Type.Union([Type.Literal('balance'), Type.Literal('crypto')]),
})

const PaymentRef = Type.Object({
  id: Type.String(),
  track_id: Nullable(Type.String()),
  amount: Type.String(),
  currency: Type.String(),
  order_id: Nullable(Type.String()),
})

const obj = <P extends Record<string, TSchema>>(p: P) => Type.Object(p)

export const EVENT_PAYLOAD_SCHEMAS = {
  'order.created': obj({ order: OrderRef, service: Nullable(ServiceRef) }),
  'order.completed': obj({ order: OrderRef, service: Nullable(ServiceRef) }),
  'order.failed': obj({ order: OrderRef, service: Nullable(ServiceRef), reason: Type.String() }),
  'order.refunded': obj({ order: OrderRef, refunded: Amount, balance: Amount }),
  'order.cancelled': obj({ order: OrderRef, reason: Type.String() }),
  'service.provisioned': obj({ service: ServiceRef, order: Nullable(OrderRef) }),
  'service.renewed': obj({ service: ServiceRef, order: Nullable(OrderRef) }),
  'service.expiring': obj({
    service: ServiceRef,
    days_left: Type.Union([Type.Literal(7), Type.Literal(3), Type.Literal(1)]),
    auto_renew: Type.Boolean(),
    renewal_price: Amount,
    balance: Amount,
  }),
  'service.suspended': obj({ service: ServiceRef, reason: Type.String() }),
  'service.resumed': obj({ service: ServiceRef }),
  'service.terminated': obj({ service: ServiceRef, reason: Type.String() }),
  'service.cancelled': obj({
    service: ServiceRef,
    effective: Type.Union([Type.Literal('now'), Type.Literal('end_of_term')]),
  }),
  'payment.received': obj({ payment: PaymentRef, credited: Amount }),
  'payment.flagged': obj({ payment: PaymentRef, reason: Type.String() }),
  'balance.low': obj({ balance: Amount, needed: Amount, service: ServiceRef }),
  'webhook_endpoint.disabled': obj({
    endpoint: obj({ id: Type.String(), url: Type.String() }),
    failing_since: Time,
    reason: Type.String(),
  }),
} satisfies Record<EventType, TSchema>

/** `EventData.<type>` components, and the body every webhook carries. */
export function eventSchemas(): TSchema[] {
  const data = EVENT_TYPES.map(t => ({ ...EVENT_PAYLOAD_SCHEMAS[t], $id: `EventData.${t}` }))
  const message = Type.Object(
    {
      id: Type.String({ description: 'The event id; also the webhook-id header, the same on every attempt' }),
      type: Type.Ref('WebhookEventType'),
      timestamp: Type.String({ format: 'date-time', description: 'When the event occurred' }),
      user_id: Nullable(Type.String()),
      data: Type.Union(
        EVENT_TYPES.map(t => Type.Ref(`EventData.${t}`)),
        { description: 'EventData.<type> for the message type' },
      ),
    },
    {
      $id: 'WebhookMessage',
      description:
        'The JSON body of every webhook delivery (POST, Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature v1 = HMAC-SHA256 of "<id>.<timestamp>.<body>" with the base64-decoded whsec_ secret)',
    },
  )
  return [...data, message]
}

// Compile-time: each schema describes exactly its catalog payload, both ways.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Check = { [T in EventType]: Exact<Static<(typeof EVENT_PAYLOAD_SCHEMAS)[T]>, EventPayloads[T]> }
const _inSync: { [T in EventType]: true } = {} as Check
void _inSync
