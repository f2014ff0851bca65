import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { divRoundHalfUp, divRoundUp, formatAmount, parseAmount } from '../../src/lib/money.ts'
import {
  addMonths,
  hourlyExtensionPrice,
  quotePlanChange,
  TERM_HOURS,
  TERM_SECONDS,
} from '../../src/domain/billing/pricing.ts'

/** Largest amount parseAmount accepts: 15 integer digits and 2 decimals. */
const MAX_CENTS = 10n ** 17n - 1n

const cents = fc.bigInt({ min: -MAX_CENTS, max: MAX_CENTS })
const price = fc.bigInt({ min: 0n, max: 10_000_000n }) // up to 100,000.00 per term

/** Canonical decimal strings, built digit by digit (not from formatAmount): no leading zeros, two places, no "-0.00". */
const canonical = fc
  .tuple(
    fc.boolean(),
    fc.oneof(
      fc.constant('0'),
      fc
        .tuple(fc.integer({ min: 1, max: 9 }), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 14 }))
        .map(([d, rest]) => `${d}${rest}`),
    ),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 2, maxLength: 2 }),
  )
  .filter(([neg, whole, frac]) => !(neg && whole === '0' && frac === '00'))
  .map(([neg, whole, frac]) => `${neg ? '-' : ''}${whole}.${frac}`)

test('formatAmount(parseAmount(s)) === s for every canonical decimal string', () => {
  fc.assert(
    fc.property(canonical, s => {
      const c = parseAmount(s)
      assert.notEqual(c, null, s)
      assert.equal(formatAmount(c!), s)
    }),
    { numRuns: 2000 },
  )
})

test('parseAmount(formatAmount(c)) === c for any cents in range', () => {
  fc.assert(
    fc.property(cents, c => {
      assert.equal(parseAmount(formatAmount(c)), c)
    }),
    { numRuns: 2000 },
  )
})

test('parseAmount of a number with at most two decimals equals parsing its text', () => {
  fc.assert(
    fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), n => {
      const asNumber = n / 100 // the nearest double to the 2-decimal value; its shortest text is that value
      assert.equal(parseAmount(asNumber), BigInt(n))
    }),
    { numRuns: 2000 },
  )
})

test('malformed amounts are rejected', () => {
  const table: Array<string | number> = ['1.234', '1e3', '', ' ', '--1', '1,00', NaN, Infinity, -Infinity, 0.1 + 0.2]
  for (const input of table) assert.equal(parseAmount(input), null, `parseAmount(${String(input)})`)
  // More than two decimals, in any text, is never silently rounded.
  fc.assert(
    fc.property(cents, fc.integer({ min: 1, max: 9 }), (c, extra) => {
      assert.equal(parseAmount(`${formatAmount(c)}${extra}`), null)
    }),
  )
  // Text that is not a plain decimal (letters, separators, exponents) is refused.
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 12 }), s => {
      const plain = /^\s*-?\d{1,15}(\.\d{1,2})?\s*$/.test(s)
      assert.equal(parseAmount(s) !== null, plain, JSON.stringify(s))
    }),
    { numRuns: 2000 },
  )
})

/** Independent rounding: the nearer of the two integers around n/d, ties to the one farther from zero. */
function roundExact(n: bigint, d: bigint): bigint {
  let lo = n / d // truncated toward zero
  if (lo * d > n) lo -= 1n // floor
  const hi = lo + 1n
  const distLo = n - lo * d // both distances scaled by d, so all exact
  const distHi = hi * d - n
  if (distLo < distHi) return lo
  if (distHi < distLo) return hi
  return n >= 0n ? hi : lo // a tie: away from zero
}

/** Independent ceiling: the least integer ≥ n/d. */
function ceilExact(n: bigint, d: bigint): bigint {
  let lo = n / d // truncated toward zero
  if (lo * d > n) lo -= 1n // floor
  return lo * d === n ? lo : lo + 1n
}

