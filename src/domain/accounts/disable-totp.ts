import { AppError } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { chargeLoginAttempt, refundLoginAttempt, throttleBuckets } from './login-throttle.ts'
import { verifyPassword } from './passwords.ts'
import { acceptSecondFactor } from './totp.ts'
import { WRONG_CODE } from './enable-totp.ts'
import { ownUser, type AccountDeps } from './views.ts'

/**
 * Turns 2FA off: needs the password and a current code (TOTP or an unused recovery code), both
 * charged to the login throttle. The secret and the recovery codes are deleted.
 */
export async function disableTotp(
  deps: AccountDeps,
  input: { principal: Principal; password: string; code: string; clientAddress: string },
): Promise<void> {
  const now = deps.clock.now()
  const user = await ownUser(deps.db, input.principal.userId)
  if (user.totp_secret_sealed === null) throw new AppError('invalid_state', 'two-factor authentication is off')
  const buckets = throttleBuckets(user.email, input.clientAddress)
  await chargeLoginAttempt(deps.db, buckets, now)
  if (user.password_hash === null || !(await verifyPassword(input.password, user.password_hash))) {
    throw new AppError('invalid_credentials', 'the password is wrong', { details: { field: 'password' } })
  }
  if (!(await acceptSecondFactor(deps.db, user.id, deps.secretBox.open(user.totp_secret_sealed), input.code, now))) {
    throw new AppError('invalid_totp', WRONG_CODE, { details: { field: 'code' } })
  }
  await refundLoginAttempt(deps.db, buckets)
  await deps.db.transaction().execute(async trx => {
    await trx
      .updateTable('users')
      .set({ totp_secret_sealed: null, totp_pending_sealed: null, totp_enabled_at: null, updated_at: now })
      .where('id', '=', user.id)
      .execute()
    await trx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute()
  })
}
