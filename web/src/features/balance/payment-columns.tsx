import { Link } from 'react-router'
import type { TransactionRow } from '../../api/payments.ts'
import { t } from '../../lib/i18n/index.ts'
import { DateTime, Money, Status, type Column } from '../../ui/index.ts'
import { normalizePaymentStatus } from './payment-status.ts'

const c = t.portal.balance

/** The columns of a crypto payment list (the balance page, the dashboard). */
export const paymentColumns: Column<TransactionRow>[] = [
  { header: c.when, rowHeader: true, cell: p => <DateTime value={p.created_at} /> },
  {
    header: c.payment,
    cell: p =>
      p.track_id === null ? (
        p.description
      ) : (
        <Link to={`/balance/invoices/${encodeURIComponent(p.track_id)}`}>{p.description}</Link>
      ),
  },
  { header: c.status, cell: p => <Status status={normalizePaymentStatus(p.status)} /> },
  { header: c.amount, numeric: true, cell: p => <Money value={p.amount} currency={p.currency} /> },
  { header: c.credited, numeric: true, cell: p => <Money value={p.credited_amount} currency={p.currency} /> },
]
