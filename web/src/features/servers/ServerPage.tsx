import { useQuery } from '@tanstack/react-query'
import { lazy, Suspense, useId, useState } from 'react'
import { Link, useParams } from 'react-router'
import { vpsPlansQuery } from '../../api/catalog.ts'
import { isOpenOrderStatus, ordersQuery } from '../../api/orders.ts'
import {
  serverActionsQuery,
  serverAddonsQuery,
  serverQuery,
  useCancelService,
  useSetAutoRenew,
  type Server,
  type ServerAddon,
} from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Alert,
  Button,
  DataTable,
  DateTime,
  DetailFallback,
  Dialog,
  ErrorAlert,
  Money,
  Page,
  Section,
  Skeleton,
  Status,
  useToast,
} from '../../ui/index.ts'
import { CancelDialog } from '../services/CancelDialog.tsx'
import { ActionsTable } from './ActionsTable.tsx'
import { ConsoleAccess } from './ConsoleAccess.tsx'
import { formatGB, formatGiB } from './format.ts'
import { installedOs } from './os-images.ts'
import { PowerPanel } from './PowerPanel.tsx'
import { ReinstallDialog } from './ReinstallDialog.tsx'
import { RescueMode } from './RescueMode.tsx'
import { RootPassword } from './RootPassword.tsx'
import { refusalText } from './refusal-text.ts'
import { pendingAction, serverActions, TRANSIENT_SERVER_STATUSES, type Verdict } from './server-actions.ts'

const c = t.portal.server
const m = t.portal.manage
const BOOT_MODES: Record<string, string> = m.bootModes

const bootModeText = (mode: string | null): string => (mode === null ? m.bootUnknown : (BOOT_MODES[mode] ?? mode))

// The charts library is most of this page's code: loaded only when the usage section renders.
const UsageCharts = lazy(async () => ({ default: (await import('./UsageCharts.tsx')).UsageCharts }))

/** Polling while something is on its way (STYLE-web rule 5). */
const SERVER_POLL_MS = 4000
const ACTION_POLL_MS = 2000

/** One server: state, addresses, usage, power, orders on it, auto-renew and cancellation. */
export function ServerPage() {
  const { serverId = '' } = useParams()
  const server = useQuery({
    ...serverQuery(serverId),
    refetchInterval: q => (q.state.data && TRANSIENT_SERVER_STATUSES.has(q.state.data.status) ? SERVER_POLL_MS : false),
  })
  const actions = useQuery({
    ...serverActionsQuery(serverId),
    enabled: server.isSuccess,
    refetchInterval: q => (q.state.data && pendingAction(q.state.data) !== null ? ACTION_POLL_MS : false),
  })
  const plans = useQuery({ ...vpsPlansQuery(), enabled: server.isSuccess })
  const orders = useQuery({
    ...ordersQuery({ page: 1, perPage: 50 }),
    refetchInterval: q =>
      q.state.data?.data.some(o => o.server_id === serverId && isOpenOrderStatus(o.status)) ? SERVER_POLL_MS : false,
  })

  const back = <Link to="/servers">{c.backToServers}</Link>
  if (!server.isSuccess) return <DetailFallback query={server} title={c.titleLoading} back={back} lines={8} />
  const s = server.data
  const verdicts = serverActions(s, {
    actions: actions.data ?? [],
    orders: orders.data?.data ?? [],
    now: new Date(),
  })
  const base = `/servers/${encodeURIComponent(s.id)}`
  const cancelAt = s.cancel_at ?? null
  return (
    <Page title={s.name} back={back} description={<Status status={s.status} />}>
      {cancelAt !== null && (
        <Alert tone="warning" title={c.cancelledTitle}>
          <p>
            {c.cancelledBody} <DateTime value={cancelAt} relative />
          </p>
        </Alert>
      )}
      <Section title={c.overview}>
        <Overview server={s} />
      </Section>

      <Section title={c.power}>
        {actions.isError && <ErrorAlert error={actions.error} />}
        <PowerPanel serverId={s.id} verdict={verdicts.power} actions={actions.data ?? []} />
      </Section>

      <Section title={m.title}>
        <dl className="facts">
          <div>
            <dt>{m.os}</dt>
            <dd>{installedOs(plans.data, s.plan_id, s.os_image_id)}</dd>
          </div>
          <div>
            <dt>{m.bootMode}</dt>
            <dd aria-live="polite">{bootModeText(s.boot_mode ?? null)}</dd>
          </div>
        </dl>
        <div className="manage">
          <ReinstallDialog server={s} verdict={verdicts.reinstall} />
          <RootPassword serverId={s.id} verdict={verdicts.resetPassword} actions={actions.data ?? []} />
          <ConsoleAccess serverId={s.id} verdict={verdicts.console} />
          <RescueMode serverId={s.id} bootMode={s.boot_mode ?? null} verdict={verdicts.rescue} />
        </div>
      </Section>

      <Section title={m.actions}>
        <ActionsTable
          actions={actions.data}
          loading={actions.isPending}
          osNameOf={id => installedOs(plans.data, s.plan_id, id)}
        />
      </Section>

      <Section title={c.term}>
        <dl className="facts">
          <div>
            <dt>{c.expires}</dt>
            <dd>
              <DateTime value={s.expire_date} style="date" relative />
            </dd>
          </div>
          <div>
            <dt>{c.price}</dt>
            <dd>
              <Money value={s.plan_price} /> {c.perTerm}
            </dd>
          </div>
        </dl>
        <AutoRenew server={s} verdict={verdicts.autoRenew} />
        <ul className="action-list">
          <ActionLink to={`${base}/extend`} label={c.extend} verdict={verdicts.extend} />
          <ActionLink to={`${base}/plan`} label={c.changePlan} verdict={verdicts.changePlan} />
        </ul>
        <Cancellation server={s} cancel={verdicts.cancel} cancelNow={verdicts.cancelNow} undo={verdicts.undoCancel} />
      </Section>

      <Section title={c.addons}>
        <Addons serverId={s.id} serverGone={verdicts.cancelNow.allowed ? null : refusalText(verdicts.cancelNow)} />
        <ul className="action-list">
          <ActionLink to={`${base}/addon`} label={c.buyAddon} verdict={verdicts.addon} />
        </ul>
      </Section>

      <Section title={t.portal.usage.title}>
        {s.id_solusvm === null || s.status === 'provision_failed' || s.status === 'deleted' ? (
          <p>{t.portal.usage.unavailable}</p>
        ) : (
          <Suspense fallback={<Skeleton lines={6} />}>
            <UsageCharts serverId={s.id} />
          </Suspense>
        )}
      </Section>
    </Page>
  )
}

