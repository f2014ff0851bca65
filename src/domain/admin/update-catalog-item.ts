import type { Db } from '../../db/connect.ts'
import { notFound } from '../../lib/errors.ts'
import { writeAudit } from './audit-log.ts'
import { assertNameFree, toColumns, type CatalogKind } from './catalog-kinds.ts'
import { conflictOnUnique } from './db-errors.ts'
import type { AdminMeta } from './meta.ts'

/**
 * Changes a catalog row's fields (`is_active: true` reactivates it). A price change applies to
 * orders placed from now on only: every order stores the amount it charged, so past orders,
 * their ledger entries and their listings keep what they cost. The audit record holds each
 * changed field's value before and after; a change to nothing writes no record.
 */
export async function updateCatalogItem(
  db: Db,
  meta: AdminMeta,
  kind: CatalogKind,
  id: string,
  input: Record<string, unknown>,
  now: Date,
) {
  return db
    .transaction()
    .execute(async trx => {
      const before = await trx.selectFrom(kind.table).selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
      if (!before) throw notFound(kind.noun, id)
      const columns = await toColumns(trx, kind, input)
      await assertNameFree(trx, kind, columns.name, id)
      const old = kind.view(before)
      const set = kind.timestamps ? { ...columns, updated_at: now } : columns
      const row = await trx
        .updateTable(kind.table)
        .set(set as never)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow()
      const item = kind.view(row)
      const changes = Object.fromEntries(
        Object.keys(input)
          .filter(f => JSON.stringify(old[f]) !== JSON.stringify(item[f]))
          .map(f => [f, { from: old[f], to: item[f] }]),
      )
      const changed = Object.keys(changes).length > 0
      if (changed) {
        await writeAudit(trx, {
          actor: meta.actor,
          requestId: meta.requestId,
          action: `${kind.noun}.update`,
          targetType: kind.noun,
          targetId: id,
          details: { changes },
        })
      }
      return { item, changed }
    })
    .catch(conflictOnUnique('name', `another ${kind.noun} has this name`))
}
