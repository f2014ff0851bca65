import type { Db } from '../../db/connect.ts'
import { notFound } from '../../lib/errors.ts'
import { keyView } from './views.ts'

/** A user's keys, newest first, revoked ones included; hashes and secrets are never selected. */
export async function listUserKeys(db: Db, userId: string) {
  const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()
  if (!user) throw notFound('user', userId)
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'user_id', 'prefix', 'name', 'scopes', 'loopback_only', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map(keyView)
}
