import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { formatAmount } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { requireUser } from '../access/authorize.ts'

/**
 * The ledger of a user, newest first: each movement as a signed decimal string (debits are
 * negative) with the balance right after it. The actor (API key id, worker…) stays internal.
 */
export async function listLedger(db: Db, input: { principal: Principal; userId?: string; page: PageRequest }) {
  const userId = (await requireUser(db, input.principal, input.userId, 'read')).id
  const query = db
    .selectFrom('ledger_entries')
    .select(['id', 'delta_cents', 'balance_after_cents', 'kind', 'reason', 'order_id', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  const { rows, meta } = await fetchPage(query, input.page)
  return {
    data: rows.map(r => ({
      id: r.id,
      delta: formatAmount(r.delta_cents),
      balance_after: formatAmount(r.balance_after_cents),
      currency: 'EUR',
      kind: r.kind,
      reason: r.reason,
      order_id: r.order_id,
      created_at: formatTimestamp(r.created_at)!,
    })),
    meta,
  }
}
