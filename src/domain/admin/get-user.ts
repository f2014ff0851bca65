import type { Db } from '../../db/connect.ts'
import { notFound } from '../../lib/errors.ts'
import { userView } from './views.ts'

/** One user with its balance and how many live keys it holds. */
export async function getUser(db: Db, userId: string) {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
  if (!user) throw notFound('user', userId)
  const keys = await db
    .selectFrom('api_keys')
    .select(eb => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow()
  return { ...userView(user), active_keys: Number(keys.n) }
}
