import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { invalidateAfterPayment, transactionQuery } from '../../api/payments.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, CopyButton, DateTime, ErrorAlert, Money, Skeleton, Status } from '../../ui/index.ts'
import { isPaidPaymentStatus, isTerminalPaymentStatus, normalizePaymentStatus } from './payment-status.ts'

const c = t.portal.invoice

/** How often an open invoice is asked for its status. */
export const INVOICE_POLL_MS = 5000

const fromUnix = (s: number | null): string | null => (s === null ? null : new Date(s * 1000).toISOString())

/**
 * A crypto invoice as the payer needs it: amount, coin amount, network, address (and memo), QR
 * code, the pay link, the expiry; its status polled until it ends (STYLE-web rule 5). Read from
 * GET /API/get_transation_by_track_id, where the coin amount is a decimal string.
 */
export function InvoicePanel({
  trackId,
  paymentUrl,
  headingLevel = 2,
}: {
  trackId: string | null
  paymentUrl?: string | null
  headingLevel?: 2 | 3
}) {
  const qc = useQueryClient()
  const q = useQuery({
    ...transactionQuery(trackId ?? ''),
    enabled: trackId !== null,
    refetchInterval: query => {
      const status = query.state.data?.data.status
      return status !== undefined && isTerminalPaymentStatus(status) ? false : INVOICE_POLL_MS
    },
  })
  const status = q.data?.data.status
  const paid = status !== undefined && isPaidPaymentStatus(status)
  const announced = useRef(false)
  useEffect(() => {
    if (paid && !announced.current) {
      announced.current = true
      void invalidateAfterPayment(qc)
    }
  }, [paid, qc])
  const Heading = headingLevel === 2 ? 'h2' : 'h3'

  if (trackId === null) {
    return (
      <section className="invoice" aria-label={c.title}>
        <Heading>{c.title}</Heading>
        <p>{c.noTrackId}</p>
        {paymentUrl && (
          <p>
            <a href={paymentUrl} target="_blank" rel="noreferrer">
              {c.openCheckout}
            </a>
          </p>
        )}
      </section>
    )
  }
  if (q.isPending) {
    return (
      <section className="invoice" aria-label={c.title} aria-busy="true">
        <Heading>{c.title}</Heading>
        <Skeleton lines={4} />
      </section>
    )
  }
  if (q.isError) {
    return (
      <section className="invoice" aria-label={c.title}>
        <Heading>{c.title}</Heading>
        <ErrorAlert error={q.error} />
      </section>
    )
  }
  const tx = q.data.data
  const terminal = isTerminalPaymentStatus(tx.status)
  const normalized = normalizePaymentStatus(tx.status)
  const link = tx.payment_url ?? paymentUrl ?? null
  return (
    <section className="invoice" aria-label={c.title}>
      <Heading>{c.title}</Heading>
      <p aria-live="polite">
        {c.status}: <Status status={normalized} /> {!terminal && <span className="muted">{c.watching}</span>}
      </p>
      {paid && <Alert tone="success">{tx.order_id === '' ? c.paidTopUp : c.paidOrder}</Alert>}
      {normalized === 'expired' && <Alert tone="warning">{c.expired}</Alert>}
      {normalized === 'underpaid' && <Alert tone="warning">{c.underpaid}</Alert>}
      <div className="invoice-body">
        <dl className="facts">
          <div>
            <dt>{c.amount}</dt>
            <dd>
              <Money value={tx.amount} currency={tx.currency} />
            </dd>
          </div>
          {tx.pay_amount !== null && tx.pay_currency !== null && (
            <div>
              <dt>{c.send}</dt>
              <dd>
                <code className="tabular">{c.coinAmount({ amount: tx.pay_amount, coin: tx.pay_currency })}</code>{' '}
                <CopyButton value={tx.pay_amount} label={c.copyAmount} />
              </dd>
            </div>
          )}
          {tx.network !== null && (
            <div>
              <dt>{c.network}</dt>
              <dd>{tx.network}</dd>
            </div>
          )}
          {tx.address !== null && (
            <div>
              <dt>{c.address}</dt>
              <dd>
                <code className="break">{tx.address}</code> <CopyButton value={tx.address} label={c.copyAddress} />
              </dd>
            </div>
          )}
          {tx.memo !== null && (
            <div>
              <dt>{c.memo}</dt>
              <dd>
                <code className="break">{tx.memo}</code> <CopyButton value={tx.memo} label={c.copyMemo} />
              </dd>
            </div>
          )}
          <div>
            <dt>{c.expires}</dt>
            <dd>
              <DateTime value={fromUnix(tx.expired_at)} relative />
            </dd>
          </div>
        </dl>
        {tx.qr_code !== null && !terminal && (
          <img
            className="invoice-qr"
            src={tx.qr_code}
            width={200}
            height={200}
            alt={c.qrAlt({ coin: tx.pay_currency ?? '' })}
          />
        )}
      </div>
      {link !== null && !terminal && (
        <p>
          <a className="btn btn-secondary" href={link} target="_blank" rel="noreferrer">
            {c.openCheckout}
          </a>
        </p>
      )}
    </section>
  )
}
