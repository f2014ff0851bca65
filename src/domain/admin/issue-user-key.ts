import type { Db } from '../../db/connect.ts'
import { issueApiKey } from '../auth/api-keys.ts'
import { notFound, validation } from '../../lib/errors.ts'
import { writeAudit } from './audit-log.ts'
import type { AdminMeta } from './meta.ts'
import { keyView } from './views.ts'

/** The closed list of key scopes: `admin`, or none for a customer key. */
export const KEY_SCOPES = ['admin'] as const
export type KeyScope = (typeof KEY_SCOPES)[number]

/**
 * Issues an API key for a user with the same function as `oxbill keys create`; the plaintext key
 * is returned once and never stored. A key for a deactivated user is allowed but gets 401 until
 * the user is reactivated.
 */
export async function issueUserKey(
  db: Db,
  meta: AdminMeta,
  input: { userId: string; scopes: string[]; name?: string },
) {
  // The route schema already limits scopes; this keeps the rule for every other caller too.
  const unknown = input.scopes.find(s => !(KEY_SCOPES as readonly string[]).includes(s))
  if (unknown !== undefined) throw validation(`unknown scope '${unknown}'; allowed: ${KEY_SCOPES.join(', ')}`, 'scopes')
  const scopes = [...new Set(input.scopes)]
  return db.transaction().execute(async trx => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst()
    if (!user) throw notFound('user', input.userId)
    const issued = await issueApiKey(trx, { userId: input.userId, scopes, name: input.name })
    await writeAudit(trx, {
      actor: meta.actor,
      requestId: meta.requestId,
      action: 'key.create',
      targetType: 'api_key',
      targetId: issued.id,
      details: { user_id: input.userId, scopes, admin: scopes.includes('admin') },
    })
    const row = await trx.selectFrom('api_keys').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow()
    return { key: keyView(row), api_key: issued.key }
  })
}
