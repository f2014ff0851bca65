import { AppError } from '../../lib/errors.ts'
import { createSession, tokenDigest, type NewSession } from '../auth/sessions.ts'
import { accountUser, type AccountDeps, type AccountUser, type ClientInfo } from './views.ts'

export const INVALID_TOKEN = 'this link is not valid: it was used already, has expired, or was never issued'

/**
 * Confirms the address from the mailed link and signs in: the token is used by one conditional
 * UPDATE (single use, also under concurrency), the user is marked verified, and a new session is
 * created (never one the client brought).
 */
export async function verifyEmail(
  deps: AccountDeps,
  input: { token: string; client: ClientInfo },
): Promise<{ user: AccountUser; session: NewSession }> {
  const now = deps.clock.now()
  return deps.db.transaction().execute(async trx => {
    const used = await trx
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenDigest(input.token))
      .where('purpose', '=', 'verify_email')
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst()
    if (!used) throw new AppError('invalid_token', INVALID_TOKEN, { details: { field: 'token' } })
    const user = await trx
      .updateTable('users')
      .set({ email_verified: true, updated_at: now })
      .where('id', '=', used.user_id)
      .where('is_active', '=', true)
      .returningAll()
      .executeTakeFirst()
    if (!user) throw new AppError('invalid_token', INVALID_TOKEN, { details: { field: 'token' } })
    const session = await createSession(trx, deps.config.accounts, {
      userId: user.id,
      now,
      ip: input.client.ip,
      userAgent: input.client.userAgent,
    })
    return { user: accountUser(user), session }
  })
}
