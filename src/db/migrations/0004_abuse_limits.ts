import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'

/**
 * Bounded storage of rejected callbacks and fair reconciliation polling (issue 8, items 9 and 10).
 *
 * `payment_events.body_sha256` / `body_bytes`: the digest and size of every callback body as
 * received. A callback with a bad or missing signature keeps only its first bytes in `raw_body`
 * (anyone can send one, so storing it whole let anyone fill the disk); a signed one is kept whole.
 *
 * `payments.last_polled_at`: when the reconciliation last asked OxaPay about the payment. The job
 * polls the least recently polled open payments first (a never-polled one counts from its
 * creation), so every open payment is polled within a bounded number of rounds whatever other
 * customers hold open; the index serves exactly that order. It replaces the index on `updated_at`,
 * which the job used to poll by (and which let idle invoices that never change starve the rest).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE payment_events ADD COLUMN body_sha256 text;
    ALTER TABLE payment_events ADD COLUMN body_bytes integer CHECK (body_bytes >= 0);

    ALTER TABLE payments ADD COLUMN last_polled_at timestamptz;
    DROP INDEX payments_open;
    CREATE INDEX payments_poll_order ON payments ((COALESCE(last_polled_at, created_at)), id)
      WHERE status IN ('new', 'waiting', 'paying') AND track_id IS NOT NULL;
  `,
  )
}
