import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import type { Principal } from '../auth/api-keys.ts'
import { requireUser } from '../access/authorize.ts'
import { transactionRow } from './render.ts'

/**
 * `GET /API/list_transactions`: the caller's payments, newest first, with paging metadata. The
 * docs take no user_id (the key decides); an admin key may name a user, a customer key only itself.
 */
export async function listTransactions(db: Db, principal: Principal, filter: { userId?: string }, page: PageRequest) {
  const userId = (await requireUser(db, principal, filter.userId, 'read')).id
  const q = db
    .selectFrom('payments')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  const { rows, meta } = await fetchPage(q, page)
  return { success: true, data: rows.map(transactionRow), meta }
}
