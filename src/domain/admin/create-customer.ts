import type { Db } from '../../db/connect.ts'
import { createUser } from '../users/create-user.ts'
import { notFound } from '../../lib/errors.ts'
import { conflictOnUnique } from './db-errors.ts'
import type { AdminMeta } from './meta.ts'
import { userView } from './views.ts'

/**
 * Creates a customer through the same use-case as `oxbill users create`: the user, an opening
 * balance ledger entry, a first (customer-scoped) API key and the audit record, in one transaction.
 * The key is returned here once; only its hash is stored.
 */
export async function createCustomer(
  db: Db,
  meta: AdminMeta,
  input: { email: string; username?: string; balance?: string },
) {
  const created = await createUser(db, { ...input, actor: meta.actor, requestId: meta.requestId }).catch(
    conflictOnUnique('email', `a user with email ${input.email} exists`),
  )
  const user = await db.selectFrom('users').selectAll().where('id', '=', created.userId).executeTakeFirst()
  if (!user) throw notFound('user', created.userId)
  const key = await db.selectFrom('api_keys').select('prefix').where('id', '=', created.keyId).executeTakeFirstOrThrow()
  return {
    user: userView(user),
    api_key: { id: created.keyId, key: created.apiKey, prefix: key.prefix, scopes: [] as string[] },
  }
}
