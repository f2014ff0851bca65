import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { addonsByServer, type AddonRow } from './server-rows.ts'
import { ownerScope, requireOwned } from '../access/authorize.ts'

/** The addons of one server (docs/0xhost-compat.md 3.5); the server must be the acting user's (404 otherwise). */
export async function listServerAddons(
  db: Db,
  input: { principal: Principal; userId?: string; serverId: string },
): Promise<AddonRow[]> {
  const owner = await ownerScope(db, input.principal, input.userId)
  const server = await requireOwned(db, input.principal, 'servers', input.serverId, { access: 'read', owner })
  return (await addonsByServer(db, [server.id])).get(server.id) ?? []
}
