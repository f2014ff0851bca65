import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { containsPattern } from './filters.ts'
import { userView } from './views.ts'

/** Users, newest first; `email` matches any part of the address, case-insensitively. */
export async function listUsers(db: Db, filter: { email?: string; active?: boolean }, page: PageRequest) {
  let q = db.selectFrom('users').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  // Emails are stored lower-cased (createUser), so lower-casing the needle is enough.
  if (filter.email !== undefined) q = q.where('email', 'like', containsPattern(filter.email.toLowerCase()))
  if (filter.active !== undefined) q = q.where('is_active', '=', filter.active)
  const { rows, meta } = await fetchPage(q, page)
  return { data: rows.map(userView), meta }
}
