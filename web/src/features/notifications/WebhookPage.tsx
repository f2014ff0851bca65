import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import {
  deliveriesQuery,
  deliveryQuery,
  useDeleteWebhook,
  useReplayDelivery,
  useRotateWebhookSecret,
  useUpdateWebhook,
  webhookQuery,
  type RotatedSecret,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../../api/webhooks.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Alert,
  Button,
  DataTable,
  DateTime,
  DetailFallback,
  Dialog,
  ErrorAlert,
  Page,
  Section,
  Select,
  Skeleton,
  Status,
  useToast,
} from '../../ui/index.ts'
import { Pager, usePageParam } from '../orders/Pager.tsx'
import { eventsSummary } from './event-labels.ts'
import { SecretOnce } from './SecretOnce.tsx'

const c = t.portal.webhooks
const LABELS: Record<string, string> = t.portal.eventTypes
const LIVE_DELIVERY = new Set(['pending', 'sending'])
const POLL_MS = 5000

/** One endpoint: its state, enable/disable, secret rotation, delete, and the delivery log with replay. */
export function WebhookPage() {
  const { endpointId = '' } = useParams()
  const q = useQuery(webhookQuery(endpointId))
  const back = <Link to="/notifications">{c.back}</Link>
  if (!q.isSuccess) return <DetailFallback query={q} title={c.endpointLoading} back={back} lines={6} />
  const w = q.data
  return (
    <Page title={c.endpointTitle} back={back} description={<code className="break">{w.url}</code>}>
      <Section title={c.overview}>
        <Overview endpoint={w} />
        <EndpointActions endpoint={w} />
      </Section>
      <Section title={c.deliveries}>
        <Deliveries endpointId={w.id} />
      </Section>
    </Page>
  )
}

function Overview({ endpoint: w }: { endpoint: WebhookEndpoint }) {
  return (
    <dl className="facts">
      <div>
        <dt>{c.status}</dt>
        <dd>
          <Status status={w.status} />
          {w.disabled_reason !== null && <> {c.disabledBecause({ reason: w.disabled_reason })}</>}
        </dd>
      </div>
      <div>
        <dt>{c.events}</dt>
        <dd>{eventsSummary(w.events)}</dd>
      </div>
      {w.description !== '' && (
        <div>
          <dt>{c.description}</dt>
          <dd>{w.description}</dd>
        </div>
      )}
      {w.failing_since !== null && (
        <div>
          <dt>{c.failingSince}</dt>
          <dd>
            <DateTime value={w.failing_since} relative />
          </dd>
        </div>
      )}
      {w.previous_secret_valid_until !== null && (
        <div>
          <dt>{c.previousSecret}</dt>
          <dd>
            <DateTime value={w.previous_secret_valid_until} relative />
          </dd>
        </div>
      )}
      <div>
        <dt>{c.created}</dt>
        <dd>
          <DateTime value={w.created_at} />
        </dd>
      </div>
    </dl>
  )
}

