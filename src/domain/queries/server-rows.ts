import type { Db } from '../../db/connect.ts'
import { formatAmount } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'

/** Addon rows shared by the server read queries (which server a caller may read: access/authorize.ts). */

/** The documented addon row (docs/0xhost-compat.md 3.5): prices as decimal strings, `assigned_value` the IP once assigned. */
export interface AddonRow {
  id: string
  addon_id: string
  server_id: string
  status: string
  assigned_price: string
  assigned_value: string
  created_at: string
  updated_at: string
  addon_name: string
  /** When a cancelled addon ends (issue 13); null when none is pending. */
  cancel_at: string | null
}

/** The addons of several servers in one query, grouped by server id, oldest first. */
export async function addonsByServer(db: Db, serverIds: readonly string[]): Promise<Map<string, AddonRow[]>> {
  const out = new Map<string, AddonRow[]>(serverIds.map(id => [id, []]))
  if (serverIds.length === 0) return out
  const rows = await db
    .selectFrom('server_addons')
    .innerJoin('addons', 'addons.id', 'server_addons.addon_id')
    .selectAll('server_addons')
    .select('addons.name as addon_name')
    .where('server_addons.server_id', 'in', serverIds)
    .orderBy('server_addons.created_at')
    .orderBy('server_addons.id')
    .execute()
  for (const r of rows) {
    out.get(r.server_id)?.push({
      id: r.id,
      addon_id: r.addon_id,
      server_id: r.server_id,
      status: r.status,
      assigned_price: formatAmount(r.assigned_price_cents),
      assigned_value: r.assigned_value,
      created_at: formatTimestamp(r.created_at)!,
      updated_at: formatTimestamp(r.updated_at)!,
      addon_name: r.addon_name,
      cancel_at: r.cancel_at === null ? null : r.cancel_at.toISOString(),
    })
  }
  return out
}
