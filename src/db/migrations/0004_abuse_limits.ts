import type { Kysely } from 'kysely'

/** Bounded storage of rejected callbacks and fair reconciliation polling (issue 8, items 9 and 10). */
export async function up (_db: Kysely<unknown>): Promise<void> {
}
