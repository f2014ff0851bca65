import { Link } from 'react-router'
import type { OrderRow } from '../../api/orders.ts'
import { t } from '../../lib/i18n/index.ts'
import { DateTime, Money, Status, type Column } from '../../ui/index.ts'
import { orderTypeLabel } from './order-labels.ts'

const c = t.portal.orders

/** The columns of an order list (the orders page, the dashboard). */
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
