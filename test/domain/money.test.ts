import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  amountAsNumber,
  divRoundHalfUp,
  divRoundUp,
  formatAmount,
  maxCents,
  minCents,
  parseAmount,
} from '../../src/lib/money.ts'
import {
  addMonths,
  hourlyExtensionPrice,
  pleskPrice,
  quotePlanChange,
  secondsUntil,
  TERM_SECONDS,
} from '../../src/domain/billing/pricing.ts'

test('parseAmount accepts the documented decimal forms', () => {
  const cases: Array<[string | number, bigint]> = [
    ['12.99', 1299n],
    ['12.9', 1290n],
    ['12', 1200n],
    ['0', 0n],
    ['0.05', 5n],
    ['-5.00', -500n],
    ['-0.05', -5n],
    ['3396.52', 339652n],
    ['999999999999999.99', 99999999999999999n],
    [3.99, 399n],
    [12, 1200n],
    [0, 0n],
    [-0, 0n],
    [0.5, 50n],
    [-7.25, -725n],
  ]
  for (const [input, cents] of cases) assert.equal(parseAmount(input), cents, `parseAmount(${JSON.stringify(input)})`)
})

test('parseAmount rejects malformed input with null', () => {
  const malformed: Array<string | number> = [
    '1.234',
    '1e3',
    '',
    ' ',
    '--1',
    '1,00',
    '+1',
    '.5',
    '1.',
    '1..0',
    '0x10',
    '١٢',
    '12 .99',
    '1.2.3',
    'abc',
    '12.99 EUR',
    '1234567890123456', // 16 integer digits: beyond the supported range
    NaN,
    Infinity,
    -Infinity,
    0.1 + 0.2,
    1e21,
    1e-7,
    12.345,
    1e16,
  ]
  for (const input of malformed) assert.equal(parseAmount(input), null, `parseAmount(${JSON.stringify(String(input))})`)
})

test('formatAmount always prints two places', () => {
  const cases: Array<[bigint, string]> = [
    [1299n, '12.99'],
    [0n, '0.00'],
    [5n, '0.05'],
    [-5n, '-0.05'],
    [100n, '1.00'],
    [-12345n, '-123.45'],
    [99999999999999999n, '999999999999999.99'],
  ]
  for (const [cents, text] of cases) assert.equal(formatAmount(cents), text)
  assert.equal(amountAsNumber(1299n), 12.99)
  assert.equal(amountAsNumber(-5n), -0.05)
  assert.equal(amountAsNumber(0n), 0)
})

test('divRoundHalfUp rounds half away from zero, once', () => {
  const cases: Array<[bigint, bigint, bigint]> = [
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [15n, 10n, 2n],
    [14n, 10n, 1n],
    [-5n, 10n, -1n],
    [-4n, 10n, 0n],
    [-15n, 10n, -2n],
    [0n, 7n, 0n],
    [7n, 7n, 1n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-2n, 3n, -1n],
    [1n, 2n, 1n],
    [-1n, 2n, -1n],
    [1700n * 3_775_934n, 2_592_000n, 2476n], // 2476.4996…
    [1700n * 3_775_935n, 2_592_000n, 2477n], // 2476.5003…
  ]
  for (const [n, d, want] of cases) assert.equal(divRoundHalfUp(n, d), want, `${n}/${d}`)
  assert.throws(() => divRoundHalfUp(1n, 0n), RangeError)
  assert.throws(() => divRoundHalfUp(1n, -3n), RangeError)
})

test('divRoundUp rounds toward +∞ (a charge up, a credit toward zero), once', () => {
  const cases: Array<[bigint, bigint, bigint]> = [
    [5n, 10n, 1n],
    [1n, 10n, 1n],
    [10n, 10n, 1n],
    [11n, 10n, 2n],
    [0n, 7n, 0n],
    [-1n, 10n, 0n],
    [-5n, 10n, 0n],
    [-10n, 10n, -1n],
    [-11n, 10n, -1n],
    [1700n * 3_775_171n, 2_592_000n, 2476n], // 2475.9995…
    [1700n * 3_775_172n, 2_592_000n, 2477n], // 2476.0001…
  ]
  for (const [n, d, want] of cases) assert.equal(divRoundUp(n, d), want, `${n}/${d}`)
  assert.throws(() => divRoundUp(1n, 0n), RangeError)
})

test('minCents and maxCents', () => {
  assert.equal(minCents(3n, -4n), -4n)
  assert.equal(maxCents(3n, -4n), 3n)
})

