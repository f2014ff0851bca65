import { useRef } from 'react'
import type { ApiError } from '../../api/client.ts'
import { fingerprintOf, keepsKey, newIdempotencyKey, nextIntent, type Intent } from './intent.ts'

/**
 * The Idempotency-Key of the order on a confirm step (STYLE-web rule 6). Kept in a ref, the
 * step's own state, read and written synchronously: a second click that lands before React
 * re-renders still finds the key the first click made.
 */
export function useOrderIntent() {
  const intent = useRef<Intent | null>(null)
  return {
    /** The key for this body: the same while it is the same intended order, a new one otherwise. */
    keyFor(body: unknown): string {
      intent.current = nextIntent(intent.current, fingerprintOf(body), () => newIdempotencyKey(globalThis.crypto))
      return intent.current.key
    },
    /** After an answer: success or a definite refusal ends the intent; a lost or unclear attempt keeps it. */
    settle(error: ApiError | null): void {
      if (error === null || !keepsKey(error)) intent.current = null
    },
  }
}
