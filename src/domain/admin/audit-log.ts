import type { Db } from '../../db/connect.ts'
import { newId } from '../../lib/ids.ts'

/** Writes an audit record in the caller's transaction: who (key id or "cli"), which request, what. */
export async function writeAudit(
  trx: Db,
  entry: {
    actor: string
    requestId?: string
    action: string
    targetType: string
    targetId: string
    details?: Record<string, unknown>
  },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: newId('audit'),
      actor: entry.actor,
      request_id: entry.requestId ?? null,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute()
}
