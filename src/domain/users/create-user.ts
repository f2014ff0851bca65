import type { Db } from '../../db/connect.ts'
import { newUuid } from '../../lib/ids.ts'
import { credit } from '../billing/ledger.ts'
import { issueApiKey } from '../auth/api-keys.ts'
import { AppError, validation } from '../../lib/errors.ts'
import { parseAmount } from '../../lib/money.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { conflictOnUnique } from '../admin/db-errors.ts'

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/

/** Creates a user with an opening balance (a ledger entry) and a first API key, shown once. */
export async function createUser(
  db: Db,
  input: { email: string; username?: string; balance?: string; actor: string; requestId?: string; admin?: boolean },
) {
  if (!EMAIL.test(input.email)) throw validation(`'${input.email}' is not an email address`, 'email')
  const balance = parseAmount(input.balance ?? '0')
  if (balance === null || balance < 0n) {
    throw validation('balance must be a non-negative amount with at most 2 decimals, e.g. 100.00', 'balance')
  }
  const id = newUuid()
  return db
    .transaction()
    .execute(async trx => {
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', input.email.toLowerCase())
        .executeTakeFirst()
      if (taken) {
        throw new AppError('conflict', `a user with email ${input.email} exists`, { details: { field: 'email' } })
      }
      await trx
        .insertInto('users')
        .values({ id, username: input.username ?? input.email.split('@')[0]!, email: input.email.toLowerCase() })
        .execute()
      if (balance > 0n) {
        await credit(trx, {
          userId: id,
          amount: balance,
          kind: 'opening_balance',
          reason: 'opening balance',
          actor: input.actor,
        })
      }
      const key = await issueApiKey(trx, { userId: id, scopes: input.admin ? ['admin'] : [], name: 'first key' })
      await writeAudit(trx, {
        actor: input.actor,
        requestId: input.requestId,
        action: 'user.create',
        targetType: 'user',
        targetId: id,
        details: { email: input.email, balance: input.balance ?? '0.00' },
      })
      return { userId: id, apiKey: key.key, keyId: key.id }
    })
    .catch(conflictOnUnique('email', `a user with email ${input.email} exists`))
}
