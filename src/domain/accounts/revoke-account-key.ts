import { notFound } from '../../lib/errors.ts'
import { actorOf, revokeApiKey, type Principal } from '../auth/api-keys.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { accountKeyView } from './account-keys.ts'
import type { AccountDeps } from './views.ts'

/**
 * Revokes one of the caller's keys with `revokeApiKey`: its next request is a 401. Another user's
 * key and an unknown id are the same 404; an already revoked key answers 200 unchanged.
 */
export async function revokeAccountKey(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { principal: Principal; keyId: string; requestId: string },
) {
  return deps.db.transaction().execute(async trx => {
    const key = await trx
      .selectFrom('api_keys')
      .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
      .where('id', '=', input.keyId)
      .where('user_id', '=', input.principal.userId)
      .forUpdate()
      .executeTakeFirst()
    if (!key) throw notFound('api_key', input.keyId)
    if (key.revoked_at !== null) return { key: accountKeyView(key), changed: false }
    const now = deps.clock.now()
    await revokeApiKey(trx, key.id, now)
    await writeAudit(trx, {
      actor: actorOf(input.principal),
      requestId: input.requestId,
      action: 'key.revoke',
      targetType: 'api_key',
      targetId: key.id,
      details: { user_id: input.principal.userId, from: 'account' },
    })
    return { key: accountKeyView({ ...key, revoked_at: now }), changed: true }
  })
}
