import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { mailDeliveriesQuery, mailPreferencesQuery, type MailDelivery } from '../../api/notifications.ts'
import { webhooksQuery, type WebhookEndpoint } from '../../api/webhooks.ts'
import { t } from '../../lib/i18n/index.ts'
import { DataTable, DateTime, ErrorAlert, Page, Section, Skeleton, Status, type Column } from '../../ui/index.ts'
import { Pager, usePageParam } from '../orders/Pager.tsx'
import { eventsSummary } from './event-labels.ts'
import { MailPreferencesForm } from './MailPreferencesForm.tsx'
import { WebhookForm } from './WebhookForm.tsx'

const c = t.portal.webhooks
const m = t.portal.mail
const LABELS: Record<string, string> = t.portal.eventTypes

const endpointColumns: Column<WebhookEndpoint>[] = [
  {
    header: c.url,
    rowHeader: true,
    cell: w => (
      <Link className="break" to={`/notifications/webhooks/${encodeURIComponent(w.id)}`}>
        {w.url}
      </Link>
    ),
  },
  { header: c.status, cell: w => <Status status={w.status} /> },
  { header: c.events, cell: w => eventsSummary(w.events) },
  { header: c.description, cell: w => w.description || '—' },
  { header: c.created, cell: w => <DateTime value={w.created_at} /> },
]

const mailColumns: Column<MailDelivery>[] = [
  { header: m.when, rowHeader: true, cell: d => <DateTime value={d.created_at} /> },
  { header: m.event, cell: d => LABELS[d.event_type] ?? d.event_type },
  { header: m.to, cell: d => d.address },
  { header: m.state, cell: d => <Status status={d.state} /> },
  { header: m.sent, cell: d => <DateTime value={d.sent_at} empty="—" /> },
]

/** Webhook endpoints (list, register) and mail notifications (preferences, what was sent). */
export function NotificationsPage() {
  const page = usePageParam()
  const mailPage = usePageParam('mail')
  const endpoints = useQuery({ ...webhooksQuery({ page, perPage: 20 }), placeholderData: keepPreviousData })
  const prefs = useQuery(mailPreferencesQuery())
  const mails = useQuery({ ...mailDeliveriesQuery({ page: mailPage }), placeholderData: keepPreviousData })
  return (
    <Page title={c.pageTitle}>
      <Section title={c.title}>
        <p>{c.intro}</p>
        {endpoints.isError ? (
          <ErrorAlert error={endpoints.error} />
        ) : (
          <>
            <DataTable
              caption={c.title}
              captionHidden
              columns={endpointColumns}
              rows={endpoints.data?.data}
              rowKey={w => w.id}
              loading={endpoints.isPending}
              empty={c.none}
            />
            {endpoints.data && <Pager page={page} pages={endpoints.data.meta.pages} label={c.pages} />}
          </>
        )}
        <h3>{c.add}</h3>
        <WebhookForm />
      </Section>
      <Section title={m.title}>
        {prefs.isPending ? (
          <Skeleton lines={4} />
        ) : prefs.isError ? (
          <ErrorAlert error={prefs.error} />
        ) : (
          <MailPreferencesForm preferences={prefs.data} />
        )}
        <h3>{m.recent}</h3>
        {mails.isError ? (
          <ErrorAlert error={mails.error} />
        ) : (
          <>
            <DataTable
              caption={m.recent}
              captionHidden
              columns={mailColumns}
              rows={mails.data?.data}
              rowKey={d => d.id}
              loading={mails.isPending}
              empty={m.none}
            />
            {mails.data && <Pager page={mailPage} pages={mails.data.meta.pages} label={m.pages} name="mail" />}
          </>
        )}
      </Section>
    </Page>
  )
}
