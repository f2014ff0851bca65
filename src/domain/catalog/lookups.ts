import type { Db } from '../../db/connect.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'

/** Catalog and ownership look-ups shared by the order use-cases. Each throws a stable 4xx. */

export async function getVpsPlan(db: Db, id: string) {
  const plan = await db
    .selectFrom('vps_plans')
    .selectAll()
    .where('id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirst()
  if (!plan) throw notFound('plan', id)
  return plan
}

export async function getOsImage(db: Db, id: string) {
  const os = await db
    .selectFrom('os_images')
    .selectAll()
    .where('id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirst()
  if (!os) throw notFound('os_image', id)
  return os
}

/** Locations are named in requests ("Slovenia"); the id or the name, case-insensitively, both work. */
export async function getLocation(db: Db, nameOrId: string) {
  const loc = await db
    .selectFrom('locations')
    .selectAll()
    .where(eb => eb.or([eb('id', '=', nameOrId), eb(eb.fn('lower', ['name']), '=', nameOrId.toLowerCase())]))
    .where('is_active', '=', true)
    .executeTakeFirst()
  if (!loc) throw notFound('location', nameOrId)
  return loc
}

export async function getAddon(db: Db, id: string) {
  const addon = await db
    .selectFrom('addons')
    .selectAll()
    .where('id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirst()
  if (!addon) throw notFound('addon', id)
  return addon
}

export async function getPleskPlan(db: Db, id: string) {
  const plan = await db
    .selectFrom('plesk_plans')
    .selectAll()
    .where('id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirst()
  if (!plan) throw notFound('plesk_plan', id)
  return plan
}

/**
 * The user an order acts for: a customer key may only name itself (403 otherwise, nothing
 * revealed about the other user); an admin key may act for any existing user.
 */
export async function actingUser(db: Db, principal: Principal, userId: string | undefined) {
  const id = userId ?? principal.userId
  if (id !== principal.userId && !principal.isAdmin) {
    throw new AppError('forbidden', 'user_id does not match the API key; a key may only act for its own user')
  }
  const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  if (!user || !user.is_active) throw notFound('user', id)
  return user
}

/** A server of `userId`; another user's server is indistinguishable from a missing one (404). */
export async function ownedServer(db: Db, userId: string, serverId: string) {
  const server = await db
    .selectFrom('servers')
    .selectAll()
    .where('id', '=', serverId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!server) throw notFound('server', serverId)
  return server
}
