import { Link } from 'react-router'
import type { PlacedOrder } from '../../api/orders.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, CopyButton, Status } from '../../ui/index.ts'
import { InvoicePanel } from '../balance/InvoicePanel.tsx'
import { placedFacts } from './placed-order.ts'

const c = t.portal.order

/** The server's answer to a placed order, as it came: status, the password once, the invoice to pay. */
export function OrderResult({ placed }: { placed: PlacedOrder }) {
  const f = placedFacts(placed)
  return (
    <div className="order-result">
      {!f.success ? (
        <Alert tone="error" title={c.failedTitle}>
          <p>{f.failure ?? c.failedBody}</p>
        </Alert>
      ) : f.status === 'pending_payment' ? (
        <Alert tone="info" title={c.awaitingPaymentTitle}>
          <p>{c.awaitingPaymentBody}</p>
        </Alert>
      ) : f.status === 'processing' ? (
        <Alert tone="info" title={c.processingTitle}>
          <p>{c.processingBody}</p>
        </Alert>
      ) : (
        <Alert tone="success" title={c.completedTitle} />
      )}
      <p>
        {c.orderStatus}: <Status status={f.status} />
      </p>
      {f.password !== null && (
        <Alert tone="warning" title={c.passwordTitle}>
          <p>{c.passwordOnce}</p>
          <p>
            <code className="break">{f.password}</code> <CopyButton value={f.password} label={c.copyPassword} />
          </p>
        </Alert>
      )}
      {f.payment !== null && f.status === 'pending_payment' && (
        <InvoicePanel trackId={f.payment.trackId} paymentUrl={f.payment.paymentUrl} />
      )}
      <p className="actions">
        <Link to={`/orders/${encodeURIComponent(f.orderId)}`}>{c.viewOrder}</Link>
        {f.servicePath !== null && <Link to={f.servicePath}>{c.viewService}</Link>}
      </p>
    </div>
  )
}