function EndpointActions({ endpoint: w }: { endpoint: WebhookEndpoint }) {
  const toast = useToast()
  const navigate = useNavigate()
  const [dialog, setDialog] = useState<'rotate' | 'delete' | null>(null)
  const [rotated, setRotated] = useState<RotatedSecret | null>(null)
  const [keepHours, setKeepHours] = useState('24')
  const update = useUpdateWebhook({
    onSuccess: e => toast.success(e.status === 'enabled' ? c.enabledToast : c.disabledToast),
  })
  const rotate = useRotateWebhookSecret({ onSuccess: r => setRotated(r) })
  const remove = useDeleteWebhook({
    onSuccess: () => {
      toast.success(c.deletedToast)
      void navigate('/notifications', { replace: true })
    },
  })
  const enabled = w.status === 'enabled'
  const close = (open: boolean) => {
    if (!open) {
      setDialog(null)
      setRotated(null)
      rotate.reset()
      remove.reset()
    }
  }
  return (
    <div>
      <p className="actions">
        <Button
          variant="secondary"
          pending={update.isPending}
          pendingLabel={t.form.saving}
          onClick={() => update.mutate({ id: w.id, body: { enabled: !enabled } })}
        >
          {enabled ? c.disable : c.enable}
        </Button>
        <Button variant="secondary" onClick={() => setDialog('rotate')}>
          {c.rotate}
        </Button>
        <Button variant="danger" onClick={() => setDialog('delete')}>
          {c.delete}
        </Button>
      </p>
      {update.error !== null && <ErrorAlert error={update.error} />}
      <Dialog
        open={dialog === 'rotate'}
        onOpenChange={close}
        dismissable={!rotate.isPending}
        title={c.rotateTitle}
        description={c.rotateBody}
        footer={
          rotated === null && (
            <Button
              pending={rotate.isPending}
              pendingLabel={c.rotating}
              onClick={() => rotate.mutate({ id: w.id, keepPreviousHours: Number(keepHours) })}
            >
              {c.rotateConfirm}
            </Button>
          )
        }
      >
        {rotated !== null ? (
          <SecretOnce secret={rotated.secret} />
        ) : (
          <Select
            label={c.keepPrevious}
            value={keepHours}
            onChange={e => setKeepHours(e.target.value)}
            options={['0', '24', '72', '168'].map(h => ({ value: h, label: c.keepHours({ hours: Number(h) }) }))}
          />
        )}
        {rotate.error !== null && <ErrorAlert error={rotate.error} />}
      </Dialog>
      <Dialog
        open={dialog === 'delete'}
        onOpenChange={close}
        dismissable={!remove.isPending}
        title={c.deleteTitle}
        description={c.deleteBody}
        footer={
          <Button
            variant="danger"
            pending={remove.isPending}
            pendingLabel={c.deleting}
            onClick={() => remove.mutate({ id: w.id })}
          >
            {c.deleteConfirm}
          </Button>
        }
      >
        {remove.error !== null && <ErrorAlert error={remove.error} />}
      </Dialog>
    </div>
  )
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const page = usePageParam()
  const q = useQuery({
    ...deliveriesQuery(endpointId, { page }),
    placeholderData: keepPreviousData,
    refetchInterval: query => (query.state.data?.data.some(d => LIVE_DELIVERY.has(d.state)) ? POLL_MS : false),
  })
  const [open, setOpen] = useState<string | null>(null)
  const toast = useToast()
  const replay = useReplayDelivery({ onSuccess: () => toast.success(c.replayed) })
  if (q.isError) return <ErrorAlert error={q.error} />
  return (
    <>
      {replay.error !== null && <ErrorAlert error={replay.error} title={c.replayFailed} />}
      <DataTable<WebhookDelivery>
        caption={c.deliveries}
        captionHidden
        rows={q.data?.data}
        loading={q.isPending}
        rowKey={d => d.id}
        empty={c.noDeliveries}
        columns={[
          { header: c.when, rowHeader: true, cell: d => <DateTime value={d.created_at} /> },
          { header: c.event, cell: d => LABELS[d.event_type] ?? d.event_type },
          { header: c.state, cell: d => <Status status={d.state} /> },
          { header: c.attempts, numeric: true, cell: d => d.attempts },
          { header: c.lastStatus, numeric: true, cell: d => d.last_status ?? '—' },
          { header: c.nextAttempt, cell: d => <DateTime value={d.next_attempt_at} empty="—" /> },
          {
            header: c.actions,
            cell: d => (
              <span className="actions">
                <Button
                  variant="link"
                  aria-expanded={open === d.id}
                  onClick={() => setOpen(open === d.id ? null : d.id)}
                >
                  {open === d.id ? c.hideAttempts : c.showAttempts}
                </Button>
                <Button
                  variant="secondary"
                  pending={replay.isPending && replay.variables.deliveryId === d.id}
                  pendingLabel={c.replaying}
                  disabled={LIVE_DELIVERY.has(d.state)}
                  onClick={() => replay.mutate({ id: endpointId, deliveryId: d.id })}
                >
                  {c.replay}
                </Button>
              </span>
            ),
          },
        ]}
      />
      {q.data && <Pager page={page} pages={q.data.meta.pages} label={c.deliveryPages} />}
      {open !== null && <Attempts endpointId={endpointId} deliveryId={open} />}
    </>
  )
}

function Attempts({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const q = useQuery(deliveryQuery(endpointId, deliveryId))
  const headingId = useId()
  return (
    <section className="attempts" aria-labelledby={headingId}>
      <h3 id={headingId}>{c.attemptsTitle({ id: deliveryId })}</h3>
      {q.isPending ? (
        <Skeleton lines={3} />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : q.data.attempt_log.length === 0 ? (
        <p>{c.noAttempts}</p>
      ) : (
        <ol className="attempt-list">
          {q.data.attempt_log.map(a => (
            <li key={a.attempt}>
              <p>
                {c.attemptLine({ n: a.attempt, outcome: a.outcome, ms: a.latency_ms })}{' '}
                <DateTime value={a.started_at} />
                {a.status !== null && <> · {c.httpStatus({ status: a.status })}</>}
              </p>
              {a.error !== null && <Alert tone="warning">{a.error}</Alert>}
              {a.response_excerpt !== '' && (
                <details>
                  <summary>{c.response}</summary>
                  <pre className="break">{a.response_excerpt}</pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
