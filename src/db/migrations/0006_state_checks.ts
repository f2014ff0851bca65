import { type Kysely, sql } from 'kysely'
import { checkExpression, checkName, STATE_CHECKS } from '../states.ts'

/**
 * A CHECK constraint on every status and kind column (issue 10, item 3), built from the arrays of
 * `db/states.ts`, so the database refuses exactly what the Kysely types refuse. Each is named as
 * PostgreSQL names a column CHECK (`orders_status_check`): the three that 0002 and 0003 wrote
 * inline (`payments.type`, `service_periods.kind` and `service_kind`) are dropped and made again
 * from the same source. The values listed there include every one older versions wrote; should a
 * database hold another (written by hand), the migration stops naming it instead of failing on
 * a bare constraint violation; once those rows are fixed it runs again (each check is dropped
 * before it is made).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const c of STATE_CHECKS) {
    const { rows } = await sql<{ value: string | null }>`
      SELECT DISTINCT ${sql.ref(c.column)} AS value FROM ${sql.table(c.table)}
      WHERE ${sql.ref(c.column)} IS NULL OR NOT (${sql.raw(checkExpression(c))})`.execute(db)
    if (rows.length > 0) {
      const found = rows.map(r => (r.value === null ? 'NULL' : `'${r.value}'`)).join(', ')
      throw new Error(
        `${c.table}.${c.column} holds ${found}, not one of ${c.values.join(', ')}: fix those rows, then migrate again`,
      )
    }
    await sql.raw(`ALTER TABLE ${c.table} DROP CONSTRAINT IF EXISTS ${checkName(c)}`).execute(db)
    await sql.raw(`ALTER TABLE ${c.table} ADD CONSTRAINT ${checkName(c)} CHECK (${checkExpression(c)})`).execute(db)
  }
}
