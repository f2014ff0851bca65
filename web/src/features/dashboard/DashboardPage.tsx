import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { balanceQuery } from '../../api/balance.ts'
import { eventsQuery } from '../../api/events.ts'
import { ordersQuery } from '../../api/orders.ts'
import { transactionsQuery } from '../../api/payments.ts'
import { subscriptionsQuery } from '../../api/plesk.ts'
import { serversQuery } from '../../api/servers.ts'
import { useSession } from '../../api/session.ts'
import { parseApiDate } from '../../lib/dates.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, DateTime, ErrorAlert, Money, Page, Section, Skeleton, Status, type Column } from '../../ui/index.ts'
import { paymentColumns } from '../balance/payment-columns.tsx'
import { orderColumns } from '../orders/order-columns.tsx'
import { eventLink } from './event-link.ts'
import { EXPIRING_WINDOW_DAYS, expiringSoon, type ServiceSummary } from './expiring.ts'

const c = t.portal.dashboard
const EVENT_LABELS: Record<string, string> = t.portal.eventTypes
const RECENT = 5
/** Services are summed up from the first page of each list: a customer with more sees "all servers". */
const SERVICES_PER_LIST = 100

const pathOf = (s: ServiceSummary) =>
  s.kind === 'server' ? `/servers/${encodeURIComponent(s.id)}` : `/plesk/subscriptions/${encodeURIComponent(s.id)}`

const serviceColumns: Column<ServiceSummary>[] = [
  { header: c.service, rowHeader: true, cell: s => <Link to={pathOf(s)}>{s.name}</Link> },
  { header: c.kind, cell: s => (s.kind === 'server' ? c.kindServer : c.kindPlesk) },
  { header: c.status, cell: s => <Status status={s.status} /> },
  {
    header: c.paidUntil,
    cell: s => <DateTime value={s.expiresAt === null ? null : s.expiresAt.toISOString()} style="date" relative />,
  },
  { header: c.autoRenew, cell: s => (s.autoRenew ? c.on : c.off) },
]

/** Balance, services with their expiry, what expires soon, recent orders and payments. */
export function DashboardPage() {
  const session = useSession()
  const balance = useQuery(balanceQuery())
  const servers = useQuery(serversQuery({ page: 1, perPage: SERVICES_PER_LIST }))
  const subs = useQuery(subscriptionsQuery({ page: 1, perPage: SERVICES_PER_LIST }))
  const orders = useQuery(ordersQuery({ page: 1, perPage: RECENT }))
  const payments = useQuery(transactionsQuery({ page: 1, perPage: RECENT }))
  const events = useQuery(eventsQuery({ page: 1, perPage: RECENT }))

  const services: ServiceSummary[] = [
    ...(servers.data?.data ?? []).map(s => ({
      kind: 'server' as const,
      id: s.id,
      name: s.name,
      status: s.status,
      expiresAt: parseApiDate(s.expire_date),
      autoRenew: s.auto_renew === 1,
    })),
    ...(subs.data?.data ?? []).map(s => ({
      kind: 'plesk' as const,
      id: s.id,
      name: s.domain_name,
      status: s.status,
      expiresAt: parseApiDate(s.expires_at),
      autoRenew: s.auto_renew,
    })),
  ]
  const servicesPending = servers.isPending || subs.isPending
  const soon = servicesPending ? [] : expiringSoon(services, new Date())
  const name = session.data?.user.username ?? ''

  return (
    <Page title={t.dashboard.title} description={name === '' ? undefined : t.dashboard.welcome({ name })}>
      <Section
        title={c.balance}
        actions={
          <Link className="btn btn-secondary" to="/balance#top-up">
            {c.topUp}
          </Link>
        }
      >
        {balance.isPending ? (
          <Skeleton lines={1} />
        ) : balance.isError ? (
          <ErrorAlert error={balance.error} />
        ) : (
          <p className="balance-amount">
            <Money value={balance.data.balance} currency={balance.data.currency} />
          </p>
        )}
      </Section>

      <Section title={c.expiringSoon}>
        {servicesPending ? (
          <Skeleton lines={2} />
        ) : soon.length === 0 ? (
          <p>{c.nothingExpiring({ days: EXPIRING_WINDOW_DAYS })}</p>
        ) : (
          <ul className="expiring-list">
            {soon.map(s => (
              <li key={`${s.kind}:${s.id}`}>
                <Link to={pathOf(s)}>{s.name}</Link>{' '}
                {s.expiresAt !== null && s.expiresAt.getTime() < Date.now() ? c.expired : c.expires}{' '}
                <DateTime value={s.expiresAt?.toISOString() ?? null} style="date" relative />
                {s.autoRenew ? <> · {c.renewsItself}</> : <> · {c.renewByHand}</>}
                {s.kind === 'server' && !s.autoRenew && (
                  <>
                    {' '}
                    <Link to={`/servers/${encodeURIComponent(s.id)}/extend`}>{c.extend}</Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section
        title={c.services}
        actions={
          <Link className="btn btn-primary" to="/servers/new">
            {c.orderVps}
          </Link>
        }
      >
        {servers.isError && <ErrorAlert error={servers.error} />}
        {subs.isError && <ErrorAlert error={subs.error} />}
        <DataTable
          caption={c.services}
          captionHidden
          columns={serviceColumns}
          rows={servicesPending ? undefined : services}
          rowKey={s => `${s.kind}:${s.id}`}
          loading={servicesPending}
          empty={
            <>
              {c.noServices} <Link to="/servers/new">{c.orderVps}</Link>
            </>
          }
        />
        <p className="actions">
          <Link to="/servers">{c.allServers}</Link>
          <Link to="/plesk">{c.allPlesk}</Link>
        </p>
      </Section>

      <Section title={c.recentOrders} actions={<Link to="/orders">{c.allOrders}</Link>}>
        {orders.isError ? (
          <ErrorAlert error={orders.error} />
        ) : (
          <DataTable
            caption={c.recentOrders}
            captionHidden
            columns={orderColumns}
            rows={orders.data?.data}
            rowKey={o => o.id}
            loading={orders.isPending}
            empty={c.noOrders}
          />
        )}
      </Section>

      <Section title={c.recentPayments} actions={<Link to="/balance">{c.allPayments}</Link>}>
        {payments.isError ? (
          <ErrorAlert error={payments.error} />
        ) : (
          <DataTable
            caption={c.recentPayments}
            captionHidden
            columns={paymentColumns}
            rows={payments.data?.data}
            rowKey={p => p.id}
            loading={payments.isPending}
            empty={c.noPayments}
          />
        )}
      </Section>

      <Section title={c.activity}>
        {events.isPending ? (
          <Skeleton lines={3} />
        ) : events.isError ? (
          <ErrorAlert error={events.error} />
        ) : events.data.data.length === 0 ? (
          <p>{c.noActivity}</p>
        ) : (
          <ul className="expiring-list">
            {events.data.data.map(ev => {
              const to = eventLink(ev.data)
              const label = EVENT_LABELS[ev.type] ?? ev.type
              return (
                <li key={ev.id}>
                  {to === null ? label : <Link to={to}>{label}</Link>} <DateTime value={ev.occurred_at} relative />
                </li>
              )
            })}
          </ul>
        )}
      </Section>
    </Page>
  )
}
