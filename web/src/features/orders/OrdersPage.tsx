import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { ordersQuery, type OrderRow } from '../../api/orders.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, DateTime, ErrorAlert, Money, Page, Status, type Column } from '../../ui/index.ts'
import { orderTypeLabel } from './order-labels.ts'
import { Pager, usePageParam } from './Pager.tsx'

const c = t.portal.orders
const PER_PAGE = 20

export const orderColumns: Column<OrderRow>[] = [
  {
    header: c.number,
    rowHeader: true,
    cell: o => <Link to={`/orders/${encodeURIComponent(o.id)}`}>{o.order_number}</Link>,
  },
  { header: c.type, cell: o => orderTypeLabel(o.order_type) },
  { header: c.status, cell: o => <Status status={o.status} /> },
  { header: c.amount, numeric: true, cell: o => <Money value={o.amount} currency={o.currency} /> },
  { header: c.created, cell: o => <DateTime value={o.created_at} /> },
]

export function OrdersPage() {
  const page = usePageParam()
  const q = useQuery({ ...ordersQuery({ page, perPage: PER_PAGE }), placeholderData: keepPreviousData })
  return (
    <Page title={c.title}>
      {q.isError ? (
        <ErrorAlert error={q.error} />
      ) : (
        <>
          <DataTable
            caption={c.title}
            captionHidden
            columns={orderColumns}
            rows={q.data?.data}
            rowKey={o => o.id}
            loading={q.isPending}
            empty={
              <>
                {c.empty} <Link to="/servers/new">{c.orderVps}</Link>
              </>
            }
          />
          {q.data && <Pager page={page} pages={q.data.meta.pages} label={c.pages} />}
        </>
      )}
    </Page>
  )
}
