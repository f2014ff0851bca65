import { sql } from 'kysely'
import { addHours } from '../billing/pricing.ts'
import type { LifecycleDeps } from './settings.ts'

/**
 * Deletes idempotency keys past the retention (48 h by default, never under 24 h, as Stripe
 * documents), in batches so one run never holds many row locks. Keys still `running` are kept:
 * their lease decides, and a crash recovery may still need them.
 */
export async function pruneIdempotencyKeys (deps: LifecycleDeps): Promise<number> {
  const cutoff = addHours(deps.clock.now(), -deps.settings.idempotencyRetentionHours)
  let total = 0
  for (;;) {
    const res = await sql`
      DELETE FROM idempotency_keys WHERE (api_key_id, key) IN (
        SELECT api_key_id, key FROM idempotency_keys WHERE created_at < ${cutoff} AND state = 'done' LIMIT ${deps.settings.batchSize * 20}
      )`.execute(deps.db)
    const n = Number(res.numAffectedRows ?? 0n)
    total += n
    if (n < deps.settings.batchSize * 20) return total
  }
}
