import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { notFound } from '../../lib/errors.ts'
import { ledgerView } from './views.ts'

/** A user's ledger, newest first: every balance movement with its reason and actor. */
export async function listLedger(db: Db, userId: string, page: PageRequest) {
  const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()
  if (!user) throw notFound('user', userId)
  const q = db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  const { rows, meta } = await fetchPage(q, page)
  return { data: rows.map(ledgerView), meta }
}
