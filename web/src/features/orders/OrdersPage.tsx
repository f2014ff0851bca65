import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { ordersQuery } from '../../api/orders.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, ErrorAlert, Page } from '../../ui/index.ts'
import { orderColumns } from './order-columns.tsx'
import { Pager, usePageParam } from './Pager.tsx'

const c = t.portal.orders
const PER_PAGE = 20

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
