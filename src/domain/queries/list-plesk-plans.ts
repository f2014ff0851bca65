import type { Db } from '../../db/connect.ts'
import { formatAmount } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'
import { PLESK_BILLING_CYCLE } from './catalog-rows.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'

/**
 * The Plesk plans (the docs give no source of the hosting `plan_id`). Unlike the documented
 * `list_plan`, whose price is a JSON number, this implied endpoint follows the money rule:
 * decimal strings.
 */
export async function listPleskPlans(db: Db, input: { page: PageRequest }) {
  const query = db
    .selectFrom('plesk_plans')
    .select(['id', 'name', 'price_cents', 'created_at', 'updated_at'])
    .where('is_active', '=', true)
    .orderBy('price_cents')
    .orderBy('id')
  const { rows, meta } = await fetchPage(query, input.page)
  return {
    data: rows.map(p => ({
      id: p.id,
      name: p.name,
      price: formatAmount(p.price_cents),
      currency: 'EUR',
      billing_cycle: PLESK_BILLING_CYCLE,
      created_at: formatTimestamp(p.created_at)!,
      updated_at: formatTimestamp(p.updated_at)!,
    })),
    meta,
  }
}
