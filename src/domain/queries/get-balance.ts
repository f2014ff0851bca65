import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { formatAmount } from '../../lib/money.ts'
import { requireUser } from '../access/authorize.ts'

/** The balance of the caller (or of the user an admin key names), as a decimal string in EUR. */
export async function getBalance(db: Db, input: { principal: Principal; userId?: string }) {
  const user = await requireUser(db, input.principal, input.userId, 'read')
  return { balance: formatAmount(user.balance_cents), currency: 'EUR' as const }
}
