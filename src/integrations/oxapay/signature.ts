import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * OxaPay signs each callback with header `HMAC` = lowercase hex HMAC-SHA512 of the raw body bytes,
 * keyed with the merchant API key (the payout API key for `type: "payout"` callbacks).
 */
const HEX_SHA512 = /^[a-f0-9]{128}$/i

/** Lowercase hex HMAC-SHA512 of the exact bytes given. */
export function signBody(rawBody: Buffer | string, key: string): string {
  return createHmac('sha512', key).update(rawBody).digest('hex')
}

/**
 * True only if `header` is a 128-hex-char HMAC-SHA512 of `rawBody` under `key`. Never throws:
 * a missing or malformed header is simply invalid. Must run on the raw bytes, before JSON.parse,
 * because re-serialising a parsed body changes the bytes.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, key: string): boolean {
  if (typeof header !== 'string') return false
  if (!HEX_SHA512.test(header)) return false
  const expected = createHmac('sha512', key).update(rawBody).digest()
  const actual = Buffer.from(header.toLowerCase(), 'hex')
  // Both are 64 bytes after the regex check; the length test keeps timingSafeEqual from throwing.
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

// A callback route needs verify → parse → normalise; re-exported so one import covers it.
export { parseCallback } from './callback.ts'
export { normalizeStatus } from './map.ts'