function Overview({ server: s }: { server: Server }) {
  const assigned = s.addons.filter(a => a.status === 'assigned' && a.assigned_value !== '').map(a => a.assigned_value)
  const extra = [...new Set([...(s.extra_ips ?? []), ...assigned])].filter(ip => ip !== s.primary_ip)
  return (
    <dl className="facts">
      <div>
        <dt>{c.status}</dt>
        <dd aria-live="polite">
          <Status status={s.status} />
          {(s.power_status ?? null) !== null && <> {c.powerStatus({ state: s.power_status ?? '' })}</>}
        </dd>
      </div>
      <div>
        <dt>{c.primaryIp}</dt>
        <dd>{s.primary_ip === null ? c.noIp : <code>{s.primary_ip}</code>}</dd>
      </div>
      {extra.length > 0 && (
        <div>
          <dt>{c.extraIps}</dt>
          <dd>
            <ul className="plain-list">
              {extra.map(ip => (
                <li key={ip}>
                  <code>{ip}</code>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
      <div>
        <dt>{c.specs}</dt>
        <dd>
          {c.specsValue({ vcpu: s.cpu_cores, ram: formatGiB(s.ram), disk: formatGB(s.disk), diskType: s.disk_type })}
        </dd>
      </div>
      <div>
        <dt>{c.location}</dt>
        <dd>{s.location}</dd>
      </div>
      <div>
        <dt>{c.created}</dt>
        <dd>
          <DateTime value={s.created_at} />
        </dd>
      </div>
    </dl>
  )
}

/** A link to an order page, or a disabled button with its reason when the state forbids it. */
function ActionLink({ to, label, verdict }: { to: string; label: string; verdict: Verdict }) {
  const reasonId = useId()
  const reason = refusalText(verdict)
  return (
    <li>
      {reason === null ? (
        <Link className="btn btn-secondary" to={to}>
          {label}
        </Link>
      ) : (
        <>
          <Button variant="secondary" disabled aria-describedby={reasonId}>
            {label}
          </Button>{' '}
          <span id={reasonId} className="field-hint">
            {reason}
          </span>
        </>
      )}
    </li>
  )
}

/** The auto-renew switch: shows the server's value, and the new one only once the API accepted it. */
function AutoRenew({ server, verdict }: { server: Server; verdict: Verdict }) {
  const toast = useToast()
  const set = useSetAutoRenew({ onSuccess: (_d, v) => toast.success(v.on ? c.autoRenewOn : c.autoRenewOff) })
  const hintId = useId()
  const on = server.auto_renew === 1
  const reason = refusalText(verdict)
  return (
    <div className="field">
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={on}
          disabled={!verdict.allowed || set.isPending}
          aria-describedby={hintId}
          aria-busy={set.isPending || undefined}
          onChange={e => set.mutate({ server_id: server.id, on: e.target.checked })}
        />{' '}
        {c.autoRenew}
      </label>
      <p id={hintId} className="field-hint">
        {set.isPending ? c.saving : (reason ?? (on ? c.autoRenewHintOn : c.autoRenewHintOff))}
      </p>
      {set.error !== null && <ErrorAlert error={set.error} />}
    </div>
  )
}

/**
 * Cancelling (end of term or now, with the API's preview, in CancelDialog) and undoing an
 * end-of-term cancellation while it is still ahead.
 */
function Cancellation({
  server,
  cancel,
  cancelNow,
  undo,
}: {
  server: Server
  cancel: Verdict
  cancelNow: Verdict
  undo: Verdict
}) {
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const mutation = useCancelService({
    onSuccess: () => {
      setOpen(false)
      toast.success(c.undoneToast)
    },
  })
  const pending = (server.cancel_at ?? null) !== null
  const reason = refusalText(undo)
  const reasonId = useId()
  return (
    <div className="cancellation">
      <CancelDialog
        serviceId={server.id}
        title={c.cancelTitle}
        openLabel={c.cancel}
        choices={{ endOfTerm: refusalText(cancel), immediate: refusalText(cancelNow) }}
      />
      {pending && (
        <>
          <Button
            variant="secondary"
            disabled={!undo.allowed}
            aria-describedby={reason === null ? undefined : reasonId}
            onClick={() => {
              mutation.reset()
              setOpen(true)
            }}
          >
            {c.undoCancel}
          </Button>
          {reason !== null && (
            <p id={reasonId} className="field-hint">
              {reason}
            </p>
          )}
        </>
      )}
      <Dialog
        open={open}
        onOpenChange={setOpen}
        dismissable={!mutation.isPending}
        title={c.undoTitle}
        description={c.undoBody}
        footer={
          <Button
            pending={mutation.isPending}
            pendingLabel={c.saving}
            onClick={() => mutation.mutate({ service_id: server.id, undo: true })}
          >
            {c.undoConfirm}
          </Button>
        }
      >
        {mutation.error !== null && <ErrorAlert error={mutation.error} />}
      </Dialog>
    </div>
  )
}

/** Addons that can still be cancelled (the API ends only an assigned one). */
const CANCELLABLE_ADDON_STATUSES: ReadonlySet<string> = new Set(['assigned'])

function Addons({ serverId, serverGone }: { serverId: string; serverGone: string | null }) {
  const q = useQuery(serverAddonsQuery(serverId))
  if (q.isError) return <ErrorAlert error={q.error} />
  return (
    <DataTable<ServerAddon>
      caption={c.addons}
      captionHidden
      rows={q.data}
      loading={q.isPending}
      rowKey={a => a.id}
      empty={c.noAddons}
      columns={[
        { header: c.addonName, rowHeader: true, cell: a => a.addon_name },
        { header: c.status, cell: a => <Status status={a.status} /> },
        { header: c.addonValue, cell: a => (a.assigned_value === '' ? '—' : <code>{a.assigned_value}</code>) },
        { header: c.price, numeric: true, cell: a => <Money value={a.assigned_price} /> },
        { header: c.created, cell: a => <DateTime value={a.created_at} /> },
        {
          header: t.portal.cancel.addonColumn,
          cell: a => {
            const refused =
              serverGone ?? (CANCELLABLE_ADDON_STATUSES.has(a.status) ? null : t.portal.cancel.addonNotActive)
            const cancelAt = a.cancel_at ?? null
            return (
              <CancelDialog
                serviceId={a.id}
                serverId={serverId}
                title={t.portal.cancel.addonTitle({ name: a.addon_name })}
                openLabel={t.portal.cancel.addonCancelLabel({ name: a.addon_name })}
                choices={{
                  endOfTerm:
                    refused ??
                    (cancelAt === null ? null : refusalText({ allowed: false, reason: 'cancelPending', cancelAt })),
                  immediate: refused,
                }}
              />
            )
          },
        },
      ]}
    />
  )
}
