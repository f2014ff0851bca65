import { AppError } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { WRONG_CODE } from './enable-totp.ts'
import { chargeLoginAttempt, refundLoginAttempt, throttleBuckets } from './login-throttle.ts'
import { acceptSecondFactor, replaceRecoveryCodes } from './totp.ts'
import { ownUser, type AccountDeps } from './views.ts'

/**
 * New recovery codes for a current code (TOTP or recovery; charged to the login throttle, so a
 * stolen session cannot guess codes); the old ones stop working.
 */
export async function regenerateRecoveryCodes(
  deps: AccountDeps,
  input: { principal: Principal; code: string; clientAddress: string },
) {
  const now = deps.clock.now()
  const user = await ownUser(deps.db, input.principal.userId)
  if (user.totp_secret_sealed === null) throw new AppError('invalid_state', 'two-factor authentication is off')
  const buckets = throttleBuckets(user.email, input.clientAddress)
  await chargeLoginAttempt(deps.db, buckets, now)
  if (!(await acceptSecondFactor(deps.db, user.id, deps.secretBox.open(user.totp_secret_sealed), input.code, now))) {
    throw new AppError('invalid_totp', WRONG_CODE, { details: { field: 'code' } })
  }
  await refundLoginAttempt(deps.db, buckets)
  return deps.db.transaction().execute(async trx => ({ recovery_codes: await replaceRecoveryCodes(trx, user.id, now) }))
}
