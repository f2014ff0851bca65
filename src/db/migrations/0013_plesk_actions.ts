import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'
import { checkExpression, checkName, LATER_STATE_CHECKS } from '../states.ts'

const check = (table: string, column: string): string => {
  const c = LATER_STATE_CHECKS.find(x => x.table === table && x.column === column)!
  return `CONSTRAINT ${checkName(c)} CHECK (${checkExpression(c)})`
}

/**
 * Plesk actions and operator suspension (issue 13, part B).
 *
 * `plesk_actions`: one row per FTP password change, operator suspension or resumption of a
 * subscription, run by a `plesk.action` job. The partial unique index makes "one open action per
 * subscription" hold under concurrency, as `server_actions_one_open` does for servers. No column
 * holds a password: the new FTP password lives only in the job's sealed secret.
 *
 * `plesk_subscriptions.operator_suspended_*`: an operator's suspension, kept apart from `status`
 * (which the lifecycle owns: unpaid → suspended, renewal → active) so that neither lifts the
 * other. Set while the operator's suspension stands (from the request on), cleared by the
 * operator's resumption once Plesk has it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE plesk_actions (
      id text PRIMARY KEY,
      subscription_id text NOT NULL REFERENCES plesk_subscriptions(id),
      user_id text NOT NULL REFERENCES users(id),
      action text NOT NULL,
      status text NOT NULL,
      reason text,
      error text,
      job_id text,
      requested_by text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz,
      ${check('plesk_actions', 'action')},
      ${check('plesk_actions', 'status')}
    );
    CREATE UNIQUE INDEX plesk_actions_one_open ON plesk_actions (subscription_id) WHERE status IN ('queued', 'running');
    CREATE INDEX plesk_actions_subscription_created ON plesk_actions (subscription_id, created_at DESC, id DESC);
    ALTER TABLE plesk_subscriptions ADD COLUMN operator_suspended_at timestamptz;
    ALTER TABLE plesk_subscriptions ADD COLUMN operator_suspended_by text;
    ALTER TABLE plesk_subscriptions ADD COLUMN operator_suspend_reason text;
  `,
  )
}
