import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { isApiError } from '../../api/client.ts'
import { transactionQuery } from '../../api/payments.ts'
import { t } from '../../lib/i18n/index.ts'
import { Page } from '../../ui/index.ts'
import { InvoicePanel } from './InvoicePanel.tsx'

const c = t.portal.balance

/** One crypto invoice by its track id, followed until it is paid or ends (a 404 is the 404 page). */
export function InvoicePage() {
  const { trackId = '' } = useParams()
  // The panel polls the same query; this one only turns a 404 into the 404 page.
  const q = useQuery(transactionQuery(trackId))
  if (q.isError && isApiError(q.error) && q.error.status === 404) throw q.error
  const orderId = q.data?.data.order_id
  return (
    <Page title={c.invoiceTitle({ trackId })} back={<Link to="/balance">{c.backToBalance}</Link>}>
      <InvoicePanel trackId={trackId} headingLevel={2} />
      {orderId !== undefined && orderId !== '' && (
        <p>
          <Link to={`/orders/${encodeURIComponent(orderId)}`}>{c.invoiceOrder}</Link>
        </p>
      )}
    </Page>
  )
}
