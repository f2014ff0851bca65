import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { isOpenOrderStatus, orderQuery, type OrderRow } from '../../api/orders.ts'
import { transactionsQuery } from '../../api/payments.ts'
import { t } from '../../lib/i18n/index.ts'
import { DateTime, DetailFallback, ErrorAlert, Money, Page, Skeleton, Status } from '../../ui/index.ts'
import { InvoicePanel } from '../balance/InvoicePanel.tsx'
import { orderTypeLabel } from './order-labels.ts'

const c = t.portal.orders

/** How often an open order is asked for its status. */
const ORDER_POLL_MS = 4000

function servicePath(o: OrderRow): string | null {
  if ((o.order_type === 'plesk' || o.order_type === 'plesk_renew') && o.service_id !== null) {
    return `/plesk/subscriptions/${encodeURIComponent(o.service_id)}`
  }
  return o.server_id === null ? null : `/servers/${encodeURIComponent(o.server_id)}`
}

/** One order; polled while it is processing or awaiting payment (STYLE-web rule 5). */
export function OrderPage() {
  const { orderId = '' } = useParams()
  const q = useQuery({
    ...orderQuery(orderId),
    refetchInterval: query => (query.state.data && isOpenOrderStatus(query.state.data.status) ? ORDER_POLL_MS : false),
  })
  const awaiting = q.data?.status === 'pending_payment'
  // The invoice of a crypto order is among the customer's recent transactions.
  const txs = useQuery({ ...transactionsQuery({ page: 1, perPage: 100 }), enabled: q.isSuccess })

  const title = q.data ? c.orderTitle({ number: q.data.order_number }) : c.orderTitleLoading
  const back = <Link to="/orders">{c.backToOrders}</Link>
  if (!q.isSuccess) return <DetailFallback query={q} title={title} back={back} lines={6} />
  const o = q.data
  const path = servicePath(o)
  const tx = txs.data?.data.find(row => row.order_id === o.id && row.track_id !== null)
  return (
    <Page title={title} back={back}>
      <dl className="facts">
        <div>
          <dt>{c.status}</dt>
          <dd aria-live="polite">
            <Status status={o.status} />
          </dd>
        </div>
        <div>
          <dt>{c.type}</dt>
          <dd>{orderTypeLabel(o.order_type)}</dd>
        </div>
        <div>
          <dt>{c.amount}</dt>
          <dd>
            <Money value={o.amount} currency={o.currency} />
          </dd>
        </div>
        <div>
          <dt>{c.created}</dt>
          <dd>
            <DateTime value={o.created_at} relative />
          </dd>
        </div>
        <div>
          <dt>{c.updated}</dt>
          <dd>
            <DateTime value={o.updated_at} relative />
          </dd>
        </div>
        {o.name_server !== null && (
          <div>
            <dt>{c.serverName}</dt>
            <dd>{o.name_server}</dd>
          </div>
        )}
        {o.domain_name !== null && (
          <div>
            <dt>{c.domain}</dt>
            <dd>{o.domain_name}</dd>
          </div>
        )}
        {o.description !== '' && (
          <div>
            <dt>{c.description}</dt>
            <dd>{o.description}</dd>
          </div>
        )}
      </dl>
      {path !== null && (
        <p>
          <Link to={path}>{c.viewService}</Link>
        </p>
      )}
      {tx ? (
        <InvoicePanel trackId={tx.track_id} paymentUrl={tx.payment_url} />
      ) : (
        awaiting &&
        (txs.isError ? <ErrorAlert error={txs.error} /> : txs.isPending ? <Skeleton lines={3} /> : <p>{c.noInvoice}</p>)
      )}
    </Page>
  )
}
