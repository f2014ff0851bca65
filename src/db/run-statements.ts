import { type Kysely, sql } from 'kysely'

/**
 * Runs a migration's SQL one statement at a time: PGlite's extended protocol refuses several
 * commands in one query. Statements are split on a semicolon that ends a line.
 */
export async function runStatements(db: Kysely<unknown>, text: string): Promise<void> {
  for (const statement of text
    .split(/;\s*\n/)
    .map(s => s.trim())
    .filter(s => s.length > 0)) {
    await sql.raw(statement).execute(db)
  }
}
