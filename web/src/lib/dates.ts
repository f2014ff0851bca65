// Dates say which zone they are in (STYLE-web rule 11). The API sends UTC, as ISO 8601
// ("2026-12-01T19:00:00.000Z") or as the 0xhost docs print it ("2026-12-01 19:00:00").

/** A UTC timestamp from the API as a Date; null when it is not one. */
export function parseApiDate(text: string | null | undefined): Date | null {
  if (text === null || text === undefined || text === '') return null
  const plain = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(text)
  const d = new Date(plain ? `${plain[1]}T${plain[2]}Z` : text)
  return Number.isNaN(d.getTime()) ? null : d
}

export interface DateOptions {
  locale?: string
  timeZone?: string
  /** 'date' for terms and expiries (with the zone), 'datetime' otherwise. */
  style?: 'date' | 'datetime'
}

/** The user's zone as the browser knows it ("Europe/Berlin"); UTC when it cannot tell. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** "1 Dec 2026, 20:00 CET": the zone is always part of what is shown. */
export function formatDateTime(date: Date, opts: DateOptions = {}): string {
  const { locale = 'en-GB', timeZone = localZone(), style = 'datetime' } = opts
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(style === 'datetime' ? ({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const) : {}),
    timeZoneName: 'short',
  }).format(date)
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]

/** "in 3 days", "5 minutes ago": only ever shown beside the absolute date. */
export function formatRelative(date: Date, now: Date = new Date(), locale = 'en'): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000)
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit)
  }
  return rtf.format(0, 'second')
}
