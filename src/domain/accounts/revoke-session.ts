import { notFound } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import type { AccountDeps } from './views.ts'

/**
 * Ends one of the caller's sessions (another device, or this one). Another user's session and an
 * unknown id are the same 404; one already ended answers 200 again.
 */
export async function revokeSession(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { principal: Principal; sessionId: string },
): Promise<{ revoked: boolean }> {
  const row = await deps.db
    .selectFrom('sessions')
    .select(['id', 'revoked_at'])
    .where('id', '=', input.sessionId)
    .where('user_id', '=', input.principal.userId)
    .executeTakeFirst()
  if (!row) throw notFound('session', input.sessionId)
  if (row.revoked_at !== null) return { revoked: false }
  const res = await deps.db
    .updateTable('sessions')
    .set({ revoked_at: deps.clock.now() })
    .where('id', '=', row.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return { revoked: Number(res.numUpdatedRows) === 1 }
}
