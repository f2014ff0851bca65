import { sql, type RawBuilder } from 'kysely'

/** `metadata || patch`: adds keys to a jsonb column in an UPDATE without reading it first. */
export function mergeMetadata(patch: Record<string, unknown>): RawBuilder<string> {
  return sql<string>`metadata || ${JSON.stringify(patch)}::jsonb`
}
