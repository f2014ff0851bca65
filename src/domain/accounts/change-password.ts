import { AppError } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { revokeUserSessions } from '../auth/sessions.ts'
import { chargeLoginAttempt, refundLoginAttempt, throttleBuckets } from './login-throttle.ts'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts'
import { ownUser, type AccountDeps } from './views.ts'

/**
 * Changes the password after checking the current one (charged to the login throttle like a
 * login, so a stolen session cannot be used to guess it), then revokes every other session of
 * the user; the session making the request stays.
 */
export async function changePassword(
  deps: AccountDeps,
  input: { principal: Principal; currentPassword: string; newPassword: string; clientAddress: string },
): Promise<{ revoked: number }> {
  const now = deps.clock.now()
  const user = await ownUser(deps.db, input.principal.userId)
  checkPasswordPolicy(input.newPassword, user.email, 'new_password')
  const buckets = throttleBuckets(user.email, input.clientAddress)
  await chargeLoginAttempt(deps.db, buckets, now)
  const ok = user.password_hash !== null && (await verifyPassword(input.currentPassword, user.password_hash))
  if (!ok) {
    throw new AppError('invalid_credentials', 'the current password is wrong', {
      details: { field: 'current_password' },
    })
  }
  await refundLoginAttempt(deps.db, buckets)
  const hash = await hashPassword(input.newPassword)
  return deps.db.transaction().execute(async trx => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', user.id).execute()
    return { revoked: await revokeUserSessions(trx, user.id, now, input.principal.sessionId) }
  })
}
