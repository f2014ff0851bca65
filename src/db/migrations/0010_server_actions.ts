import { type Kysely, sql } from 'kysely'
import { runStatements } from '../run-statements.ts'
import { checkExpression, checkName, LATER_STATE_CHECKS, STATE_CHECKS } from '../states.ts'

const check = (table: string, column: string): string => {
  const c = LATER_STATE_CHECKS.find(x => x.table === table && x.column === column)!
  return `CONSTRAINT ${checkName(c)} CHECK (${checkExpression(c)})`
}

/**
 * Power actions and cancellation at the end of the term (issue 13).
 *
 * `server_actions`: one row per power action a customer asked for, run by a `server.power` job.
 * The partial unique index is what makes "one action at a time per server" hold under
 * concurrency: two requests racing both pass their reads, and the second INSERT waits for the
 * first and then fails on the index (answered 409 `action_pending`).
 *
 * `servers.cancel_at`, `plesk_subscriptions.cancel_at`: the moment a cancelled service ends (its
 * expiry when it was cancelled); null when no cancellation is pending. The partial indexes serve
 * the lifecycle's scans. Both status columns gain `terminating` (the delete job is under way), so
 * their CHECKs are made again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE server_actions (
      id text PRIMARY KEY,
      server_id text NOT NULL REFERENCES servers(id),
      user_id text NOT NULL REFERENCES users(id),
      action text NOT NULL,
      status text NOT NULL,
      error text,
      job_id text,
      solusvm_task_id integer,
      requested_by text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz,
      ${check('server_actions', 'action')},
      ${check('server_actions', 'status')}
    );
    CREATE UNIQUE INDEX server_actions_one_open ON server_actions (server_id) WHERE status IN ('queued', 'running');
    CREATE INDEX server_actions_server_created ON server_actions (server_id, created_at DESC, id DESC);
    ALTER TABLE servers ADD COLUMN cancel_at timestamptz;
    CREATE INDEX servers_cancel_due ON servers (cancel_at) WHERE cancel_at IS NOT NULL;
    ALTER TABLE plesk_subscriptions ADD COLUMN cancel_at timestamptz;
    CREATE INDEX plesk_subscriptions_cancel_due ON plesk_subscriptions (cancel_at) WHERE cancel_at IS NOT NULL;
  `,
  )
  for (const table of ['servers', 'plesk_subscriptions']) {
    const c = STATE_CHECKS.find(x => x.table === table && x.column === 'status')!
    await sql.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${checkName(c)}`).execute(db)
    await sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${checkName(c)} CHECK (${checkExpression(c)})`).execute(db)
  }
}
