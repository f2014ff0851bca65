import { EVENT_TYPES, type EventType } from '../../db/states.ts'
import { validation } from '../../lib/errors.ts'

/** `type=order.created,order.failed` → the types; an unknown one is a 400 naming it. */
export function eventTypesOf(raw: string | undefined): EventType[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const types = raw.split(',').map(t => t.trim())
  for (const t of types) {
    if (!(EVENT_TYPES as readonly string[]).includes(t)) {
      throw validation(`unknown event type ${JSON.stringify(t.slice(0, 60))}; known: ${EVENT_TYPES.join(', ')}`, 'type')
    }
  }
  return types as EventType[]
}
