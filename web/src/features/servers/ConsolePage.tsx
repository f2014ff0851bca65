import { useQuery } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Link, useParams } from 'react-router'
import { serverQuery, useOpenConsole, type ConsoleAccess } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, DateTime, ErrorAlert, Page } from '../../ui/index.ts'
import { useVnc, type VncStatus } from './use-vnc.ts'

const v = t.portal.vnc

/**
 * /servers/:serverId/console, opened in a tab of its own from the server page: asks the API for
 * a fresh console link (SolusVM's VNC websocket and password, minted per connection, never kept),
 * and shows the VM's screen with noVNC, scaled to the window. Reconnecting asks for a new link:
 * a link opens one session. A refusal (VM stopped, an action running) is the API's message.
 */
export function ConsolePage() {
  const { serverId = '' } = useParams()
  const server = useQuery(serverQuery(serverId))
  const screen = useRef<HTMLDivElement>(null)
  const vnc = useVnc(screen)
  const open = useOpenConsole()
  const [access, setAccess] = useState<ConsoleAccess | null>(null)
  // Only the latest request's answer connects (a reconnect clicked twice, StrictMode's remount).
  const latest = useRef(0)
  const { mutate } = open
  const { connect, fail } = vnc

  const start = useCallback(() => {
    const n = ++latest.current
    setAccess(null)
    mutate(
      { server_id: serverId },
      {
        onSuccess: a => {
          if (n !== latest.current) return
          setAccess(a)
          connect(a)
        },
        onError: err => {
          if (n === latest.current) fail(err.message)
        },
      },
    )
  }, [mutate, connect, fail, serverId])

  useEffect(() => {
    start()
    return () => {
      latest.current++
    }
  }, [start])

  const name = server.data?.name ?? vnc.name
  const busy = open.isPending || vnc.status.kind === 'connecting'
  const live = vnc.status.kind === 'connected' || vnc.status.kind === 'connecting'
  return (
    <Page
      title={name === null ? v.titlePlain : v.title({ name })}
      back={<Link to={`/servers/${encodeURIComponent(serverId)}`}>{v.back}</Link>}
    >
      <div className="console-bar">
        <p className="console-status">
          <span className="console-status-label">{v.statusLabel}: </span>
          <span role="status" aria-live="polite" aria-atomic="true" data-status={vnc.status.kind}>
            {open.isPending ? v.requesting : statusText(vnc.status)}
          </span>
        </p>
        <div className="console-controls">
          <Button
            variant="secondary"
            disabled={vnc.status.kind !== 'connected'}
            onClick={() => {
              vnc.sendCtrlAltDel()
            }}
          >
            {v.ctrlAltDel}
          </Button>
          {live ? (
            <Button variant="secondary" onClick={() => vnc.disconnect()}>
              {v.disconnect}
            </Button>
          ) : (
            <Button variant="secondary" disabled={busy} onClick={() => start()}>
              {v.reconnect}
            </Button>
          )}
        </div>
      </div>
      {open.error !== null && <ErrorAlert error={open.error} />}
      {access !== null && (
        <p className="console-expiry">
          {v.expires} <DateTime value={access.expires_at} relative />. {v.expiresNote}
        </p>
      )}
      <p className="field-hint">{v.help}</p>
      <div
        ref={screen}
        className="console-screen"
        role="application"
        aria-label={v.screen({ name: name ?? v.titlePlain })}
        data-connected={vnc.status.kind === 'connected' ? 'true' : 'false'}
      />
    </Page>
  )
}

function statusText(s: VncStatus): string {
  switch (s.kind) {
    case 'idle':
      return v.idle
    case 'connecting':
      return v.connecting
    case 'connected':
      return v.connected
    case 'disconnected':
      return v.disconnected
    case 'failed':
      return v.failed({ reason: s.reason })
  }
}
