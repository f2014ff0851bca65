import { sql } from 'kysely'
import { addHours } from '../billing/pricing.ts'
import type { LifecycleDeps } from './settings.ts'

/**
 * Deletes idempotency keys past the retention (48 h by default, never under 24 h, as Stripe
 * documents), in batches so one run never holds many row locks. Keys still `running` are kept:
 * their lease decides, and a crash recovery may still need them. A pinned error (a stored 402,
 * which anyone with an empty balance can make one of per key) goes much sooner: its `done` row's
 * `lease_until` holds when it expires (IDEMPOTENCY_ERROR_RETENTION_MINUTES after it was pinned,
 * set where it is pinned, in execute-order.ts).
 */
export async function pruneIdempotencyKeys(deps: LifecycleDeps): Promise<number> {
  const now = deps.clock.now()
  const cutoff = addHours(now, -deps.settings.idempotencyRetentionHours)
  const batch = deps.settings.batchSize * 20
  let total = 0
  for (;;) {
    const res = await sql`
      DELETE FROM idempotency_keys WHERE (api_key_id, key) IN (
        SELECT api_key_id, key FROM idempotency_keys WHERE created_at < ${cutoff} AND state = 'done' LIMIT ${batch}
      )`.execute(deps.db)
    const n = Number(res.numAffectedRows ?? 0n)
    total += n
    if (n < batch) break
  }
  for (;;) {
    const res = await sql`
      DELETE FROM idempotency_keys WHERE (api_key_id, key) IN (
        SELECT api_key_id, key FROM idempotency_keys WHERE state = 'done' AND response_status <> 200 AND lease_until < ${now} LIMIT ${batch}
      )`.execute(deps.db)
    const n = Number(res.numAffectedRows ?? 0n)
    total += n
    if (n < batch) return total
  }
}
