import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatDecimal, formatMoney, parseMoney, toDecimalString } from '../../src/lib/money.ts'
import { formatDateTime, formatRelative, parseApiDate } from '../../src/lib/dates.ts'
import { loginPathFor, safeNextPath } from '../../src/lib/next-path.ts'
import { contrastRatio, readableOnWhite, textOn } from '../../src/lib/color.ts'
import { errorFromBody, isTransient, parseRetryAfter } from '../../src/api/errors.ts'
import { plural } from '../../src/lib/i18n/index.ts'

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null })

describe('money', () => {
  it('parses decimal strings exactly into minor units', () => {
    assert.deepEqual(parseMoney('12.50', 'EUR'), { minor: 1250n, currency: 'EUR' })
    assert.deepEqual(parseMoney('12.5', 'eur'), { minor: 1250n, currency: 'EUR' })
    assert.deepEqual(parseMoney('-0.01', 'EUR'), { minor: -1n, currency: 'EUR' })
    assert.deepEqual(parseMoney('1000', 'JPY'), { minor: 1000n, currency: 'JPY' })
    // Beyond a float's exact range: still exact.
    assert.deepEqual(parseMoney('900719925474099.99', 'EUR'), { minor: 90071992547409999n, currency: 'EUR' })
  })
  it('refuses what is not a decimal amount of that currency', () => {
    for (const bad of [
      '',
      ' ',
      '1e3',
      '1,50',
      '12.345',
      '12.',
      '.5',
      '+1',
      'NaN',
      'Infinity',
      '0x10',
      '1 000',
      '1.5.0',
    ]) {
      assert.equal(parseMoney(bad, 'EUR'), null, bad)
    }
    assert.equal(parseMoney('1.5', 'JPY'), null)
  })
  it('round-trips and formats without floats', () => {
    for (const s of ['0.00', '-3.05', '12.50', '900719925474099.99']) {
      assert.equal(toDecimalString(parseMoney(s, 'EUR')!), s)
    }
    assert.equal(formatMoney({ minor: 90071992547409999n, currency: 'EUR' }, 'en'), '€900,719,925,474,099.99')
    assert.equal(formatDecimal('-3.05', 'EUR', 'en'), '-€3.05')
    assert.equal(formatDecimal('0.1', 'USD', 'en'), '$0.10')
    assert.equal(formatDecimal('not money', 'EUR'), 'not money')
  })
})

describe('dates', () => {
  it('reads the API timestamps as UTC', () => {
    assert.equal(parseApiDate('2026-12-01 19:00:00')?.toISOString(), '2026-12-01T19:00:00.000Z')
    assert.equal(parseApiDate('2026-12-01T19:00:00.000Z')?.toISOString(), '2026-12-01T19:00:00.000Z')
    assert.equal(parseApiDate('2026-12-01T20:00:00+01:00')?.toISOString(), '2026-12-01T19:00:00.000Z')
    assert.equal(parseApiDate('yesterday'), null)
    assert.equal(parseApiDate(null), null)
    assert.equal(parseApiDate(''), null)
  })
  it('always shows the zone', () => {
    const d = new Date('2026-12-01T19:05:00Z')
    assert.equal(formatDateTime(d, { locale: 'en-GB', timeZone: 'UTC' }), '1 Dec 2026, 19:05 UTC')
    assert.match(formatDateTime(d, { locale: 'en-GB', timeZone: 'Europe/Berlin' }), /20:05 CET$/)
    assert.equal(formatDateTime(d, { locale: 'en-GB', timeZone: 'UTC', style: 'date' }), '1 Dec 2026, UTC')
  })
  it('says relative times in words', () => {
    const now = new Date('2026-12-01T00:00:00Z')
    assert.equal(formatRelative(new Date('2026-12-04T00:00:00Z'), now), 'in 3 days')
    assert.equal(formatRelative(new Date('2026-11-30T23:55:00Z'), now), '5 minutes ago')
    assert.equal(formatRelative(now, now), 'now')
  })
})

describe('next path after login', () => {
  it('keeps paths of this site', () => {
    assert.equal(safeNextPath('/servers/srv_1?tab=usage#x'), '/servers/srv_1?tab=usage#x')
    assert.equal(safeNextPath('/'), '/')
    assert.equal(safeNextPath(null), '/')
  })
  it('refuses anything that could leave the site or loop', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      ' /servers',
      '/\t/evil.example',
      '/login?next=/x',
      'servers',
    ]) {
      assert.equal(safeNextPath(bad), '/', bad)
    }
  })
  it('builds the login link', () => {
    assert.equal(loginPathFor('/balance', '?page=2'), '/login?next=%2Fbalance%3Fpage%3D2')
    assert.equal(loginPathFor('/'), '/login')
  })
})

describe('brand colours', () => {
  it('computes WCAG contrast and keeps text readable', () => {
    assert.equal(Math.round(contrastRatio('#000000', '#ffffff')), 21)
    assert.equal(textOn('#1d4ed8'), '#ffffff')
    assert.equal(textOn('#fde047'), '#111827')
    const link = readableOnWhite('#fde047')
    assert.ok(contrastRatio(link, '#ffffff') >= 4.5, link)
    assert.equal(readableOnWhite('#1d4ed8'), '#1d4ed8')
    assert.ok(contrastRatio(readableOnWhite('#3b82f6'), '#f6f7f9') >= 4.5)
  })
})

describe('API errors', () => {
  it('reads the error envelope, Retry-After and the request id', () => {
    const e = errorFromBody(
      429,
      { success: false, message: 'slow down', error: { code: 'too_many_attempts', request_id: 'req_1' } },
      headers({ 'retry-after': '42' }),
    )
    assert.deepEqual(
      { status: e.status, code: e.code, message: e.message, requestId: e.requestId, retryAfter: e.retryAfter },
      { status: 429, code: 'too_many_attempts', message: 'slow down', requestId: 'req_1', retryAfter: 42 },
    )
    assert.equal(isTransient(e), true)
    const f = errorFromBody(
      400,
      { success: false, message: 'too short', error: { code: 'weak_password', request_id: 'r', field: 'password' } },
      headers({}),
    )
    assert.equal(f.field, 'password')
    assert.equal(isTransient(f), false)
  })
  it('survives a proxy page instead of the envelope', () => {
    const e = errorFromBody(502, '<html>Bad gateway</html>', headers({ 'x-request-id': 'req_p' }))
    assert.equal(e.code, 'internal_error')
    assert.equal(e.requestId, 'req_p')
    assert.equal(isTransient(e), true)
  })
  it('reads Retry-After as seconds or a date', () => {
    assert.equal(parseRetryAfter('120'), 120)
    assert.equal(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 1)).toUTCString(), Date.UTC(2026, 0, 1)), 60)
    assert.equal(parseRetryAfter('soon'), undefined)
    assert.equal(parseRetryAfter(null), undefined)
  })
})

describe('plural', () => {
  it('picks the form', () => {
    assert.equal(plural(1, { one: 'second', other: 'seconds' }), 'second')
    assert.equal(plural(0, { one: 'second', other: 'seconds' }), 'seconds')
  })
})
