import { EVENT_TYPES, type EventType } from '../events/catalog.ts'
import { validation } from '../../lib/errors.ts'
import { hasControlCharacters } from '../../lib/text.ts'

/** Endpoints one owner may have (a customer cannot make the worker fan every event out a thousand times). */
export const MAX_ENDPOINTS_PER_OWNER = 20
export const MAX_DESCRIPTION_LENGTH = 200

/** The event types an endpoint subscribes to: known names, no repeats; none (or `*`) means all. */
export function parseEventTypes(input: readonly string[] | undefined): EventType[] {
  if (input === undefined) return []
  if (input.length === 1 && input[0] === '*') return []
  const known = new Set<string>(EVENT_TYPES)
  const seen = new Set<string>()
  for (const t of input) {
    if (!known.has(t)) {
      throw validation(
        `unknown event type ${JSON.stringify(t).slice(0, 80)}; see /openapi.json (WebhookEventType) for the list`,
        'events',
      )
    }
    if (seen.has(t)) throw validation(`event type ${t} is listed twice`, 'events')
    seen.add(t)
  }
  return [...seen] as EventType[]
}

export function parseDescription(input: string | undefined): string {
  const d = (input ?? '').trim()
  if (d.length > MAX_DESCRIPTION_LENGTH) {
    throw validation(`description is longer than ${MAX_DESCRIPTION_LENGTH} characters`, 'description')
  }
  if (hasControlCharacters(d)) throw validation('description contains control characters', 'description')
  return d
}
