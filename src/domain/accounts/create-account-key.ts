import { AppError } from '../../lib/errors.ts'
import { actorOf, issueApiKey, type Principal } from '../auth/api-keys.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { formatTimestamp } from '../orders/render.ts'
import type { AccountDeps } from './views.ts'

/** Live keys one customer may hold: enough for every integration, not a store of secrets. */
const LIVE_KEYS_MAX = 25

/**
 * Issues a customer API key (never an admin scope) with `issueApiKey`; the key is returned once.
 * The user's row is locked so concurrent requests cannot pass the cap together.
 */
export async function createAccountKey(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { principal: Principal; name: string; requestId: string },
) {
  return deps.db.transaction().execute(async trx => {
    await trx.selectFrom('users').select('id').where('id', '=', input.principal.userId).forUpdate().execute()
    const live = await trx
      .selectFrom('api_keys')
      .select(eb => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', input.principal.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow()
    if (Number(live.n) >= LIVE_KEYS_MAX) {
      throw new AppError('invalid_state', `at most ${LIVE_KEYS_MAX} API keys can be live; revoke one first`)
    }
    const key = await issueApiKey(trx, { userId: input.principal.userId, name: input.name.trim() })
    await writeAudit(trx, {
      actor: actorOf(input.principal),
      requestId: input.requestId,
      action: 'key.issue',
      targetType: 'api_key',
      targetId: key.id,
      details: { user_id: input.principal.userId, name: input.name.trim(), from: 'account' },
    })
    const row = await trx
      .selectFrom('api_keys')
      .select(['created_at'])
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow()
    return {
      key: { id: key.id, name: input.name.trim(), prefix: key.prefix, created_at: formatTimestamp(row.created_at)! },
      api_key: key.key,
    }
  })
}
