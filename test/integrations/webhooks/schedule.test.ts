import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  baseDelaySeconds,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_SECONDS,
  nextAttemptAt,
  RETRY_DELAYS_SECONDS,
} from '../../../src/integrations/webhooks/index.ts'

const now = new Date('2026-01-02T03:04:05.000Z')
const delayOf = (at: Date | null): number => {
  assert.ok(at)
  return (at.getTime() - now.getTime()) / 1000
}

describe('webhook retry schedule', () => {
  it('base delays grow monotonically from 5 s to 24 h', () => {
    assert.equal(RETRY_DELAYS_SECONDS[0], 5)
    assert.equal(RETRY_DELAYS_SECONDS.at(-1), 24 * 3600)
    for (let i = 1; i < RETRY_DELAYS_SECONDS.length; i++) {
      assert.ok((RETRY_DELAYS_SECONDS[i] ?? 0) > (RETRY_DELAYS_SECONDS[i - 1] ?? 0), `delay ${i}`)
    }
    assert.equal(MAX_ATTEMPTS, 10)
  })

  it('spans about three days in all', () => {
    const total = RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0)
    assert.equal(total, 75 * 3600 + 35 * 60 + 5)
    assert.ok(total > 3 * 86400 && total < 3.5 * 86400)
  })

  it('jitter stays within ±20 % of the base delay', () => {
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const base = baseDelaySeconds(attempt) ?? 0
      const low = delayOf(nextAttemptAt(attempt, now, () => 0))
      const mid = delayOf(nextAttemptAt(attempt, now, () => 0.5))
      const high = delayOf(nextAttemptAt(attempt, now, () => 0.999999))
      assert.ok(Math.abs(low - base * 0.8) < 0.001, `attempt ${attempt} low`)
      assert.ok(Math.abs(mid - base) < 0.001, `attempt ${attempt} mid`)
      assert.ok(high <= base * 1.2 && high > base * 1.19, `attempt ${attempt} high`)
    }
    for (let i = 0; i < 200; i++) {
      const d = delayOf(nextAttemptAt(3, now, Math.random))
      assert.ok(d >= 1800 * 0.8 && d <= 1800 * 1.2)
    }
  })

  it('returns null once the attempts are exhausted, and refuses a nonsense attempt number', () => {
    assert.notEqual(
      nextAttemptAt(MAX_ATTEMPTS - 1, now, () => 0.5),
      null,
    )
    assert.equal(
      nextAttemptAt(MAX_ATTEMPTS, now, () => 0.5),
      null,
    )
    assert.equal(
      nextAttemptAt(MAX_ATTEMPTS + 5, now, () => 0.5, 60),
      null,
    )
    assert.throws(() => nextAttemptAt(0, now, () => 0.5), RangeError)
    assert.throws(() => nextAttemptAt(1.5, now, () => 0.5), RangeError)
  })

  it('honours Retry-After when it asks for later, bounded to 24 h, never sooner than the schedule', () => {
    assert.equal(delayOf(nextAttemptAt(1, now, () => 0.5, 600)), 600)
    assert.equal(delayOf(nextAttemptAt(1, now, () => 0.5, 30 * 86400)), MAX_RETRY_AFTER_SECONDS)
    assert.equal(delayOf(nextAttemptAt(4, now, () => 0.5, 10)), 2 * 3600)
    assert.equal(delayOf(nextAttemptAt(4, now, () => 0.5, 0)), 2 * 3600)
  })
})
