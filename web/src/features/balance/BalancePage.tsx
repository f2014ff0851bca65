import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Link, useLocation } from 'react-router'
import { balanceQuery, ledgerQuery, type LedgerEntry } from '../../api/balance.ts'
import { transactionsQuery } from '../../api/payments.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, DateTime, ErrorAlert, Money, Page, Section, Skeleton, type Column } from '../../ui/index.ts'
import { Pager, usePageParam } from '../orders/Pager.tsx'
import { paymentColumns } from './payment-columns.tsx'
import { TopUpForm } from './TopUpForm.tsx'

const c = t.portal.balance
const KINDS: Record<string, string> = c.kinds
const PAYMENTS_PER_PAGE = 10

const ledgerColumns: Column<LedgerEntry>[] = [
  { header: c.when, rowHeader: true, cell: e => <DateTime value={e.created_at} /> },
  { header: c.kind, cell: e => KINDS[e.kind] ?? e.kind.replaceAll('_', ' ') },
  {
    header: c.reason,
    cell: e =>
      e.order_id === null ? e.reason : <Link to={`/orders/${encodeURIComponent(e.order_id)}`}>{e.reason}</Link>,
  },
  { header: c.delta, numeric: true, cell: e => <Money value={e.delta} currency={e.currency} /> },
  { header: c.after, numeric: true, cell: e => <Money value={e.balance_after} currency={e.currency} /> },
]

/** The balance, a crypto top-up, the ledger (paged in the URL) and the crypto payments. */
export function BalancePage() {
  const page = usePageParam()
  const paymentsPage = usePageParam('payments')
  const location = useLocation()
  // "Top up" links from the order pages land on the form.
  useEffect(() => {
    if (location.hash === '#top-up') document.getElementById('top-up')?.focus()
  }, [location.hash])
  const balance = useQuery(balanceQuery())
  const ledger = useQuery({ ...ledgerQuery({ page }), placeholderData: keepPreviousData })
  const payments = useQuery({
    ...transactionsQuery({ page: paymentsPage, perPage: PAYMENTS_PER_PAGE }),
    placeholderData: keepPreviousData,
  })
  return (
    <Page title={c.title}>
      <Section title={c.current}>
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
      <section className="section" aria-labelledby="top-up">
        <div className="section-head">
          <h2 id="top-up" tabIndex={-1}>
            {c.topUp}
          </h2>
        </div>
        <TopUpForm />
      </section>
      <Section title={c.ledger}>
        {ledger.isError ? (
          <ErrorAlert error={ledger.error} />
        ) : (
          <>
            <DataTable
              caption={c.ledger}
              captionHidden
              columns={ledgerColumns}
              rows={ledger.data?.data}
              rowKey={e => e.id}
              loading={ledger.isPending}
              empty={c.ledgerEmpty}
            />
            {ledger.data && <Pager page={page} pages={ledger.data.meta.pages} label={c.ledgerPages} />}
          </>
        )}
      </Section>
      <Section title={c.payments}>
        {payments.isError ? (
          <ErrorAlert error={payments.error} />
        ) : (
          <>
            <DataTable
              caption={c.payments}
              captionHidden
              columns={paymentColumns}
              rows={payments.data?.data}
              rowKey={p => p.id}
              loading={payments.isPending}
              empty={c.paymentsEmpty}
            />
            {payments.data && (
              <Pager page={paymentsPage} pages={payments.data.meta.pages} label={c.paymentPages} name="payments" />
            )}
          </>
        )}
      </Section>
    </Page>
  )
}
