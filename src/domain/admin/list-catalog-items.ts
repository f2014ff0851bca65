import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import type { CatalogKind } from './catalog-kinds.ts'

/** A catalog table, inactive rows included unless filtered, in id order. */
export async function listCatalogItems(db: Db, kind: CatalogKind, filter: { active?: boolean }, page: PageRequest) {
  let q = db.selectFrom(kind.table).selectAll().orderBy('id')
  if (filter.active !== undefined) q = q.where('is_active', '=', filter.active)
  const { rows, meta } = await fetchPage(q, page)
  return { data: rows.map(r => kind.view(r as Record<string, unknown>)), meta }
}