test('docs/0xhost-compat.md 3.11: changing plan 5 (12.99) to 7 (29.99) costs 29.99 + 24.76 = 54.75 while 3,773,648–3,775,171 s are left', () => {
  for (const remainingSeconds of [3_773_648n, 3_775_000n, 3_775_171n]) {
    assert.deepEqual(quotePlanChange({ oldPrice: 1299n, newPrice: 2999n, remainingSeconds }), {
      upgradeDifference: 2476n,
      amount: 5475n,
      credit: 0n,
    })
  }
  // One second outside that window on either side, the difference is a cent off.
  assert.equal(
    quotePlanChange({ oldPrice: 1299n, newPrice: 2999n, remainingSeconds: 3_775_172n }).upgradeDifference,
    2477n,
  )
  assert.equal(
    quotePlanChange({ oldPrice: 1299n, newPrice: 2999n, remainingSeconds: 3_773_647n }).upgradeDifference,
    2475n,
  )
})

test('plan change: no remaining time means no difference; negative remaining time counts as none', () => {
  assert.deepEqual(quotePlanChange({ oldPrice: 1299n, newPrice: 2999n, remainingSeconds: 0n }), {
    upgradeDifference: 0n,
    amount: 2999n,
    credit: 0n,
  })
  assert.deepEqual(quotePlanChange({ oldPrice: 1299n, newPrice: 2999n, remainingSeconds: -500n }), {
    upgradeDifference: 0n,
    amount: 2999n,
    credit: 0n,
  })
})

test('plan change: a small downgrade reduces the amount, a big one is credited', () => {
  // 29.99 → 12.99 with half a term left: difference -8.50, amount 12.99 - 8.50 = 4.49
  assert.deepEqual(quotePlanChange({ oldPrice: 2999n, newPrice: 1299n, remainingSeconds: TERM_SECONDS / 2n }), {
    upgradeDifference: -850n,
    amount: 449n,
    credit: 0n,
  })
  // 69.99 → 4.99 with a full term left: difference -65.00, 4.99 - 65.00 = -60.01 → nothing to pay, 60.01 credited
  assert.deepEqual(quotePlanChange({ oldPrice: 6999n, newPrice: 499n, remainingSeconds: TERM_SECONDS }), {
    upgradeDifference: -6500n,
    amount: 0n,
    credit: 6001n,
  })
})

test('hourly extension: price × hours / 720 rounded up, at least one cent', () => {
  assert.equal(hourlyExtensionPrice(1299n, 720), 1299n)
  assert.equal(hourlyExtensionPrice(1299n, 1440), 2598n)
  assert.equal(hourlyExtensionPrice(1299n, 360), 650n) // 649.5 → 650
  assert.equal(hourlyExtensionPrice(1299n, 24), 44n) // 43.3 → 44: never less than the hours are worth
  assert.equal(hourlyExtensionPrice(1299n, 1), 2n) // 1.804…
  assert.equal(hourlyExtensionPrice(499n, 1), 1n) // 0.693… → 1
  assert.equal(hourlyExtensionPrice(100n, 1), 1n) // 0.138… → 1
  assert.equal(hourlyExtensionPrice(0n, 100), 0n)
})

test('plesk price and months', () => {
  assert.equal(pleskPrice(999n, 3), 2997n)
  assert.equal(addMonths(new Date('2024-01-31T10:20:30.000Z'), 1).toISOString(), '2024-02-29T10:20:30.000Z')
  assert.equal(addMonths(new Date('2023-01-31T00:00:00.000Z'), 1).toISOString(), '2023-02-28T00:00:00.000Z')
  assert.equal(addMonths(new Date('2023-03-31T00:00:00.000Z'), -1).toISOString(), '2023-02-28T00:00:00.000Z')
  assert.equal(addMonths(new Date('2023-10-31T23:59:59.999Z'), 4).toISOString(), '2024-02-29T23:59:59.999Z')
  assert.equal(addMonths(new Date('2023-12-15T00:00:00.000Z'), 1).toISOString(), '2024-01-15T00:00:00.000Z')
  assert.equal(addMonths(new Date('2023-05-31T00:00:00.000Z'), 1).toISOString(), '2023-06-30T00:00:00.000Z')
  assert.equal(secondsUntil(new Date('2024-01-01T00:00:10.900Z'), new Date('2024-01-01T00:00:00.000Z')), 10n)
  assert.equal(secondsUntil(new Date('2024-01-01T00:00:00.000Z'), new Date('2024-01-01T00:00:10.000Z')), 0n)
})
