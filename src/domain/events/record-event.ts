import type { Db } from '../../db/connect.ts'
import { newId } from '../../lib/ids.ts'
import type { EventData, EventType } from './catalog.ts'

export interface RecordEvent<T extends EventType> {
  type: T
  /** The customer it concerns (who sees it in their list and whose endpoints receive it). */
  userId: string | null
  data: EventData<T>
  /** Business time of the change. */
  now: Date
}

/**
 * Writes a domain event in the caller's transaction: one insert, so the event exists exactly when
 * the change it tells of committed, and the order path pays one statement for it.
 */
export async function recordEvent<T extends EventType>(trx: Db, e: RecordEvent<T>): Promise<string> {
  const id = newId('event')
  await trx
    .insertInto('events')
    .values({ id, type: e.type, occurred_at: e.now, user_id: e.userId, data: JSON.stringify(e.data) })
    .execute()
  return id
}
