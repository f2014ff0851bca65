import { randomBytes } from 'node:crypto'
import { validation } from '../../lib/errors.ts'

/**
 * Endpoint secrets in the Standard Webhooks convention: the customer sees `whsec_` followed by
 * base64 of random bytes, and the HMAC key is those decoded bytes, not the string. (Stripe keys
 * its HMAC with the whole `whsec_…` string; mixing the two conventions breaks every receiver
 * that uses a Standard Webhooks library.)
 */
export const SECRET_PREFIX = 'whsec_'

/** 32 bytes: inside the spec's 24–64 byte range, and the size of the HMAC-SHA256 block's output. */
export const SECRET_BYTES = 32

const MIN_KEY_BYTES = 24
const MAX_KEY_BYTES = 64
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** A fresh endpoint secret. `random` is injectable only so tests can make it deterministic. */
export function newEndpointSecret(random: (size: number) => Buffer = randomBytes): string {
  return SECRET_PREFIX + random(SECRET_BYTES).toString('base64')
}

/**
 * The HMAC key of a secret. Refuses a string without the prefix, with non-base64 text, or with a
 * key outside 24–64 bytes, so a truncated or mistyped secret fails loudly instead of signing
 * with a key no receiver holds.
 */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw validation(`a webhook secret starts with '${SECRET_PREFIX}'`, 'secret')
  const encoded = secret.slice(SECRET_PREFIX.length)
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw validation('a webhook secret is base64 after its prefix', 'secret')
  }
  const key = Buffer.from(encoded, 'base64')
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw validation(`a webhook secret holds ${MIN_KEY_BYTES}–${MAX_KEY_BYTES} bytes`, 'secret')
  }
  return key
}

/** Whether `secret` is a well-formed endpoint secret (what `secretKey` would accept). */
export function isEndpointSecret(secret: string): boolean {
  try {
    secretKey(secret)
    return true
  } catch {
    return false
  }
}
