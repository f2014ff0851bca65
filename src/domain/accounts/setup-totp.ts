import QRCode from 'qrcode'
import { AppError } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { newTotpSecret, totpFor } from './totp.ts'
import { ownUser, type AccountDeps } from './views.ts'

/**
 * Starts 2FA setup: a new secret, kept sealed as the pending one (replacing an earlier pending
 * one) until a code from it is confirmed (`enableTotp`). The answer carries the secret, the
 * otpauth:// URI and that URI as an SVG QR code, rendered here (the secret goes to no QR service).
 */
export async function setupTotp(deps: AccountDeps, input: { principal: Principal }) {
  const user = await ownUser(deps.db, input.principal.userId)
  if (user.totp_secret_sealed !== null) {
    throw new AppError(
      'invalid_state',
      'two-factor authentication is on already; disable it first to set up another device',
    )
  }
  const secret = newTotpSecret()
  await deps.db
    .updateTable('users')
    .set({ totp_pending_sealed: deps.secretBox.seal(secret), updated_at: deps.clock.now() })
    .where('id', '=', user.id)
    .where('totp_secret_sealed', 'is', null)
    .execute()
  const uri = totpFor(secret, deps.config.mail.fromName, user.email).toString()
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { secret, otpauth_uri: uri, qr_svg: svg }
}