test('divRoundUp is the exact ceiling: never below the value, less than a unit above it', () => {
  const num = fc.oneof(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: -1000n, max: 1000n }))
  const den = fc.bigInt({ min: 1n, max: 10n ** 12n })
  fc.assert(
    fc.property(num, den, (n, d) => {
      const r = divRoundUp(n, d)
      assert.equal(r, ceilExact(n, d), `${n}/${d}`)
      assert.ok(r * d >= n && (r - 1n) * d < n)
    }),
    { numRuns: 5000 },
  )
})

test('divRoundHalfUp equals the exact rational rounded half away from zero', () => {
  const num = fc.oneof(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: -1000n, max: 1000n }))
  const den = fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 20n }))
  fc.assert(
    fc.property(num, den, (n, d) => {
      const r = divRoundHalfUp(n, d)
      assert.equal(r, roundExact(n, d), `${n}/${d}`)
      assert.equal(divRoundHalfUp(-n, d), -r) // symmetric around zero
      const err = n - r * d // never more than half a unit off
      assert.ok(2n * (err < 0n ? -err : err) <= d)
    }),
    { numRuns: 5000 },
  )
  // exact halves always go away from zero
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (k, h) => {
      const d = 2n * h
      const n = k * d + (k >= 0n ? h : -h) // k ± 0.5
      assert.equal(divRoundHalfUp(n, d), k >= 0n ? k + 1n : k - 1n)
    }),
  )
})

const remainingWithinTerm = fc.bigInt({ min: -1000n, max: TERM_SECONDS })
const abs = (x: bigint): bigint => (x < 0n ? -x : x)

test('plan change: |upgrade_difference| ≤ |new − old| within one term, with the sign of the change', () => {
  fc.assert(
    fc.property(price, price, remainingWithinTerm, (oldPrice, newPrice, remainingSeconds) => {
      const q = quotePlanChange({ oldPrice, newPrice, remainingSeconds })
      assert.ok(
        abs(q.upgradeDifference) <= abs(newPrice - oldPrice),
        `${q.upgradeDifference} vs ${newPrice - oldPrice}`,
      )
      if (newPrice >= oldPrice) assert.ok(q.upgradeDifference >= 0n, 'an upgrade never has a negative difference')
      else assert.ok(q.upgradeDifference <= 0n, 'a downgrade never has a positive difference')
      if (remainingSeconds <= 0n) assert.equal(q.upgradeDifference, 0n)
      if (remainingSeconds === TERM_SECONDS) assert.equal(q.upgradeDifference, newPrice - oldPrice)
    }),
    { numRuns: 3000 },
  )
})

test('plan change: amount and credit are never negative, never both positive, and net to new price + difference', () => {
  const anyRemaining = fc.bigInt({ min: -TERM_SECONDS, max: 20n * TERM_SECONDS })
  fc.assert(
    fc.property(
      price,
      price,
      anyRemaining,
      fc.integer({ min: 1, max: 12 }),
      (oldPrice, newPrice, remainingSeconds, terms) => {
        const q = quotePlanChange({ oldPrice, newPrice, remainingSeconds, terms })
        assert.ok(q.amount >= 0n, 'amount never negative')
        assert.ok(q.credit >= 0n, 'credit never negative')
        assert.ok(q.amount === 0n || q.credit === 0n, 'one of amount and credit is zero')
        // What is debited minus what is credited is the new terms plus the re-valued remaining time.
        assert.equal(q.amount - q.credit - newPrice * BigInt(terms), q.upgradeDifference)
        if (q.credit === 0n) assert.equal(q.amount - newPrice * BigInt(terms), q.upgradeDifference)
        // The difference is the remaining time re-valued, rounded up once.
        const r = remainingSeconds > 0n ? remainingSeconds : 0n
        assert.equal(q.upgradeDifference, ceilExact((newPrice - oldPrice) * r, TERM_SECONDS))
      },
    ),
    { numRuns: 3000 },
  )
})

