import { formatDateTime, formatRelative, parseApiDate, type DateOptions } from '../lib/dates.ts'

export interface DateTimeProps {
  /** A UTC timestamp from the API (ISO 8601 or "YYYY-MM-DD HH:MM:SS"). */
  value: string | null | undefined
  style?: DateOptions['style']
  /** Also "in 3 days" / "5 minutes ago", always beside the absolute date. */
  relative?: boolean
  /** Shown for a null value. */
  empty?: string
}

/** A date with its zone (STYLE-web rule 11), in a <time> element carrying the UTC instant. */
export function DateTime({ value, style = 'datetime', relative = false, empty = '—' }: DateTimeProps) {
  const d = parseApiDate(value)
  if (!d) return <span>{value ?? empty}</span>
  return (
    <time dateTime={d.toISOString()} className="datetime">
      {formatDateTime(d, { style })}
      {relative && <span className="datetime-relative"> ({formatRelative(d)})</span>}
    </time>
  )
}
