import type { Db } from '../../db/connect.ts'
import { notFound } from '../../lib/errors.ts'

/** Catalog look-ups shared by the order use-cases (ownership: access/authorize.ts). Each throws a stable 4xx. */

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
