import { useState } from 'react'
import { useOpenConsole, type ConsoleAccess as Access } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, DateTime, Dialog, ErrorAlert, GuardedButton, openPendingWindow, Secret } from '../../ui/index.ts'
import { refusalText } from './refusal-text.ts'
import type { Verdict } from './server-actions.ts'
import { consoleLink } from './console-link.ts'

const c = t.portal.manage

/**
 * The VNC console: each click mints a fresh link and password (bearer secrets, never cached),
 * opens the link in a new tab and shows the password to paste there, with its expiry.
 */
export function ConsoleAccess({ serverId, verdict }: { serverId: string; verdict: Verdict }) {
  const [shown, setShown] = useState<{ access: Access; blocked: boolean } | null>(null)
  const open = useOpenConsole()
  return (
    <div className="manage-item">
      <GuardedButton
        variant="secondary"
        reason={refusalText(verdict)}
        pending={open.isPending}
        pendingLabel={c.sending}
        onClick={() => {
          const tab = openPendingWindow()
          open.mutate(
            { server_id: serverId },
            {
              onSuccess: access => {
                const link = consoleLink(access.url)
                if (link.kind === 'page') tab.go(link.href)
                else tab.close()
                setShown({ access, blocked: link.kind === 'page' && !tab.opened })
              },
              onError: () => tab.close(),
            },
          )
        }}
      >
        {c.console}
      </GuardedButton>
      {open.error !== null && <ErrorAlert error={open.error} />}
      <Dialog
        open={shown !== null}
        onOpenChange={o => {
          if (!o) {
            setShown(null)
            open.reset()
          }
        }}
        title={c.consoleTitle}
        description={
          shown !== null && consoleLink(shown.access.url).kind === 'socket' ? c.consoleBodySocket : c.consoleBody
        }
      >
        {shown !== null && (
          <>
            {shown.blocked && <Alert tone="warning" title={c.consoleBlocked} />}
            <Secret label={c.consolePassword} value={shown.access.password} copyLabel={c.copyConsolePassword} />
            <p>
              {c.consoleExpires} <DateTime value={shown.access.expires_at} relative />
            </p>
            <ConsoleLinkView url={shown.access.url} />
          </>
        )}
      </Dialog>
    </div>
  )
}

function ConsoleLinkView({ url }: { url: string }) {
  const link = consoleLink(url)
  if (link.kind === 'page') {
    return (
      <p>
        <a href={link.href} target="_blank" rel="noopener noreferrer">
          {c.consoleLink}
        </a>
      </p>
    )
  }
  if (link.kind === 'socket') {
    return (
      <Secret
        label={c.consoleSocket}
        value={link.url}
        copyLabel={c.copyConsoleSocket}
        note={c.consoleSocketHint}
        autoFocus={false}
      />
    )
  }
  return <Alert tone="error" title={c.consoleInvalid} />
}
