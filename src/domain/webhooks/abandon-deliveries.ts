import type { Db } from '../../db/connect.ts'

/**
 * An endpoint that stops receiving (disabled or deleted) gives up what is still queued for it:
 * those deliveries become `abandoned`, visible in its log and replayable once it is enabled again.
 * A delivery being sent right now (`sending`) is left to finish; its outcome is recorded as usual.
 */
export async function abandonQueuedDeliveries(trx: Db, endpointId: string, reason: string, now: Date): Promise<number> {
  const res = await trx
    .updateTable('webhook_deliveries')
    .set({ state: 'abandoned', last_error: reason, updated_at: now })
    .where('endpoint_id', '=', endpointId)
    .where('state', '=', 'pending')
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}
