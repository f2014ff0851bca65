import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { usageQuery } from '../../api/servers.ts'
import { formatDateTime } from '../../lib/dates.ts'
import { t } from '../../lib/i18n/index.ts'
import { ErrorAlert, Skeleton } from '../../ui/index.ts'
import { USAGE_SPECIFICATIONS, usageChart, type UsageSpecification } from './usage.ts'

const c = t.portal.usage
const COLORS = ['var(--color-primary, #2563eb)', 'var(--color-accent, #d97706)', '#059669', '#7c3aed']
/** Samples are a few seconds apart; a minute between refreshes keeps the graphs current enough. */
const USAGE_REFRESH_MS = 60_000

const SERIES: Record<string, string> = c.series
const seriesLabel = (key: string): string => SERIES[key] ?? key.replaceAll('_', ' ')
const time = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  )
const number = (v: number) => new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(v)

/** The four usage graphs of a server (GET /API/services/usage_server), each with a table alternative. */
export function UsageCharts({ serverId }: { serverId: string }) {
  return (
    <div className="usage-grid">
      {USAGE_SPECIFICATIONS.map(spec => (
        <UsageChart key={spec} serverId={serverId} spec={spec} />
      ))}
    </div>
  )
}

function UsageChart({ serverId, spec }: { serverId: string; spec: UsageSpecification }) {
  const q = useQuery({ ...usageQuery(serverId, spec), refetchInterval: USAGE_REFRESH_MS })
  const captionId = useId()
  const title = c.titles[spec]
  if (q.isPending) {
    return (
      <figure className="usage-chart" aria-labelledby={captionId} aria-busy="true">
        <figcaption id={captionId}>{title}</figcaption>
        <Skeleton lines={4} />
      </figure>
    )
  }
  if (q.isError) {
    return (
      <figure className="usage-chart" aria-labelledby={captionId}>
        <figcaption id={captionId}>{title}</figcaption>
        <ErrorAlert error={q.error} />
      </figure>
    )
  }
  const chart = usageChart(spec, q.data.items)
  if (chart.rows.length === 0 || chart.series.length === 0) {
    return (
      <figure className="usage-chart" aria-labelledby={captionId}>
        <figcaption id={captionId}>{title}</figcaption>
        <p>{c.empty}</p>
      </figure>
    )
  }
  const data = chart.rows.map(r => ({ time: r.time, ...r.values }))
  const first = chart.rows[0]!.time
  const last = chart.rows.at(-1)!.time
  const summary = c.chartLabel({
    title,
    series: chart.series.map(seriesLabel).join(', '),
    from: formatDateTime(new Date(first)),
    to: formatDateTime(new Date(last)),
  })
  return (
    <figure className="usage-chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        {title}{' '}
        <span className="muted">{c.interval({ value: q.data.interval.value, unit: q.data.interval.measurement })}</span>
      </figcaption>
      <div role="img" aria-label={summary} className="usage-canvas" data-testid={`usage-${spec}`}>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="time" tickFormatter={time} minTickGap={24} />
            <YAxis width={56} tickFormatter={number} />
            <Tooltip
              labelFormatter={l => (typeof l === 'string' ? time(l) : '')}
              formatter={(v, name) => [typeof v === 'number' ? number(v) : String(v), seriesLabel(String(name))]}
            />
            {chart.series.map((key, i) => (
              <Line
                key={key}
                type="monotone"
                dataKey={key}
                name={key}
                stroke={COLORS[i % COLORS.length]}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details className="usage-table">
        <summary>{c.showTable({ title })}</summary>
        <div className="table-scroll" role="region" aria-label={c.tableLabel({ title })} tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{c.tableLabel({ title })}</caption>
            <thead>
              <tr>
                <th scope="col">{c.time}</th>
                {chart.series.map(key => (
                  <th key={key} scope="col" className="num">
                    {seriesLabel(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chart.rows.map(r => (
                <tr key={r.time}>
                  <th scope="row">
                    <time dateTime={r.time}>{formatDateTime(new Date(r.time))}</time>
                  </th>
                  {chart.series.map(key => (
                    <td key={key} className="num">
                      {r.values[key] === undefined ? '—' : number(r.values[key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
