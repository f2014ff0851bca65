/** The clock every business rule reads (proration, expiry), so tests can fix "now". */
export interface Clock {
  now(): Date
}
export const systemClock: Clock = { now: () => new Date() }
/**
 * Infrastructure time: job leases, heartbeats and retry backoff, idempotency and invoice-claim
 * leases, cache TTLs, polling order. These compare against the database's `now()` or against
 * other processes, so they stay on wall time even when a test moves the business clock.
 */
export const wallClock: Clock = systemClock
