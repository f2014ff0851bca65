import type { Db } from '../../db/connect.ts'
import { adjustBalance } from '../billing/adjust-balance.ts'
import type { AdminMeta } from './meta.ts'
import { ledgerView } from './views.ts'

/**
 * An operator's balance adjustment through the same use-case as `oxbill balance credit`: a
 * ledger entry with the reason and the acting key, and an audit record, in one transaction.
 * A debit that would take the balance below zero is a 402 and writes nothing.
 */
export async function adjustUserBalance(
  db: Db,
  meta: AdminMeta,
  input: { userId: string; amount: string; reason: string },
) {
  const res = await adjustBalance(db, { ...input, actor: meta.actor, requestId: meta.requestId })
  const entry = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('id', '=', res.ledgerId)
    .executeTakeFirstOrThrow()
  return { entry: ledgerView(entry), balance: res.balance }
}
