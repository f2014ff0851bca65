import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'
import { checkExpression, checkName, LATER_STATE_CHECKS } from '../states.ts'

/**
 * Domain events (issue 11): one row per business change, inserted in the transaction that makes
 * the change, so an event exists exactly when its change committed. `seq` orders the lists and
 * is what the delivery worker will scan from; `id` is the stable public id (`evt_…`) a webhook
 * receiver de-duplicates by. The payload names objects only (no secrets), so rows are kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const typeCheck = LATER_STATE_CHECKS.find(c => c.table === 'events' && c.column === 'type')!
  await runStatements(
    db,
    `
    CREATE TABLE events (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      type text NOT NULL,
      occurred_at timestamptz NOT NULL,
      user_id text REFERENCES users(id),
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ${checkName(typeCheck)} CHECK (${checkExpression(typeCheck)})
    );
    CREATE INDEX events_user_seq ON events (user_id, seq);
    CREATE INDEX events_type_seq ON events (type, seq);
  `,
  )
}
