import { useNavigate } from 'react-router'
import { useRevokeAllSessions, useRevokeSession, useSessions, type SessionRow } from '../../api/account.ts'
import { useLogout } from '../../api/auth.ts'
import { t } from '../../lib/i18n/index.ts'
import { Badge, Button, DataTable, DateTime, ErrorAlert, Section, useToast, type Column } from '../../ui/index.ts'

/** Where the user is logged in; any session can be logged out, the current one logs this browser out. */
export function SessionsPage() {
  const sessions = useSessions()
  const toast = useToast()
  const navigate = useNavigate()
  const revoke = useRevokeSession({ onSuccess: () => toast.success(t.account.sessionRevoked) })
  const revokeAll = useRevokeAllSessions({ onSuccess: n => toast.success(t.account.logoutEverywhereDone({ n })) })
  const logout = useLogout({ onSuccess: () => void navigate('/login', { replace: true }) })
  const device = (s: SessionRow) => s.user_agent ?? t.account.sessionUnknownDevice
  const columns: Column<SessionRow>[] = [
    {
      header: t.account.sessionDevice,
      rowHeader: true,
      cell: s => (
        <>
          {device(s)} {s.current && <Badge tone="info">{t.account.sessionCurrent}</Badge>}
        </>
      ),
    },
    { header: t.account.sessionAddress, cell: s => s.ip ?? '—' },
    { header: t.account.sessionCreated, cell: s => <DateTime value={s.created_at} /> },
    { header: t.account.sessionLastSeen, cell: s => <DateTime value={s.last_seen_at} relative /> },
    { header: t.account.sessionExpires, cell: s => <DateTime value={s.expires_at} /> },
    {
      header: t.account.keyActions,
      cell: s =>
        s.current ? (
          <Button variant="secondary" pending={logout.isPending} onClick={() => logout.mutate()}>
            {t.account.sessionLogoutHere}
          </Button>
        ) : (
          <Button
            variant="secondary"
            aria-label={t.account.sessionRevokeLabel({ device: device(s) })}
            pending={revoke.isPending && revoke.variables === s.id}
            onClick={() => revoke.mutate(s.id)}
          >
            {t.account.sessionRevoke}
          </Button>
        ),
    },
  ]
  const others = sessions.data?.filter(s => !s.current).length ?? 0
  return (
    <Section
      title={t.account.sessionsTitle}
      actions={
        <Button
          variant="danger"
          disabled={others === 0}
          pending={revokeAll.isPending}
          onClick={() => revokeAll.mutate()}
        >
          {t.account.logoutEverywhere}
        </Button>
      }
    >
      {sessions.isError && <ErrorAlert error={sessions.error} />}
      {revoke.isError && <ErrorAlert error={revoke.error} />}
      {revokeAll.isError && <ErrorAlert error={revokeAll.error} />}
      <DataTable
        caption={t.account.sessionsTitle}
        captionHidden
        columns={columns}
        rows={sessions.data}
        rowKey={s => s.id}
        loading={sessions.isPending}
        empty={t.account.sessionsNone}
      />
    </Section>
  )
}