test('plan change within one term: an upgrade costs at least the new price, a downgrade never credits more than the old price', () => {
  fc.assert(
    fc.property(price, price, remainingWithinTerm, (oldPrice, newPrice, remainingSeconds) => {
      const q = quotePlanChange({ oldPrice, newPrice, remainingSeconds })
      if (newPrice >= oldPrice) {
        assert.equal(q.credit, 0n)
        assert.ok(q.amount >= newPrice && q.amount <= 2n * newPrice - oldPrice)
      } else {
        assert.ok(q.credit <= oldPrice, `credit ${q.credit} > old price ${oldPrice}`)
        assert.ok(q.amount <= newPrice)
      }
    }),
    { numRuns: 3000 },
  )
})

test('hourly extension: monotonic in hours, the full price at 720 h, a multiple at whole terms', () => {
  const hours = fc.integer({ min: 1, max: 8760 })
  fc.assert(
    fc.property(price, hours, hours, (p, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      assert.ok(hourlyExtensionPrice(p, lo) <= hourlyExtensionPrice(p, hi), `${p}: ${lo} h vs ${hi} h`)
    }),
    { numRuns: 3000 },
  )
  fc.assert(
    fc.property(price, fc.integer({ min: 1, max: 12 }), (p, k) => {
      assert.equal(hourlyExtensionPrice(p, TERM_HOURS), p)
      assert.equal(hourlyExtensionPrice(p, k * TERM_HOURS), p * BigInt(k))
    }),
  )
  fc.assert(
    fc.property(price, hours, (p, h) => {
      const c = hourlyExtensionPrice(p, h)
      const exact = ceilExact(p * BigInt(h), BigInt(TERM_HOURS))
      assert.equal(c, p > 0n && exact === 0n ? 1n : exact)
      if (p > 0n) assert.ok(c >= 1n, 'a paid plan never extends for free')
      if (h <= TERM_HOURS) assert.ok(c <= p, 'less than a term never costs more than a term')
    }),
    { numRuns: 3000 },
  )
})

const DAY_MS = 86_400_000
const timeOfDay = (d: Date): number => ((d.getTime() % DAY_MS) + DAY_MS) % DAY_MS
const daysIn = (year: number, month0: number): number => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate()

test('addMonths clamps the day and never overflows into the next month', () => {
  const date = fc.date({
    min: new Date('1971-01-01T00:00:00Z'),
    max: new Date('2200-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  fc.assert(
    fc.property(date, fc.integer({ min: -36, max: 120 }), (d, months) => {
      const before = d.getTime()
      const out = addMonths(d, months)
      assert.equal(d.getTime(), before, 'the input is not mutated')
      const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months
      const year = Math.floor(index / 12)
      const month0 = index - year * 12
      assert.equal(out.getUTCFullYear(), year)
      assert.equal(out.getUTCMonth(), month0, `${d.toISOString()} + ${months}`)
      assert.equal(out.getUTCDate(), Math.min(d.getUTCDate(), daysIn(year, month0)))
      assert.equal(timeOfDay(out), timeOfDay(d), 'time of day kept')
    }),
    { numRuns: 3000 },
  )
  // Every month end, + 1 month, stays in the next month
  for (let y = 2023; y <= 2028; y++) {
    for (let m = 0; m < 12; m++) {
      const end = new Date(Date.UTC(y, m, daysIn(y, m)))
      const next = addMonths(end, 1)
      assert.equal(next.getUTCMonth(), (m + 1) % 12)
      assert.equal(next.getUTCDate(), Math.min(end.getUTCDate(), daysIn(m === 11 ? y + 1 : y, (m + 1) % 12)))
    }
  }
  assert.equal(addMonths(new Date('2024-01-31T00:00:00Z'), 1).toISOString(), '2024-02-29T00:00:00.000Z')
  assert.equal(addMonths(new Date('2023-01-31T00:00:00Z'), 1).toISOString(), '2023-02-28T00:00:00.000Z')
})
