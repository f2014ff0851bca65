import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { pleskClientRow } from '../plesk/client-row.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { requireUser } from '../access/authorize.ts'

/** The Plesk clients of a user, newest first, in the shape `POST /API/plesk/clients/create` answers. */
export async function listPleskClients(db: Db, input: { principal: Principal; userId?: string; page: PageRequest }) {
  const userId = (await requireUser(db, input.principal, input.userId, 'read')).id
  const query = db
    .selectFrom('plesk_clients')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  const { rows, meta } = await fetchPage(query, input.page)
  return { data: rows.map(pleskClientRow), meta }
}
