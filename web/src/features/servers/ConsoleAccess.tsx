import { useId, useState } from 'react'
import { useOpenConsole, type ConsoleAccess as Access } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, DateTime, Dialog, ErrorAlert, GuardedButton, Secret } from '../../ui/index.ts'
import { refusalText } from './refusal-text.ts'
import type { Verdict } from './server-actions.ts'
import { consoleLink } from './console-link.ts'

const c = t.portal.manage

/**
 * The VNC console. "Open the console" is a link to the console page (/servers/:id/console, noVNC)
 * in a new tab: a plain link, so no popup blocker stops it, and the page mints its own link and
 * password. The second button is the fallback for a VNC client of the customer's own: each click
 * mints a fresh link and password (bearer secrets, never cached) and shows them with their expiry
 * (an http(s) link, from a panel that answers a viewer page, as a link to open).
 */
export function ConsoleAccess({ serverId, verdict }: { serverId: string; verdict: Verdict }) {
  const [shown, setShown] = useState<Access | null>(null)
  const open = useOpenConsole()
  const reason = refusalText(verdict)
  const hintId = useId()
  return (
    <div className="manage-item">
      {reason === null ? (
        <span className="guarded">
          <a
            className="btn btn-secondary"
            href={`/servers/${encodeURIComponent(serverId)}/console`}
            target="_blank"
            rel="noopener noreferrer"
            aria-describedby={hintId}
          >
            {c.console}
          </a>
          <span id={hintId} className="field-hint">
            {c.consoleNewTab}
          </span>
        </span>
      ) : (
        <GuardedButton variant="secondary" reason={reason}>
          {c.console}
        </GuardedButton>
      )}
      <GuardedButton
        variant="link"
        reason={null}
        disabled={reason !== null}
        pending={open.isPending}
        pendingLabel={c.sending}
        onClick={() => open.mutate({ server_id: serverId }, { onSuccess: access => setShown(access) })}
      >
        {c.consoleDetails}
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
        description={shown !== null && consoleLink(shown.url).kind === 'socket' ? c.consoleBodySocket : c.consoleBody}
      >
        {shown !== null && (
          <>
            <Secret label={c.consolePassword} value={shown.password} copyLabel={c.copyConsolePassword} />
            <p>
              {c.consoleExpires} <DateTime value={shown.expires_at} relative />
            </p>
            <ConsoleLinkView url={shown.url} />
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
