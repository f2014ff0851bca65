import { type Kysely, sql } from 'kysely'
import { runStatements } from '../run-statements.ts'
import { checkExpression, checkName, LATER_STATE_CHECKS } from '../states.ts'

const check = (column: string) => LATER_STATE_CHECKS.find(x => x.table === 'server_actions' && x.column === column)!

/**
 * Server rebuild (issue 13): reinstall, reset of the root password, rescue mode on and off are
 * `server_actions` too, so "one action at a time per server" (the partial unique index of 0010)
 * covers them with the power actions.
 *
 * - `os_image_id`: the image a reinstall puts on (the server's `os_image_id` becomes it when done).
 * - `password_sealed`: a root password SolusVM answered to a reset, sealed with the secrets key
 *   (never plain text); erased in the transaction that shows it once.
 * - `password_delivery`: `shown` (oxbill shows it) or `email` (SolusVM mailed a link); see states.ts.
 *
 * The action CHECK is made again with the new kinds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const delivery = check('password_delivery')
  await runStatements(
    db,
    `
    ALTER TABLE server_actions ADD COLUMN os_image_id text REFERENCES os_images(id);
    ALTER TABLE server_actions ADD COLUMN password_sealed text;
    ALTER TABLE server_actions ADD COLUMN password_delivery text
      CONSTRAINT ${checkName(delivery)} CHECK (${checkExpression(delivery)});
  `,
  )
  const action = check('action')
  await sql.raw(`ALTER TABLE server_actions DROP CONSTRAINT IF EXISTS ${checkName(action)}`).execute(db)
  await sql
    .raw(`ALTER TABLE server_actions ADD CONSTRAINT ${checkName(action)} CHECK (${checkExpression(action)})`)
    .execute(db)
}
