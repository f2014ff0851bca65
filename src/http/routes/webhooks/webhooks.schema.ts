import { Type } from 'typebox'
import { DELIVERY_STATES, EVENT_TYPES } from '../../../db/states.ts'
import { Id } from '../../schemas/common.ts'
import { PageQuery, PagedResponse } from '../../schemas/paging.ts'

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const WebhookEventType = Type.Union(
  EVENT_TYPES.map(t => Type.Literal(t)),
  { $id: 'WebhookEventType', description: 'An event type' },
)

const EventList = Type.Array(Type.String({ maxLength: 64 }), {
  maxItems: EVENT_TYPES.length + 1,
  description: `Event types to receive (${EVENT_TYPES.join(', ')}); omitted, empty or ["*"]: all`,
})

const UserQuery = {
  user_id: Type.Optional(Type.String({ maxLength: 200, description: 'Admin keys only: act for this customer' })),
}

export const OwnerQuery = Type.Object(UserQuery, { additionalProperties: false })

export const EndpointParams = Type.Object(
  { endpoint_id: Id('Webhook endpoint id (whe_…)') },
  { additionalProperties: false },
)
export const DeliveryParams = Type.Object(
  { endpoint_id: Id('Webhook endpoint id (whe_…)'), delivery_id: Id('Delivery id (whd_…)') },
  { additionalProperties: false },
)

export const CreateEndpointBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description:
        'https URL of the receiver; loopback, private, link-local and metadata addresses are refused (checked again at every delivery), redirects are not followed',
    }),
    events: Type.Optional(EventList),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)

export const UpdateEndpointBody = Type.Object(
  {
    url: Type.Optional(CreateEndpointBody.properties.url),
    events: Type.Optional(EventList),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    enabled: Type.Optional(
      Type.Boolean({ description: 'false disables it (queued deliveries are abandoned); true enables it again' }),
    ),
  },
  { additionalProperties: false },
)

export const RotateBody = Type.Object(
  {
    keep_previous_hours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 168,
        description: 'How long the previous secret keeps signing too (default 24; 0: drop it now)',
      }),
    ),
  },
  { additionalProperties: false },
)

export const Endpoint = Type.Object(
  {
    id: Type.String(),
    user_id: Type.Union([Type.String(), Type.Null()], { description: 'null: an operator endpoint (every customer)' }),
    url: Type.String(),
    description: Type.String(),
    events: Type.Array(WebhookEventType, { description: 'empty: all types' }),
    status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    disabled_reason: Nullable(Type.String()),
    failing_since: Nullable(Type.String({ format: 'date-time' })),
    previous_secret_valid_until: Nullable(Type.String({ format: 'date-time' })),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'WebhookEndpoint' },
)

const Secret = Type.String({
  pattern: '^whsec_',
  description:
    'The signing secret (Standard Webhooks, whsec_ + base64 of 32 bytes); shown only in this answer, store it now',
})

export const EndpointResponse = Type.Object({ success: Type.Literal(true), endpoint: Type.Ref('WebhookEndpoint') })
export const EndpointWithSecretResponse = Type.Object({
  success: Type.Literal(true),
  endpoint: Type.Ref('WebhookEndpoint'),
  secret: Secret,
})
export const EndpointsResponse = PagedResponse(Type.Ref('WebhookEndpoint'))
export const DeletedResponse = Type.Object({ success: Type.Literal(true), deleted: Type.String() })

export const EndpointsQuery = Type.Object(
  {
    ...UserQuery,
    operator: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false')], { description: "Admin: only the operator's own" }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const DeliveryState = Type.Union(
  DELIVERY_STATES.map(s => Type.Literal(s)),
  { $id: 'DeliveryState' },
)

export const DeliveriesQuery = Type.Object(
  {
    ...UserQuery,
    state: Type.Optional(
      Type.String({ maxLength: 100, description: `Comma-separated states: ${DELIVERY_STATES.join(', ')}` }),
    ),
    event_id: Type.Optional(Type.String({ maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const AdminDeliveriesQuery = Type.Object(
  {
    user_id: Type.Optional(Type.String({ maxLength: 200 })),
    endpoint_id: Type.Optional(Type.String({ maxLength: 100 })),
    state: Type.Optional(
      Type.String({
        maxLength: 100,
        description: `Comma-separated states (default pending,sending,failed: undelivered): ${DELIVERY_STATES.join(', ')}`,
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)

const deliveryFields = {
  id: Type.String(),
  endpoint_id: Type.String(),
  event_id: Type.String({ description: 'Also the webhook-id header of every attempt' }),
  event_type: Type.String(),
  state: Type.Ref('DeliveryState'),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
  last_status: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Nullable(Type.String()),
  delivered_at: Nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}

export const Delivery = Type.Object(deliveryFields, { $id: 'WebhookDelivery' })
export const DeliveriesResponse = PagedResponse(Type.Ref('WebhookDelivery'))
export const DeliveryResponse = Type.Object({ success: Type.Literal(true), delivery: Type.Ref('WebhookDelivery') })

export const Attempt = Type.Object({
  attempt: Type.Integer(),
  started_at: Type.String({ format: 'date-time' }),
  latency_ms: Type.Integer(),
  outcome: Type.String({ description: 'delivered (2xx), failed, gone (410)' }),
  status: Type.Union([Type.Integer(), Type.Null()]),
  error: Nullable(Type.String()),
  response_excerpt: Type.String({ description: "The first 4 KiB of the receiver's answer" }),
})

export const DeliveryDetailResponse = Type.Object({
  success: Type.Literal(true),
  delivery: Type.Object({ ...deliveryFields, attempt_log: Type.Array(Attempt) }),
})

/** The shared schemas, registered once by app.ts and referenced by $id. */
export const SCHEMAS = [WebhookEventType, Endpoint, DeliveryState, Delivery]
