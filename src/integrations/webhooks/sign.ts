import { createHmac } from 'node:crypto'
import { validation } from '../../lib/errors.ts'
import { secretKey } from './secrets.ts'

/**
 * Standard Webhooks v1 signing (symmetric, HMAC-SHA256). The signature covers the message id, the
 * timestamp of this attempt and the exact body bytes sent, so a receiver can reject a replay (old
 * timestamp) and a body altered in transit; it must verify the raw bytes, not re-serialised JSON.
 */

/** Sent as `user-agent: oxbill-webhooks/<version>` unless the caller names the running release. */
export const WEBHOOKS_USER_AGENT = 'oxbill-webhooks/1'

export interface SignInput {
  /** Same on every retry of one event: the receiver's idempotency key. Must not contain '.'. */
  id: string
  /** Unix seconds of this attempt (changes on every retry; the event's own time is in the body). */
  timestampSeconds: number
  /** The exact bytes that go on the wire. */
  body: string | Uint8Array
}

function checkInput({ id, timestampSeconds }: SignInput): void {
  // A '.' would make `${id}.${ts}.${body}` ambiguous; the spec forbids it.
  if (id.length === 0 || id.includes('.')) throw validation('a webhook id is non-empty and has no "."', 'id')
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw validation('a webhook timestamp is whole Unix seconds', 'timestampSeconds')
  }
}

/** One `v1,<base64>` entry for one secret. */
export function signatureEntry(secret: string, input: SignInput): string {
  checkInput(input)
  const prefix = Buffer.from(`${input.id}.${input.timestampSeconds}.`, 'utf8')
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body
  const mac = createHmac('sha256', secretKey(secret)).update(prefix).update(body).digest('base64')
  return `v1,${mac}`
}

/**
 * The `webhook-signature` value: one entry per secret, space-separated. During a rotation the
 * endpoint holds the old and the new secret and receivers accept either entry, so nobody has to
 * switch secrets at the same instant.
 */
export function signatureHeader(secrets: readonly string[], input: SignInput): string {
  if (secrets.length === 0) throw validation('at least one webhook secret is needed to sign', 'secrets')
  return secrets.map(s => signatureEntry(s, input)).join(' ')
}

export interface HeaderInput extends SignInput {
  secrets: readonly string[]
  userAgent?: string
}

/** Every header of one delivery attempt; the caller adds nothing that must be signed. */
export function webhookHeaders(input: HeaderInput): Record<string, string> {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': signatureHeader(input.secrets, input),
    'content-type': 'application/json',
    'user-agent': input.userAgent ?? WEBHOOKS_USER_AGENT,
  }
}
