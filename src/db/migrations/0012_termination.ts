import { type Kysely, sql } from 'kysely'
import { checkExpression, checkName, STATE_CHECKS } from '../states.ts'

/** The 0006 checks whose values issue 13's termination adds to (states.ts lists them). */
const CHANGED: ReadonlyArray<[table: string, column: string]> = [
  ['server_addons', 'status'],
  ['ledger_entries', 'kind'],
  ['service_periods', 'kind'],
]

/**
 * Immediate cancellation and termination (issue 13, part C).
 *
 * - `server_addons.status` gains `releasing` (its release job runs) and `released` (the IP is gone:
 *   the addon was cancelled or its server terminated); `server_addons.cancel_at` is when a
 *   cancelled addon ends, with a partial index for the lifecycle's scan.
 * - `ledger_entries.kind` gains `cancel_refund` (the unused paid time of an immediate
 *   cancellation, when CANCEL_REFUND_UNUSED is on).
 * - `service_periods.kind` gains `cancel`: the cut of the paid time to the cancellation's moment,
 *   so the delivery audit's replay ends where the service's expiry now is.
 *
 * The changed CHECKs are made again from states.ts, as 0010 did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE server_addons ADD COLUMN cancel_at timestamptz`.execute(db)
  await sql`CREATE INDEX server_addons_cancel_due ON server_addons (cancel_at) WHERE cancel_at IS NOT NULL`.execute(db)
  for (const [table, column] of CHANGED) {
    const c = STATE_CHECKS.find(x => x.table === table && x.column === column)!
    await sql.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${checkName(c)}`).execute(db)
    await sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${checkName(c)} CHECK (${checkExpression(c)})`).execute(db)
  }
}
