import { Type } from 'typebox'
import { EVENT_TYPES } from '../../db/states.ts'
import { PageQuery, PagedResponse } from '../schemas/paging.ts'

/** The event lists (customer: own; admin: all). `type` takes one type or a comma-separated list. */
export const EventTypeFilter = Type.Optional(
  Type.String({
    maxLength: 1000,
    description: `One event type or several, comma-separated: ${EVENT_TYPES.join(', ')}`,
  }),
)

export const EventsQuery = Type.Object(
  {
    user_id: Type.Optional(Type.String({ maxLength: 200 })),
    type: EventTypeFilter,
    after: Type.Optional(Type.String({ maxLength: 100, description: 'Only events newer than this event id' })),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const EventItem = Type.Object({
  id: Type.String({ description: 'Stable event id (evt_…); the webhook-id of its deliveries' }),
  type: Type.Union(EVENT_TYPES.map(t => Type.Literal(t))),
  occurred_at: Type.String({ format: 'date-time' }),
  user_id: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The objects the event names (order, service, payment…); never a secret',
  }),
})

export const EventsResponse = PagedResponse(EventItem)
