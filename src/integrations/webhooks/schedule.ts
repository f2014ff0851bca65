/**
 * When to try a failed delivery again. The delays are the Standard Webhooks example schedule:
 * quick retries for a blip, then hours apart for an outage, about three days in all (like
 * Stripe's live mode), long enough for a customer to fix a broken receiver over a weekend.
 * Jitter spreads the retries of many messages that failed together (one endpoint's outage), so
 * they do not all come back in the same second.
 */

/** Delay before attempt n+1, in seconds, indexed by n-1 (n = attempts already made). */
export const RETRY_DELAYS_SECONDS: readonly number[] = [
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  14 * 3600,
  20 * 3600,
  24 * 3600,
]

/** The first attempt plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1

/** ±20 %: enough to spread a burst, small enough that the schedule stays the one documented. */
export const JITTER = 0.2

/** A receiver's `Retry-After` is honoured up to this; beyond it, the schedule's own delay wins. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 3600

/** The un-jittered delay after `attempt` attempts, or undefined when none is left. */
export function baseDelaySeconds(attempt: number): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number ≥ 1, got ${attempt}`)
  }
  return RETRY_DELAYS_SECONDS[attempt - 1]
}

/**
 * When attempt `attempt + 1` is due, after `attempt` attempts (1 = the first one failed), or null
 * when the schedule is exhausted. `random` returns [0, 1) (Math.random in production, fixed in
 * tests). A `retryAfterSeconds` from the receiver pushes the retry later, never earlier, and
 * counts for at most a day so a hostile header cannot park the message for ever.
 */
export function nextAttemptAt(
  attempt: number,
  now: Date,
  random: () => number,
  retryAfterSeconds?: number,
): Date | null {
  const base = baseDelaySeconds(attempt)
  if (base === undefined) return null
  const r = Math.min(Math.max(random(), 0), 1)
  let delay = base * (1 - JITTER + 2 * JITTER * r)
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) {
    delay = Math.max(delay, Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS))
  }
  return new Date(now.getTime() + Math.round(delay * 1000))
}
