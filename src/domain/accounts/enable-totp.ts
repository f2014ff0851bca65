import { AppError } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { claimStep, matchingStep, replaceRecoveryCodes } from './totp.ts'
import { ownUser, type AccountDeps } from './views.ts'

export const WRONG_CODE = 'the code is wrong or was used already'

/**
 * Turns 2FA on with a code from the pending secret: the pending secret becomes the secret (only
 * if it is still the one the code was checked against: a setup in between wins), the code's step
 * is recorded, and 10 recovery codes are made and returned — the only time they are shown.
 */
export async function enableTotp(deps: AccountDeps, input: { principal: Principal; code: string }) {
  const now = deps.clock.now()
  const user = await ownUser(deps.db, input.principal.userId)
  if (user.totp_secret_sealed !== null) throw new AppError('invalid_state', 'two-factor authentication is on already')
  if (user.totp_pending_sealed === null) {
    throw new AppError('invalid_state', 'start with POST /API/account/2fa/setup')
  }
  const step = matchingStep(deps.secretBox.open(user.totp_pending_sealed), input.code, now)
  if (step === null) throw new AppError('invalid_totp', WRONG_CODE, { details: { field: 'code' } })
  return deps.db.transaction().execute(async trx => {
    if (!(await claimStep(trx, user.id, step))) {
      throw new AppError('invalid_totp', WRONG_CODE, { details: { field: 'code' } })
    }
    const res = await trx
      .updateTable('users')
      .set({
        totp_secret_sealed: user.totp_pending_sealed,
        totp_pending_sealed: null,
        totp_enabled_at: now,
        updated_at: now,
      })
      .where('id', '=', user.id)
      .where('totp_pending_sealed', '=', user.totp_pending_sealed)
      .where('totp_secret_sealed', 'is', null)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) {
      throw new AppError('invalid_state', 'the setup changed meanwhile; start again with POST /API/account/2fa/setup')
    }
    return { recovery_codes: await replaceRecoveryCodes(trx, user.id, now) }
  })
}
