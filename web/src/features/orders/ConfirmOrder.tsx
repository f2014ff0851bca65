import { useQuery, type QueryClient } from '@tanstack/react-query'
import { useId, useMemo, useRef, useState, type ReactNode } from 'react'
import { Link } from 'react-router'
import { isApiError } from '../../api/client.ts'
import { ordersQuery, usePlaceOrder, type OrderRequest, type PlacedOrder } from '../../api/orders.ts'
import { quoteQuery, type Quote } from '../../api/quote.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, Button, ErrorAlert, Money, Skeleton } from '../../ui/index.ts'
import { pendingOrderFor } from '../servers/server-actions.ts'
import { keepsKey } from './intent.ts'
import { OrderResult } from './OrderResult.tsx'
import { QuoteSummary } from './QuoteSummary.tsx'
import { quoteChanges, type QuoteChange } from './quote-diff.ts'
import { useOrderIntent } from './useOrderIntent.ts'
import { withPayment, type PaymentType } from './with-payment.ts'

const c = t.portal.confirm

export interface ConfirmOrderProps {
  /** The order as chosen; this step sets its payment method. */
  request: OrderRequest
  /** The existing service the order is for: a refusal because of an open order links that order. */
  serviceId?: string
  /** The service's own queries, refreshed after the order. */
  invalidate?: (qc: QueryClient) => Promise<unknown>
  /** Back to the choices (changing them is a new intent, with a new key). */
  onBack?: () => void
  onPlaced?: (placed: PlacedOrder) => void
  /** Shown above the quote: what is being ordered, in words. */
  children?: ReactNode
}

/** The state moved on or another order is open: worth a fresh quote (not a request still running under the key). */
const isConflict = (e: unknown): boolean => isApiError(e) && e.status === 409 && e.code !== 'idempotency_key_in_use'

/**
 * The confirm step of every order (STYLE-web rules 5–7): the API's quote for exactly the body that
 * will be sent, the payment method, and one Idempotency-Key per intended order — made here at
 * the first confirm, reused by a double click or a retry after a lost answer, replaced when the
 * order changes (another payment method is another body). Nothing is shown as done until the
 * server says so. A 409 re-quotes and marks what changed; a 402 links to the top-up.
 */
export function ConfirmOrder({
  request: chosen,
  serviceId,
  invalidate,
  onBack,
  onPlaced,
  children,
}: ConfirmOrderProps) {
  const [payment, setPayment] = useState<PaymentType>('balance')
  const request = useMemo(() => withPayment(chosen, payment), [chosen, payment])
  const quote = useQuery(quoteQuery(request))
  const intent = useOrderIntent()
  const confirmed = useRef<Quote | null>(null)
  const [changes, setChanges] = useState<QuoteChange[] | null>(null)
  const [placed, setPlaced] = useState<PlacedOrder | null>(null)
  const legendId = useId()

  const place = usePlaceOrder({
    invalidate,
    onSuccess: p => {
      intent.settle(null)
      setPlaced(p)
      onPlaced?.(p)
    },
    onError: async err => {
      intent.settle(err)
      if (isConflict(err)) {
        const fresh = await quote.refetch()
        if (fresh.data !== undefined && confirmed.current !== null) {
          setChanges(quoteChanges(confirmed.current, fresh.data))
        }
      }
    },
  })

  // A refusal for an open order on the service: find it among the customer's orders to link it.
  const conflict = isConflict(place.error) || isConflict(quote.error)
  const orders = useQuery({ ...ordersQuery({ page: 1, perPage: 50 }), enabled: conflict && serviceId !== undefined })
  const pending = serviceId !== undefined && orders.data ? pendingOrderFor(serviceId, orders.data.data) : null
  const pendingLink = pending && (
    <p>
      <Link to={`/orders/${encodeURIComponent(pending.id)}`}>{c.pendingOrder({ number: pending.order_number })}</Link>
    </p>
  )

  if (placed !== null) return <OrderResult placed={placed} />

  const q = quote.data
  const insufficient = payment === 'balance' && q !== undefined && !q.balance_sufficient
  const retrying = place.error !== null && keepsKey(place.error)
  const confirm = () => {
    if (q === undefined || place.isPending) return
    confirmed.current = q
    setChanges(null)
    place.mutate({ request, idempotencyKey: intent.keyFor(request) })
  }

  return (
    <div className="confirm-order">
      {children}
      <fieldset className="choices" aria-labelledby={legendId} disabled={place.isPending}>
        <legend id={legendId}>{c.payWith}</legend>
        <label className="choice">
          <input
            type="radio"
            name="type_payment"
            value="balance"
            checked={payment === 'balance'}
            onChange={() => setPayment('balance')}
          />{' '}
          {c.payBalance}
        </label>
        <label className="choice">
          <input
            type="radio"
            name="type_payment"
            value="crypto"
            checked={payment === 'crypto'}
            onChange={() => setPayment('crypto')}
          />{' '}
          {c.payCrypto}
        </label>
      </fieldset>

      <h2>{c.quoteTitle}</h2>
      {quote.isPending ? (
        <Skeleton lines={4} />
      ) : quote.isError ? (
        <ErrorAlert error={quote.error} title={c.quoteFailed}>
          {pendingLink}
          <p>
            <Button variant="secondary" onClick={() => void quote.refetch()}>
              {c.requote}
            </Button>
          </p>
        </ErrorAlert>
      ) : (
        <QuoteSummary quote={quote.data} changed={changes ?? []} />
      )}

      {changes !== null && changes.length > 0 && (
        <Alert tone="warning" title={c.changedTitle}>
          <p>{c.changedBody}</p>
        </Alert>
      )}
      {insufficient && (
        <Alert tone="warning" title={c.insufficientTitle}>
          <p>{c.insufficientBody}</p>
          <p>
            <Link to="/balance#top-up">{c.topUp}</Link>
          </p>
        </Alert>
      )}
      {place.error !== null && (
        <ErrorAlert error={place.error} title={c.orderFailed}>
          {place.error.code === 'insufficient_balance' && (
            <p>
              <Link to="/balance#top-up">{c.topUp}</Link>
            </p>
          )}
          {isConflict(place.error) && pendingLink}
          {retrying && <p>{c.retrySafe}</p>}
        </ErrorAlert>
      )}

      <p className="actions">
        {onBack && (
          <Button variant="secondary" onClick={onBack} disabled={place.isPending}>
            {c.back}
          </Button>
        )}
        <Button
          onClick={confirm}
          pending={place.isPending}
          pendingLabel={c.placing}
          disabled={q === undefined || quote.isFetching || insufficient}
        >
          {retrying ? c.tryAgain : c.confirm}
          {q !== undefined && !retrying && (
            <>
              {' '}
              <Money value={q.amount} currency={q.currency} />
            </>
          )}
        </Button>
      </p>
      {insufficient && <p className="field-hint">{c.confirmDisabledBalance}</p>}
    </div>
  )
}
