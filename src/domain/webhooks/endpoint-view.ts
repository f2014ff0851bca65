import type { EventType } from '../events/catalog.ts'
import type { EndpointRow } from './owner.ts'

export interface EndpointView {
  id: string
  /** The customer it belongs to; null for an operator endpoint (every customer's events). */
  user_id: string | null
  url: string
  description: string
  /** Event types it receives; empty: all of them. */
  events: EventType[]
  status: 'enabled' | 'disabled'
  disabled_reason: string | null
  /** First failure since the last success, ISO-8601; null while healthy. */
  failing_since: string | null
  /** During a secret rotation: until when the previous secret still signs too. */
  previous_secret_valid_until: string | null
  created_at: string
  updated_at: string
}

/** The public view of an endpoint: never its secrets (a secret is shown once, when made). */
export function endpointView(r: EndpointRow, now: Date): EndpointView {
  const rotating = r.previous_secret_until !== null && r.previous_secret_until > now
  return {
    id: r.id,
    user_id: r.user_id,
    url: r.url,
    description: r.description,
    events: r.event_types as EventType[],
    status: r.status === 'enabled' ? 'enabled' : 'disabled',
    disabled_reason: r.disabled_reason,
    failing_since: r.failing_since?.toISOString() ?? null,
    previous_secret_valid_until: rotating ? r.previous_secret_until!.toISOString() : null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  }
}
