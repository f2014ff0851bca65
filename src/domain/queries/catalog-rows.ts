import type { Db } from '../../db/connect.ts'

/** Catalog pieces several read queries share. Only active rows are ever offered. */

export interface OsVersion {
  id: string
  name: string
  version: string
}

/** Active OS image versions by id, in a stable order (name, then newest version first). */
export async function activeOsVersions(db: Db, ids?: readonly string[]): Promise<OsVersion[]> {
  if (ids !== undefined && ids.length === 0) return []
  let q = db.selectFrom('os_images').select(['id', 'name', 'version']).where('is_active', '=', true)
  if (ids !== undefined) q = q.where('id', 'in', ids)
  const rows = await q.orderBy('name').orderBy('version', 'desc').orderBy('id').execute()
  return rows
}

/** A Plesk plan's price is per calendar month (orders take 1–3 months). */
export const PLESK_BILLING_CYCLE = 'monthly'
