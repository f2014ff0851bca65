import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { renderServerRow } from '../orders/render.ts'
import { addonsByServer } from './server-rows.ts'
import { ownerScope, requireOwned } from '../access/authorize.ts'

/** One server as the docs' full server row (`server_status` of docs/0xhost-compat.md 3.11, change plan) plus its addons. */
export async function getServer(db: Db, input: { principal: Principal; userId?: string; serverId: string }) {
  const owner = await ownerScope(db, input.principal, input.userId)
  const server = await requireOwned(db, input.principal, 'servers', input.serverId, { access: 'read', owner })
  const addons = await addonsByServer(db, [server.id])
  return { ...(await renderServerRow(db, server.id)), addons: addons.get(server.id) ?? [] }
}
