import { Type } from 'typebox'
import { DELIVERY_STATES, EVENT_TYPES } from '../../../db/states.ts'
import { Id } from '../../schemas/common.ts'
import { PageQuery, PagedResponse } from '../../schemas/paging.ts'

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const MailPreferences = Type.Object({
  enabled: Type.Boolean({ description: 'false: no mail at all' }),
  address: Nullable(Type.String({ description: "The address chosen for notifications; null: the account's" })),
  effective_address: Type.String({ description: 'Where mail goes now' }),
  events: Type.Union([Type.Array(Type.Ref('WebhookEventType')), Type.Null()], {
    description: 'Event types mailed; null: every type',
  }),
})

export const MailPreferencesResponse = Type.Object({ success: Type.Literal(true), preferences: MailPreferences })

export const MailPreferencesBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    address: Type.Optional(
      Type.Union([Type.String({ minLength: 3, maxLength: 254 }), Type.Null()], {
        description: "Another address for notifications; null: back to the account's",
      }),
    ),
    events: Type.Optional(
      Type.Union([Type.Array(Type.String({ maxLength: 64 }), { maxItems: EVENT_TYPES.length }), Type.Null()], {
        description: `Event types to mail (${EVENT_TYPES.join(', ')}); [] none, null all`,
      }),
    ),
  },
  { additionalProperties: false },
)

export const UserQuery = Type.Object(
  { user_id: Type.Optional(Type.String({ maxLength: 200, description: 'Admin keys only: act for this customer' })) },
  { additionalProperties: false },
)

const stateDoc = `Comma-separated states: ${DELIVERY_STATES.join(', ')}`

export const OwnMailQuery = Type.Object(
  {
    user_id: Type.Optional(Type.String({ maxLength: 200 })),
    state: Type.Optional(Type.String({ maxLength: 100, description: stateDoc })),
    event_id: Type.Optional(Type.String({ maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const AdminMailQuery = Type.Object(
  {
    user_id: Type.Optional(Type.String({ maxLength: 200 })),
    state: Type.Optional(
      Type.String({ maxLength: 100, description: `${stateDoc} (default pending,sending,failed: undelivered)` }),
    ),
    event_id: Type.Optional(Type.String({ maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const MailDelivery = Type.Object({
  id: Type.String(),
  event_id: Type.String(),
  event_type: Type.String(),
  user_id: Nullable(Type.String()),
  address: Type.String(),
  message_id: Type.String({ description: 'The Message-ID header; the same on every attempt' }),
  state: Type.Ref('DeliveryState'),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
  last_error: Nullable(Type.String()),
  smtp_response: Nullable(Type.String()),
  sent_at: Nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
})

export const MailDeliveriesResponse = PagedResponse(MailDelivery)
export const MailDeliveryResponse = Type.Object({ success: Type.Literal(true), mail: MailDelivery })
export const MailParams = Type.Object({ mail_id: Id('Mail delivery id (mld_…)') }, { additionalProperties: false })
