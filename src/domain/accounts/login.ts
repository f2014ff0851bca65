import { AppError } from '../../lib/errors.ts'
import { createSession, revokeSessionByToken, type NewSession } from '../auth/sessions.ts'
import { chargeLoginAttempt, refundLoginAttempt, throttleBuckets } from './login-throttle.ts'
import { dummyVerify, verifyPassword } from './passwords.ts'
import { acceptTotp, useRecoveryCode } from './totp.ts'
import { accountUser, normalizeEmail, type AccountDeps, type AccountUser, type ClientInfo } from './views.ts'

export const WRONG_CREDENTIALS = 'wrong e-mail or password'

/**
 * Password login, with a TOTP or recovery code when the account has 2FA. Unknown e-mail, no
 * password, deactivated account and wrong password are one 401 `invalid_credentials` with the
 * same body, after the same scrypt work (a dummy hash for unknown e-mails). Every attempt is
 * charged to the throttle first (per e-mail, known or not, and per client address; 429 with the
 * seconds to wait); a login that gets past the password gives its charge back. A new session is
 * always created, and a session cookie the client brought is revoked (session fixation).
 */
export async function login(
  deps: AccountDeps,
  input: {
    email: string
    password: string
    totpCode?: string
    recoveryCode?: string
    client: ClientInfo
    presentedToken?: string
  },
): Promise<{ user: AccountUser; session: NewSession }> {
  const now = deps.clock.now()
  const email = normalizeEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 320)
  const buckets = throttleBuckets(email, input.client.address)
  await chargeLoginAttempt(deps.db, buckets, now)
  const user = await deps.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
  const ok =
    user && user.is_active && user.password_hash !== null
      ? await verifyPassword(input.password, user.password_hash)
      : await dummyVerify(input.password)
  if (!ok || !user) throw new AppError('invalid_credentials', WRONG_CREDENTIALS)
  if (user.totp_secret_sealed !== null) {
    const code = input.totpCode?.trim()
    const recovery = input.recoveryCode?.trim()
    if (!code && !recovery) {
      await refundLoginAttempt(deps.db, buckets)
      throw new AppError('totp_required', 'this account has two-factor authentication: send totp_code or recovery_code')
    }
    const passed = code
      ? await acceptTotp(deps.db, user.id, deps.secretBox.open(user.totp_secret_sealed), code, now)
      : await useRecoveryCode(deps.db, user.id, recovery!, now)
    if (!passed) {
      throw new AppError('invalid_totp', 'the code is wrong or was used already', {
        details: { field: code ? 'totp_code' : 'recovery_code' },
      })
    }
  }
  await refundLoginAttempt(deps.db, buckets)
  if (input.presentedToken !== undefined) await revokeSessionByToken(deps.db, input.presentedToken, now)
  const session = await createSession(deps.db, deps.config.accounts, {
    userId: user.id,
    now,
    ip: input.client.ip,
    userAgent: input.client.userAgent,
  })
  return { user: accountUser(user), session }
}
