import type { Db } from '../../db/connect.ts'
import { revokeApiKey } from '../auth/api-keys.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { writeAudit } from './audit-log.ts'
import type { AdminMeta } from './meta.ts'
import { keyView } from './views.ts'

/**
 * Revokes a key with the same function as `oxbill keys revoke`; its next request gets 401.
 * Revoking an already revoked key answers `changed: false` and writes nothing.
 */
export async function revokeKey(db: Db, meta: AdminMeta, keyId: string, now: Date) {
  // Revoking the key that makes the request would end the session with no way back but the CLI:
  // rotate by issuing the new key first and revoking the old one with it.
  if (keyId === meta.actor) {
    throw new AppError('invalid_state', 'you cannot revoke the key that makes this request; use another admin key')
  }
  return db.transaction().execute(async trx => {
    const key = await trx.selectFrom('api_keys').selectAll().where('id', '=', keyId).forUpdate().executeTakeFirst()
    if (!key) throw notFound('api_key', keyId)
    if (key.revoked_at !== null) return { key: keyView(key), changed: false }
    await revokeApiKey(trx, keyId, now)
    await writeAudit(trx, {
      actor: meta.actor,
      requestId: meta.requestId,
      action: 'key.revoke',
      targetType: 'api_key',
      targetId: keyId,
      details: { user_id: key.user_id },
    })
    const row = await trx.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirstOrThrow()
    return { key: keyView(row), changed: true }
  })
}
