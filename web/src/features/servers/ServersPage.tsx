import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { serversQuery, type ServersPage as ServersList } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, DateTime, ErrorAlert, Money, Page, Status, type Column } from '../../ui/index.ts'
import { Pager, usePageParam } from '../orders/Pager.tsx'
import { TRANSIENT_SERVER_STATUSES } from './server-actions.ts'

const c = t.portal.servers
const PER_PAGE = 20
const POLL_MS = 5000

type Row = ServersList['data'][number]

const columns: Column<Row>[] = [
  { header: c.name, rowHeader: true, cell: s => <Link to={`/servers/${encodeURIComponent(s.id)}`}>{s.name}</Link> },
  { header: c.status, cell: s => <Status status={s.status} /> },
  {
    header: c.ip,
    cell: s =>
      s.primary_ip === null ? (
        '—'
      ) : (
        <>
          <code>{s.primary_ip}</code>
          {(s.extra_ips?.length ?? 0) > 0 && <span className="muted"> {c.moreIps({ n: s.extra_ips!.length })}</span>}
        </>
      ),
  },
  { header: c.location, cell: s => s.location },
  { header: c.expires, cell: s => <DateTime value={s.expire_date} style="date" relative /> },
  { header: c.autoRenew, cell: s => (s.auto_renew === 1 ? c.on : c.off) },
  { header: c.price, numeric: true, cell: s => <Money value={s.plan_price} /> },
]

export function ServersPage() {
  const page = usePageParam()
  const q = useQuery({
    ...serversQuery({ page, perPage: PER_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: query =>
      query.state.data?.data.some(s => TRANSIENT_SERVER_STATUSES.has(s.status)) ? POLL_MS : false,
  })
  return (
    <Page
      title={c.title}
      actions={
        <Link className="btn btn-primary" to="/servers/new">
          {c.order}
        </Link>
      }
    >
      {q.isError ? (
        <ErrorAlert error={q.error} />
      ) : (
        <>
          <DataTable
            caption={c.title}
            captionHidden
            columns={columns}
            rows={q.data?.data}
            rowKey={s => s.id}
            loading={q.isPending}
            empty={
              <>
                {c.empty} <Link to="/servers/new">{c.order}</Link>
              </>
            }
          />
          {q.data && <Pager page={page} pages={q.data.meta.pages} label={c.pages} />}
        </>
      )}
    </Page>
  )
}
