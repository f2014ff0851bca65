import { AsyncLocalStorage } from 'node:async_hooks'
import type { Db } from '../../db/connect.ts'
import { newId } from '../../lib/ids.ts'

/**
 * The request id of the admin request in progress, for use-cases that write an audit record but
 * take no request id themselves (`jobs/retry-job.ts`). An explicit `requestId` always wins.
 */
const requestScope = new AsyncLocalStorage<{ requestId: string }>()

/** Runs `fn` so that every audit record it writes without a request id carries `requestId`. */
export function withAuditRequestId<T> (requestId: string, fn: () => Promise<T>): Promise<T> {
  return requestScope.run({ requestId }, fn)
}

/** Writes an audit record in the caller's transaction: who (key id or "cli"), which request, what. */
export async function writeAudit (trx: Db, entry: { actor: string, requestId?: string, action: string, targetType: string, targetId: string, details?: Record<string, unknown> }): Promise<void> {
  await trx.insertInto('audit_log').values({
    id: newId('audit'), actor: entry.actor, request_id: entry.requestId ?? requestScope.getStore()?.requestId ?? null, action: entry.action,
    target_type: entry.targetType, target_id: entry.targetId, details: JSON.stringify(entry.details ?? {}),
  }).execute()
}
