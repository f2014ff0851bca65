import { createHash, randomInt } from 'node:crypto'
import * as OTPAuth from 'otpauth'
import type { Db } from '../../db/connect.ts'
import { newId } from '../../lib/ids.ts'

/**
 * Two-factor authentication: TOTP (RFC 6238) with SHA-1, 6 digits, 30-second steps, and one step
 * either side accepted for clock drift. A code is accepted once: the step it belongs to is
 * recorded (`users.totp_last_step`) by a conditional UPDATE, so a replay — even a concurrent one
 * — of a code, or of an older one, is refused. Recovery codes: 10, shown once, stored as SHA-256
 * (50 random bits each; their number of tries is bounded by the login throttle), each used once.
 */
const PERIOD = 30
const DIGITS = 6
export const RECOVERY_CODES = 10

export const newTotpSecret = (): string => new OTPAuth.Secret({ size: 20 }).base32

export function totpFor(secretBase32: string, issuer: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  })
}

/** The step a code belongs to (now ±1), or null when it is not a valid code of this secret. */
export function matchingStep(secretBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return null
  const delta = OTPAuth.TOTP.validate({
    token,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    timestamp: now.getTime(),
    window: 1,
  })
  if (delta === null) return null
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta
}

/** Records `step` as used; false when it (or a later one) was used already. */
export async function claimStep(db: Db, userId: string, step: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ totp_last_step: BigInt(step) })
    .where('id', '=', userId)
    .where(eb => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', BigInt(step))]))
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** A valid, unused TOTP code of `secret`: checks and claims its step. */
export async function acceptTotp(db: Db, userId: string, secret: string, code: string, now: Date): Promise<boolean> {
  const step = matchingStep(secret, code, now)
  return step !== null && claimStep(db, userId, step)
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const normalizeCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '')
const codeDigest = (code: string): string => createHash('sha256').update(normalizeCode(code), 'utf8').digest('hex')

function recoveryCode(): string {
  let s = ''
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)]
  return `${s.slice(0, 5)}-${s.slice(5)}`
}

/** Replaces a user's recovery codes with 10 new ones (in the caller's transaction); returns them, once. */
export async function replaceRecoveryCodes(trx: Db, userId: string, now: Date): Promise<string[]> {
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  const codes = new Set<string>()
  while (codes.size < RECOVERY_CODES) codes.add(recoveryCode())
  await trx
    .insertInto('recovery_codes')
    .values(
      [...codes].map(c => ({ id: newId('recoveryCode'), user_id: userId, code_hash: codeDigest(c), created_at: now })),
    )
    .execute()
  return [...codes]
}

/** Uses a recovery code: true exactly once per code, also when the same code is sent concurrently. */
export async function useRecoveryCode(db: Db, userId: string, code: string, now: Date): Promise<boolean> {
  if (normalizeCode(code).length !== 10) return false
  const res = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeDigest(code))
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** A TOTP code or, failing that, a recovery code. */
export async function acceptSecondFactor(
  db: Db,
  userId: string,
  secret: string,
  code: string,
  now: Date,
): Promise<boolean> {
  if (/^\s*\d{6}\s*$/.test(code)) return acceptTotp(db, userId, secret, code, now)
  return useRecoveryCode(db, userId, code, now)
}
