import type { Db } from '../../db/connect.ts'
import { moveServerAddon } from '../state/servers.ts'

/**
 * Ends every addon of a server whose VM was just deleted, in the transaction that marks the server
 * `deleted`: SolusVM released the VM's IPs with it, so `assigned` and `releasing` addons become
 * `released` (each with its `service.terminated`) and the server's `extra_ips` are emptied. An
 * addon still `unassigned` (its job not done) is left to that job, which fails on the missing VM
 * and refunds its order.
 */
export async function releaseServerAddons(trx: Db, serverId: string, now: Date, reason: string): Promise<number> {
  const addons = await trx
    .selectFrom('server_addons')
    .select('id')
    .where('server_id', '=', serverId)
    .where('status', 'in', ['assigned', 'releasing'])
    .execute()
  let n = 0
  for (const a of addons) {
    if (await moveServerAddon(trx, a.id, { from: ['assigned', 'releasing'], to: 'released', now, reason })) n++
  }
  await trx.updateTable('servers').set({ extra_ips: [], updated_at: now }).where('id', '=', serverId).execute()
  return n
}
