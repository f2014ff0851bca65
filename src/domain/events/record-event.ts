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
  /**
   * For an event that tells of an occasion rather than a change (a reminder): the occasion's
   * key, so writing it again is a no-op (`events_dedupe_key`, migration 0008).
   */
  dedupeKey?: string
}

/**
 * Writes a domain event in the caller's transaction: one insert, so the event exists exactly when
 * the change it tells of committed, and the order path pays one statement for it. With a
 * `dedupeKey` it is written at most once per key: the id, or null when the key was taken.
 */
export async function recordEvent<T extends EventType>(
  trx: Db,
  e: RecordEvent<T> & { dedupeKey?: undefined },
): Promise<string>
export async function recordEvent<T extends EventType>(trx: Db, e: RecordEvent<T>): Promise<string | null>
export async function recordEvent<T extends EventType>(trx: Db, e: RecordEvent<T>): Promise<string | null> {
  const id = newId('event')
  const row = { id, type: e.type, occurred_at: e.now, user_id: e.userId, data: JSON.stringify(e.data) }
  if (e.dedupeKey === undefined) {
    await trx.insertInto('events').values(row).execute()
    return id
  }
  const written = await trx
    .insertInto('events')
    .values({ ...row, dedupe_key: e.dedupeKey })
    .onConflict(oc => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return written === undefined ? null : id
}
