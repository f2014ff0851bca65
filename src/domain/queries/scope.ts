import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { AppError, notFound } from '../../lib/errors.ts'

/**
 * Whose data a read may return. A customer key reads its own user only: naming another `user_id`
 * is a 403 (raised before any look-up, so the answer says nothing about the other user). An admin
 * key may name any user.
 */
function checkUserId(principal: Principal, userId: string | undefined): string {
  const id = userId ?? principal.userId
  if (id !== principal.userId && !principal.isAdmin) {
    throw new AppError('forbidden', 'user_id does not match the API key; a key may only act for its own user')
  }
  return id
}

/** The user a read acts for (the caller unless an admin key names another); 404 if it does not exist. */
export async function readerUser(db: Db, principal: Principal, userId: string | undefined) {
  const id = checkUserId(principal, userId)
  const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  if (!user) throw notFound('user', id)
  return user
}

/** The id of the user a list reads (see readerUser). */
export async function listOwner(db: Db, principal: Principal, userId: string | undefined): Promise<string> {
  return (await readerUser(db, principal, userId)).id
}

/**
 * The owner an object named by id must have: the named user, else the caller — or nobody in
 * particular for an admin key that names no user (operators look objects up by id alone).
 * Objects of anyone else are answered 404, exactly like missing ones.
 */
export async function ownerScope(db: Db, principal: Principal, userId: string | undefined): Promise<string | null> {
  if (userId === undefined && principal.isAdmin) return null
  return listOwner(db, principal, userId)
}
