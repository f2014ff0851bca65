import type { Db } from '../../db/connect.ts'
import { newUuid } from '../../lib/ids.ts'
import { AppError } from '../../lib/errors.ts'
import { writeAudit } from './audit-log.ts'
import { assertNameFree, toColumns, type CatalogKind } from './catalog-kinds.ts'
import { conflictOnUnique } from './db-errors.ts'
import type { AdminMeta } from './meta.ts'

/**
 * Adds a plan, OS image, location, addon or Plesk plan. The id may be chosen (the docs use short
 * numeric plan ids such as "5"); otherwise a UUID is generated. A taken id or name is a 409.
 */
export async function createCatalogItem(
  db: Db,
  meta: AdminMeta,
  kind: CatalogKind,
  input: Record<string, unknown> & { id?: string },
) {
  const id = input.id ?? newUuid()
  return db
    .transaction()
    .execute(async trx => {
      const taken = await trx.selectFrom(kind.table).select('id').where('id', '=', id).executeTakeFirst()
      if (taken) throw new AppError('conflict', `${kind.noun} '${id}' exists`, { details: { field: 'id' } })
      const columns = await toColumns(trx, kind, input)
      await assertNameFree(trx, kind, columns.name, id)
      // One cast for five tables: the kind's field map only produces columns of its own table.
      const row = await trx
        .insertInto(kind.table)
        .values({ ...columns, id } as never)
        .returningAll()
        .executeTakeFirstOrThrow()
      const item = kind.view(row)
      await writeAudit(trx, {
        actor: meta.actor,
        requestId: meta.requestId,
        action: `${kind.noun}.create`,
        targetType: kind.noun,
        targetId: id,
        details: { item },
      })
      return item
    })
    .catch(conflictOnUnique('id', `${kind.noun} '${id}' or its name exists`))
}
