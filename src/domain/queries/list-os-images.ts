import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { activeOsVersions } from './catalog-rows.ts'
import { pageMeta, type PageRequest } from '../../db/paginate.ts'

/**
 * OS images with their versions, as SolusVM models them: one entry per image name, each version
 * with the id that orders take as `os_image_id` (the same objects as a plan's
 * `available_os_image_versions`). Paged by image name.
 */
export async function listOsImages(db: Db, input: { page: PageRequest }) {
  const count = await db
    .selectFrom('os_images')
    .select(sql<string>`count(DISTINCT name)`.as('n'))
    .where('is_active', '=', true)
    .executeTakeFirst()
  const names = await db
    .selectFrom('os_images')
    .select('name')
    .distinct()
    .where('is_active', '=', true)
    .orderBy('name')
    .limit(input.page.perPage)
    .offset(input.page.offset)
    .execute()
  const versions = await activeOsVersions(db)
  return {
    data: names.map(n => ({ name: n.name, versions: versions.filter(v => v.name === n.name) })),
    meta: pageMeta(Number(count?.n ?? 0), input.page),
  }
}
