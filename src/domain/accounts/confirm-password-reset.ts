import { AppError } from '../../lib/errors.ts'
import { revokeUserSessions, tokenDigest } from '../auth/sessions.ts'
import { checkPasswordPolicy, hashPassword } from './passwords.ts'
import { INVALID_TOKEN } from './verify-email.ts'
import type { AccountDeps } from './views.ts'

const invalid = () => new AppError('invalid_token', INVALID_TOKEN, { details: { field: 'token' } })

/**
 * Sets a new password from a mailed reset link. The token is looked up, the password checked and
 * hashed, then — in one transaction — the token is used by a conditional UPDATE (a second,
 * concurrent use finds it used and changes nothing), the password replaced, the address counted
 * as verified (the link reached it), every other open reset link of the account voided, and every
 * session of the user revoked.
 */
export async function confirmPasswordReset(
  deps: AccountDeps,
  input: { token: string; password: string },
): Promise<void> {
  const now = deps.clock.now()
  const digest = tokenDigest(input.token)
  const found = await deps.db
    .selectFrom('account_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.user_id', 'u.email'])
    .where('t.token_hash', '=', digest)
    .where('t.purpose', '=', 'password_reset')
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', now)
    .where('u.is_active', '=', true)
    .executeTakeFirst()
  if (!found) throw invalid()
  checkPasswordPolicy(input.password, found.email)
  const hash = await hashPassword(input.password)
  await deps.db.transaction().execute(async trx => {
    const used = await trx
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', digest)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst()
    if (!used) throw invalid()
    await trx
      .updateTable('users')
      .set({ password_hash: hash, email_verified: true, updated_at: now })
      .where('id', '=', used.user_id)
      .execute()
    await trx
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('user_id', '=', used.user_id)
      .where('purpose', '=', 'password_reset')
      .where('used_at', 'is', null)
      .execute()
    await revokeUserSessions(trx, used.user_id, now)
  })
}
