import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { renderServerRow } from '../orders/render.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { addonsByServer } from './server-rows.ts'
import { requireUser } from '../access/authorize.ts'

/**
 * The servers of a user, newest first, each as the full server row plus `cancel_at` and its addons. Rows are
 * rendered by `renderServerRow`, the one definition of that shape (one query per row, bounded by
 * the page size of at most 100).
 */
export async function listServers(db: Db, input: { principal: Principal; userId?: string; page: PageRequest }) {
  const userId = (await requireUser(db, input.principal, input.userId, 'read')).id
  const query = db
    .selectFrom('servers')
    .select('id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  const { rows, meta } = await fetchPage(query, input.page)
  const ids = rows.map(r => r.id)
  const addons = await addonsByServer(db, ids)
  const cancels = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom('servers').select(['id', 'cancel_at']).where('id', 'in', ids).execute()).map(r => [
          r.id,
          r.cancel_at === null ? null : r.cancel_at.toISOString(),
        ]),
  )
  const data = []
  for (const id of ids) {
    data.push({ ...(await renderServerRow(db, id)), cancel_at: cancels.get(id) ?? null, addons: addons.get(id) ?? [] })
  }
  return { data, meta }
}
