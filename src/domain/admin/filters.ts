import { validation } from '../../lib/errors.ts'

/** Query filters shared by the admin lists. */

/**
 * `from` (inclusive) and `to` (exclusive) as instants. A bare date means 00:00 UTC; an instant
 * without an offset is read as UTC, so the answer does not depend on the server's time zone.
 */
export function dateRange(from: string | undefined, to: string | undefined): { from?: Date; to?: Date } {
  const f = from === undefined ? undefined : instant(from, 'from')
  const t = to === undefined ? undefined : instant(to, 'to')
  if (f && t && t <= f) throw validation('to must be later than from', 'to')
  return { from: f, to: t }
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

function instant(text: string, field: string): Date {
  const m = INSTANT.exec(text)
  const bad = () =>
    validation(`${field} must be a date (2024-01-31) or an ISO 8601 date-time (2024-01-31T12:00:00Z)`, field)
  if (!m) throw bad()
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', offset = 'Z'] = m
  // Date rolls 2024-02-31 over into March; check the calendar date and the clock first.
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate()
  if (
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(d) > daysInMonth ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw bad()
  }
  const zone = offset === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${zone}`)
  if (Number.isNaN(date.getTime())) throw bad()
  return date
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards in `text` taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`

/** `'true'`/`'false'` from a query string. */
export const flag = (value: 'true' | 'false' | undefined): boolean | undefined =>
  value === undefined ? undefined : value === 'true'
