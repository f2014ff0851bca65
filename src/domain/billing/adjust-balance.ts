import type { Db } from '../../db/connect.ts'
import { AppError, notFound, validation } from '../../lib/errors.ts'
import { formatAmount, parseAmount } from '../../lib/money.ts'
import { credit, debit } from './ledger.ts'
import { writeAudit } from '../admin/audit-log.ts'

/**
 * An operator's balance adjustment: a signed amount, always a ledger entry with a reason and the
 * acting key, and an audit record, in one transaction. A debit never takes a balance below zero.
 */
export async function adjustBalance(
  db: Db,
  input: { userId: string; amount: string; reason: string; actor: string; requestId?: string },
) {
  const amount = parseAmount(input.amount)
  if (amount === null || amount === 0n) {
    throw validation('amount must be a non-zero amount with at most 2 decimals, e.g. 10.00 or -5.00', 'amount')
  }
  const reason = input.reason.trim()
  if (reason.length < 3 || reason.length > 500) throw validation('reason must be 3-500 characters', 'reason')
  return db
    .transaction()
    .execute(async trx => {
      const user = await trx.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst()
      if (!user) throw notFound('user', input.userId)
      const movement = { userId: input.userId, kind: 'adjustment' as const, reason, actor: input.actor }
      const res =
        amount > 0n ? await credit(trx, { ...movement, amount }) : await debit(trx, { ...movement, amount: -amount })
      await writeAudit(trx, {
        actor: input.actor,
        requestId: input.requestId,
        action: 'balance.adjust',
        targetType: 'user',
        targetId: input.userId,
        details: { amount: formatAmount(amount), reason },
      })
      return { ledgerId: res.ledgerId, balance: formatAmount(res.balanceAfter) }
    })
    .catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'insufficient_balance') {
        throw new AppError('insufficient_balance', `the adjustment would make the balance negative: ${err.message}`, {
          details: err.details,
        })
      }
      throw err
    })
}
