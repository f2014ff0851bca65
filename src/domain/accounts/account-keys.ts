import type { Db } from '../../db/connect.ts'
import { formatTimestamp } from '../orders/render.ts'

/** An API key as the account pages show it: never the key or its hash. */
export function accountKeyView(k: {
  id: string
  name: string | null
  prefix: string
  created_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created_at: formatTimestamp(k.created_at)!,
    last_used_at: formatTimestamp(k.last_used_at),
    revoked_at: formatTimestamp(k.revoked_at),
  }
}

/** The caller's API keys, revoked ones included, newest first. */
export async function listAccountKeys(db: Db, userId: string) {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute()
  return rows.map(accountKeyView)
}
