import type { Db } from '../../db/connect.ts'
import { notFound } from '../../lib/errors.ts'

/** A service a cancellation names: a server, a Plesk subscription, or an extra IPv4 of a server. */
export type CancellableKind = 'server' | 'plesk' | 'addon'

/**
 * Which kind of service `id` is among `ownerId`'s (null: anyone's, an admin key naming nobody),
 * or a 404 `service` exactly like a missing one: ids are UUIDs, so they never name two.
 */
export async function serviceKindOf(db: Db, id: string, ownerId: string | null): Promise<CancellableKind> {
  let servers = db.selectFrom('servers').select('id').where('id', '=', id)
  if (ownerId !== null) servers = servers.where('user_id', '=', ownerId)
  if (await servers.executeTakeFirst()) return 'server'
  let subs = db.selectFrom('plesk_subscriptions').select('id').where('id', '=', id)
  if (ownerId !== null) subs = subs.where('user_id', '=', ownerId)
  if (await subs.executeTakeFirst()) return 'plesk'
  let addons = db.selectFrom('server_addons').select('id').where('id', '=', id)
  if (ownerId !== null) addons = addons.where('user_id', '=', ownerId)
  if (await addons.executeTakeFirst()) return 'addon'
  throw notFound('service', id)
}
