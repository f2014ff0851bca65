import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { pleskClientsQuery, subscriptionsQuery, type PleskClient, type Subscription } from '../../api/plesk.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, DateTime, ErrorAlert, Money, Page, Section, Status, type Column } from '../../ui/index.ts'
import { Pager, usePageParam } from '../orders/Pager.tsx'
import { TRANSIENT_SUBSCRIPTION_STATUSES } from './subscription-actions.ts'

const c = t.portal.plesk
const PER_PAGE = 20
const POLL_MS = 5000

const subscriptionColumns: Column<Subscription>[] = [
  {
    header: c.domain,
    rowHeader: true,
    cell: s => <Link to={`/plesk/subscriptions/${encodeURIComponent(s.id)}`}>{s.domain_name}</Link>,
  },
  { header: c.status, cell: s => <Status status={s.status} /> },
  { header: c.plan, cell: s => s.plan_name },
  { header: c.client, cell: s => s.client_name },
  { header: c.expires, cell: s => <DateTime value={s.expires_at} style="date" relative /> },
  { header: c.price, numeric: true, cell: s => <Money value={s.price} /> },
]

const clientColumns: Column<PleskClient>[] = [
  { header: c.clientName, rowHeader: true, cell: x => x.name },
  { header: c.login, cell: x => <code>{x.login}</code> },
  { header: c.email, cell: x => x.email },
  { header: c.status, cell: x => <Status status={x.status} /> },
  { header: c.created, cell: x => <DateTime value={x.created_at} /> },
  {
    header: c.actions,
    cell: x => <Link to={`/plesk/new?client=${encodeURIComponent(x.id)}`}>{c.orderFor({ name: x.name })}</Link>,
  },
]

/** Plesk hosting: subscriptions and the Plesk clients they belong to. */
export function PleskPage() {
  const subsPage = usePageParam()
  const clientsPage = usePageParam('clients')
  const subs = useQuery({
    ...subscriptionsQuery({ page: subsPage, perPage: PER_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: q =>
      q.state.data?.data.some(s => TRANSIENT_SUBSCRIPTION_STATUSES.has(s.status)) ? POLL_MS : false,
  })
  const clients = useQuery({
    ...pleskClientsQuery({ page: clientsPage, perPage: PER_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: q => (q.state.data?.data.some(x => x.status === 'pending') ? POLL_MS : false),
  })
  return (
    <Page
      title={c.title}
      actions={
        <Link className="btn btn-primary" to="/plesk/new">
          {c.order}
        </Link>
      }
    >
      <Section title={c.subscriptions}>
        {subs.isError ? (
          <ErrorAlert error={subs.error} />
        ) : (
          <>
            <DataTable
              caption={c.subscriptions}
              captionHidden
              columns={subscriptionColumns}
              rows={subs.data?.data}
              rowKey={s => s.id}
              loading={subs.isPending}
              empty={c.noSubscriptions}
            />
            {subs.data && <Pager page={subsPage} pages={subs.data.meta.pages} label={c.subscriptionPages} />}
          </>
        )}
      </Section>
      <Section
        title={c.clients}
        actions={
          <Link className="btn btn-secondary" to="/plesk/clients/new">
            {c.newClient}
          </Link>
        }
      >
        {clients.isError ? (
          <ErrorAlert error={clients.error} />
        ) : (
          <>
            <DataTable
              caption={c.clients}
              captionHidden
              columns={clientColumns}
              rows={clients.data?.data}
              rowKey={x => x.id}
              loading={clients.isPending}
              empty={c.noClients}
            />
            {clients.data && (
              <Pager page={clientsPage} pages={clients.data.meta.pages} label={c.clientPages} name="clients" />
            )}
          </>
        )}
      </Section>
    </Page>
  )
}
