import type { Db } from '../../db/connect.ts'
import { formatAmount } from '../../lib/money.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'

/** The addon catalog (the docs give no source of `addon_id`): price as a decimal string, charged once per order. */
export async function listAddons(db: Db, input: { page: PageRequest }) {
  const query = db
    .selectFrom('addons')
    .select(['id', 'name', 'kind', 'price_cents'])
    .where('is_active', '=', true)
    .orderBy('name')
    .orderBy('id')
  const { rows, meta } = await fetchPage(query, input.page)
  return {
    data: rows.map(a => ({
      id: a.id,
      name: a.name,
      kind: a.kind,
      price: formatAmount(a.price_cents),
      currency: 'EUR',
    })),
    meta,
  }
}
