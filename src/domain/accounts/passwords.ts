import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as en from '@zxcvbn-ts/language-en'
import { AppError } from '../../lib/errors.ts'

/**
 * Passwords: scrypt (Node's built-in) with N = 2^15, r = 8, p = 1, a 16-byte random salt and a
 * 32-byte key — about 32 MiB and 50–100 ms per hash, OWASP's scrypt floor. Stored self-describing,
 * `scrypt$15$8$1$<salt base64url>$<key base64url>`, so the parameters can be raised later and old
 * hashes still verify. The comparison is constant-time.
 */
const LOG_N = 15
const R = 8
const P = 1
const KEY_LEN = 32
const SALT_LEN = 16
/** scrypt needs 128·N·r bytes (32 MiB here); Node's default maxmem is exactly that, so it is raised. */
const maxmemFor = (n: number, r: number): number => 128 * n * r * 2

export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 256

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, len: number): Promise<Buffer> {
  const N = 2 ** logN
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, len, { N, r, p, maxmem: maxmemFor(N, r) }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN)
  const key = await derive(password, salt, LOG_N, R, P, KEY_LEN)
  return `scrypt$${LOG_N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** True when `password` matches `stored`; false for a malformed or foreign hash (never throws on it). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  // Bounds, so a tampered row cannot make one login allocate gigabytes.
  if (![logN, r, p].every(Number.isInteger) || logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 4) {
    return false
  }
  const salt = Buffer.from(parts[4]!, 'base64url')
  const expected = Buffer.from(parts[5]!, 'base64url')
  if (expected.length < 16 || expected.length > 64) return false
  const key = await derive(password, salt, logN, r, p, expected.length)
  return timingSafeEqual(key, expected)
}

let dummy: Promise<string> | undefined
/**
 * Spends the time of one real verification for an e-mail with no account (or no password), so the
 * answer's timing does not tell which addresses exist.
 */
export async function dummyVerify(password: string): Promise<false> {
  dummy ??= hashPassword('oxbill dummy password for unknown accounts')
  await verifyPassword(password, await dummy)
  return false
}

let zxcvbn: ZxcvbnFactory | undefined
function estimator(): ZxcvbnFactory {
  // Built on first use: the dictionaries take a few hundred milliseconds to rank.
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  })
  return zxcvbn
}

const weak = (reason: string): AppError => new AppError('weak_password', reason, { details: { field: 'password' } })

/**
 * The password policy, checked before anything is written: 10 to 256 characters; not the
 * e-mail's local part inside; not a password zxcvbn-ts finds in its common-password list (the
 * offline list of the most common breached passwords: oxbill asks no online breach service), and
 * a zxcvbn score of at least 3 ("safely unguessable"). Throws 400 `weak_password` naming the reason.
 */
export function checkPasswordPolicy(password: string, email: string, field = 'password'): void {
  const fail = (reason: string): never => {
    const err = weak(reason)
    err.details.field = field
    throw err
  }
  const length = [...password].length
  if (length < PASSWORD_MIN) fail(`the password is too short: use at least ${PASSWORD_MIN} characters`)
  if (length > PASSWORD_MAX) fail(`the password is too long: use at most ${PASSWORD_MAX} characters`)
  const local = email.split('@')[0]!.toLowerCase()
  if (local.length >= 3 && password.toLowerCase().includes(local)) {
    fail('the password contains your e-mail address; choose one that does not')
  }
  const result = estimator().check(password, [local, email.toLowerCase()])
  const whole = result.sequence.length === 1 ? result.sequence[0] : undefined
  if (
    whole &&
    whole.pattern === 'dictionary' &&
    (whole as { dictionaryName?: string }).dictionaryName === 'passwords-common'
  ) {
    fail('this is a commonly used password, found in lists of breached passwords; choose another one')
  }
  if (result.score < 3) {
    const why = result.feedback.warning ?? 'it would be guessed quickly'
    const hint = result.feedback.suggestions[0]
    fail(
      `the password is too easy to guess (${why.replace(/\.$/, '')})${hint ? `: ${hint.replace(/\.$/, '').toLowerCase()}` : ''}`,
    )
  }
}
