import type { Event } from '../../db/schema.ts'

/**
 * The JSON a webhook carries: the event as the event lists show it (`id`, `type`, `timestamp`
 * — Standard Webhooks' names — `user_id`, `data`). Built from the stored row alone, so every
 * attempt and every replay sends the same bytes.
 */
export function webhookBody(e: Pick<Event, 'id' | 'type' | 'occurred_at' | 'user_id' | 'data'>): string {
  return JSON.stringify({
    id: e.id,
    type: e.type,
    timestamp: e.occurred_at.toISOString(),
    user_id: e.user_id,
    data: e.data,
  })
}
