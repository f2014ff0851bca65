import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'

/** Locations a new server may be ordered in; orders take the `name` (e.g. "Slovenia") or the `id`. */
export async function listLocations(db: Db, input: { page: PageRequest }) {
  const query = db
    .selectFrom('locations')
    .select(['id', 'name'])
    .where('is_active', '=', true)
    .orderBy('name')
    .orderBy('id')
  return fetchPage(query, input.page).then(({ rows, meta }) => ({ data: rows, meta }))
}
