import { zodResolver } from '@hookform/resolvers/zod'
import { useId, useState } from 'react'
import { useForm } from 'react-hook-form'
import {
  usePleskLogin,
  useSetFtpPassword,
  useSetSubscriptionAutoRenew,
  type PleskAction,
  type SubscriptionDetail,
} from '../../api/plesk.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Alert,
  DataTable,
  DateTime,
  ErrorAlert,
  GuardedButton,
  openPendingWindow,
  Status,
  TextInput,
  useServerErrors,
  useToast,
} from '../../ui/index.ts'
import {
  ftpPasswordSchema,
  FTP_PASSWORD_MIN,
  type FtpPasswordInput,
  type FtpPasswordValues,
} from './ftp-password.schema.ts'
import { manageRefusalText, pleskActionName } from './manage-text.ts'
import type { ManageVerdict } from './subscription-actions.ts'

const c = t.portal.pleskManage
const f = t.portal.ftp

type Sub = SubscriptionDetail['subscription']

/** The auto-renew switch: the subscription's value, and the new one only once the API accepted it. */
export function SubscriptionAutoRenew({ subscription, verdict }: { subscription: Sub; verdict: ManageVerdict }) {
  const toast = useToast()
  const set = useSetSubscriptionAutoRenew({
    onSuccess: (_d, v) => toast.success(v.on ? c.autoRenewOn : c.autoRenewOff),
  })
  const hintId = useId()
  const on = subscription.auto_renew
  const reason = manageRefusalText(verdict)
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
          onChange={e => set.mutate({ subscription_id: subscription.id, on: e.target.checked })}
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
 * A new FTP password, typed twice. It goes to the API once and is never shown again: the form is
 * emptied as soon as the API has accepted it (the job sets it in Plesk; its progress is in the list).
 */
export function FtpPasswordForm({ subscriptionId, verdict }: { subscriptionId: string; verdict: ManageVerdict }) {
  const toast = useToast()
  const form = useForm<FtpPasswordInput, unknown, FtpPasswordValues>({
    resolver: zodResolver(ftpPasswordSchema),
    defaultValues: { password: '', confirm: '' },
  })
  const server = useServerErrors(form.setError, ['password'])
  const set = useSetFtpPassword({
    onSuccess: () => {
      form.reset()
      toast.success(f.queued)
    },
    onError: err => server.handle(err),
  })
  const reason = manageRefusalText(verdict)
  const submit = form.handleSubmit(v => {
    server.clear()
    set.mutate({ subscription_id: subscriptionId, password: v.password })
  })
  const e = form.formState.errors
  return (
    <form noValidate onSubmit={ev => void submit(ev)} aria-label={f.title}>
      <TextInput
        label={f.password}
        hint={f.passwordHint({ min: FTP_PASSWORD_MIN })}
        type="password"
        autoComplete="new-password"
        required
        disabled={reason !== null}
        error={e.password?.message}
        {...form.register('password')}
      />
      <TextInput
        label={f.confirm}
        type="password"
        autoComplete="new-password"
        required
        disabled={reason !== null}
        error={e.confirm?.message}
        {...form.register('confirm')}
      />
      {server.formError !== null && <ErrorAlert error={server.formError} title={f.failed} />}
      <p className="actions">
        <GuardedButton type="submit" reason={reason} pending={set.isPending} pendingLabel={f.sending}>
          {f.submit}
        </GuardedButton>
      </p>
    </form>
  )
}

/** "Open Plesk": mints a one-time login link on the click and opens it in a new tab. */
export function OpenPlesk({ subscriptionId, verdict }: { subscriptionId: string; verdict: ManageVerdict }) {
  const [blocked, setBlocked] = useState<string | null>(null)
  const login = usePleskLogin()
  const hintId = useId()
  const reason = manageRefusalText(verdict)
  return (
    <div className="manage-item">
      <GuardedButton
        reason={reason}
        aria-describedby={reason === null ? hintId : undefined}
        pending={login.isPending}
        pendingLabel={c.opening}
        onClick={() => {
          setBlocked(null)
          const tab = openPendingWindow()
          login.mutate(
            { subscription_id: subscriptionId },
            {
              onSuccess: res => {
                if (tab.opened) tab.go(res.url)
                else setBlocked(res.url)
              },
              onError: () => tab.close(),
            },
          )
        }}
      >
        {c.openPlesk}
      </GuardedButton>
      {reason === null && (
        <p id={hintId} className="field-hint">
          {c.openPleskHint}
        </p>
      )}
      {login.error !== null && <ErrorAlert error={login.error} />}
      {blocked !== null && (
        <Alert tone="warning" title={c.pleskBlocked}>
          <p>
            <a href={blocked} target="_blank" rel="noopener noreferrer" onClick={() => setBlocked(null)}>
              {c.pleskLink}
            </a>
          </p>
        </Alert>
      )}
    </div>
  )
}

export function PleskActionsTable({
  actions,
  loading,
}: {
  actions: readonly PleskAction[] | undefined
  loading: boolean
}) {
  return (
    <DataTable<PleskAction>
      caption={c.actions}
      captionHidden
      rows={actions}
      loading={loading}
      rowKey={a => a.id}
      empty={c.noActions}
      columns={[
        { header: c.action, rowHeader: true, cell: a => pleskActionName(a.action) },
        { header: c.status, cell: a => <Status status={a.status} /> },
        { header: c.requested, cell: a => <DateTime value={a.created_at} /> },
        { header: c.finished, cell: a => (a.finished_at === null ? '—' : <DateTime value={a.finished_at} />) },
        { header: c.error, cell: a => a.error ?? '—' },
      ]}
    />
  )
}
