import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { ownerScope, requireOwned } from '../access/authorize.ts'
import { viewServerAction, type ServerActionView } from './action-view.ts'

/** The actions of one server (power and rebuild), newest first, at most 50 (contract "Power"). */
export const ACTION_LIST_LIMIT = 50

export async function listServerActions(
  db: Db,
  input: { principal: Principal; userId?: string; serverId: string },
): Promise<ServerActionView[]> {
  const owner = await ownerScope(db, input.principal, input.userId)
  const server = await requireOwned(db, input.principal, 'servers', input.serverId, { access: 'read', owner })
  const rows = await db
    .selectFrom('server_actions')
    .selectAll()
    .where('server_id', '=', server.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(ACTION_LIST_LIMIT)
    .execute()
  return rows.map(viewServerAction)
}
