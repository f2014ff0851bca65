/**
 * One Idempotency-Key per intended order (STYLE-web rule 6), as pure functions so the rule is
 * tested without React. An intent is what the customer confirmed: the order body, fingerprinted.
 * The same fingerprint keeps its key until the server has given a definite answer; a changed body
 * is a new intent with a new key, and so is the next order after an answer.
 */

export interface Intent {
  readonly fingerprint: string
  readonly key: string
}

/** What a failed attempt tells us: an HTTP status and a stable code (`network` when there was no answer). */
export interface AttemptFailure {
  readonly status: number
  readonly code: string
}

/** Stable JSON of a request body: keys sorted at every level, so field order is not a new intent. */
export function fingerprintOf(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = sortKeys(v)
    }
    return out
  }
  return value
}

/** The intent for `fingerprint`: the current one if it is the same order, else a fresh key. */
export function nextIntent(current: Intent | null, fingerprint: string, makeKey: () => string): Intent {
  if (current !== null && current.fingerprint === fingerprint) return current
  return { fingerprint, key: makeKey() }
}

/**
 * Whether a retry must send the same key after this failure. Yes when the first attempt may have
 * done something we never heard about: no answer (network, timeout), a server error, a request
 * still running under the key (409 idempotency_key_in_use), or a rate limit. Any other answer is
 * definite (a 402 is even stored under the key and would be replayed), so the next try after it is
 * a new intent: after topping up, confirming the same order must not replay the old 402.
 */
export function keepsKey(failure: AttemptFailure): boolean {
  if (failure.code === 'network' || failure.status === 0) return true
  if (failure.status >= 500) return true
  if (failure.status === 408 || failure.status === 429) return true
  if (failure.status === 409 && failure.code === 'idempotency_key_in_use') return true
  return false
}

interface CryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T
  randomUUID?: () => string
}

/**
 * A random UUID v4. `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost), so a
 * plain-HTTP LAN install falls back to `getRandomValues`, which exists everywhere.
 */
export function newIdempotencyKey(c: CryptoLike): string {
  if (typeof c.randomUUID === 'function') {
    try {
      return c.randomUUID()
    } catch {
      // Some browsers expose it but throw outside a secure context.
    }
  }
  const b = c.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const hex = Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
