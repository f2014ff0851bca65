import type { Db } from '../../db/connect.ts'
import { notFound } from '../../lib/errors.ts'
import { writeAudit } from './audit-log.ts'
import type { CatalogKind } from './catalog-kinds.ts'
import type { AdminMeta } from './meta.ts'

/**
 * "Deletes" a catalog row by deactivating it: it can no longer be ordered, while existing orders,
 * servers and subscriptions keep their references. Repeating it answers `changed: false`.
 */
export async function deactivateCatalogItem(db: Db, meta: AdminMeta, kind: CatalogKind, id: string, now: Date) {
  return db.transaction().execute(async trx => {
    const row = await trx.selectFrom(kind.table).selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (!row) throw notFound(kind.noun, id)
    if (!row.is_active) return { item: kind.view(row), changed: false }
    const set = kind.timestamps ? { is_active: false, updated_at: now } : { is_active: false }
    const updated = await trx
      .updateTable(kind.table)
      .set(set as never)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await writeAudit(trx, {
      actor: meta.actor,
      requestId: meta.requestId,
      action: `${kind.noun}.deactivate`,
      targetType: kind.noun,
      targetId: id,
    })
    return { item: kind.view(updated), changed: true }
  })
}
