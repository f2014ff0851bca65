import RFB from '@novnc/novnc'
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import type { ConsoleAccess } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'

const v = t.portal.vnc

export type VncStatus =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'disconnected' }
  | { kind: 'failed'; reason: string }

export interface VncSession {
  status: VncStatus
  /** The desktop name the server announced (the VM's hostname), once connected. */
  name: string | null
  connect(access: ConsoleAccess): void
  disconnect(): void
  sendCtrlAltDel(): void
  /** Marks a failure that happened before noVNC started (the API refused a link). */
  fail(reason: string): void
}

/**
 * One noVNC session in `screen` at a time: `connect` opens SolusVM's websocket with the VNC
 * password (`credentials`, so noVNC answers the VNC Authentication challenge itself), scaled to
 * the element; a new `connect` or unmounting ends the previous one. The status follows noVNC's
 * events; a failure keeps its reason, so the disconnect that follows it does not hide it.
 */
export function useVnc(screen: RefObject<HTMLDivElement | null>): VncSession {
  const current = useRef<Live | null>(null)
  const [status, setStatus] = useState<VncStatus>({ kind: 'idle' })
  const [name, setName] = useState<string | null>(null)

  /** Ends the session; `byUser`: its disconnect event then reads "Disconnected". */
  const stop = useCallback((byUser: boolean) => {
    const live = current.current
    if (live === null) return
    live.byUser = byUser
    if (!byUser) current.current = null
    // noVNC throws when disconnect() runs on a session that already closed.
    try {
      live.rfb.disconnect()
    } catch {
      /* already closed */
    }
  }, [])

  const connect = useCallback(
    (access: ConsoleAccess) => {
      stop(false)
      const target = screen.current
      if (target === null) return
      setStatus({ kind: 'connecting' })
      const rfb = new RFB(target, access.url, { credentials: { password: access.password }, shared: true })
      rfb.scaleViewport = true
      rfb.resizeSession = false
      rfb.background = '#0b0d12'
      const live: Live = { rfb, byUser: false, failed: false }
      current.current = live
      // Events of a session replaced by a newer one change nothing.
      const mine = (): boolean => current.current === live
      rfb.addEventListener('connect', () => {
        if (mine()) setStatus({ kind: 'connected' })
      })
      rfb.addEventListener('desktopname', e => {
        if (mine()) setName(e.detail.name)
      })
      rfb.addEventListener('securityfailure', e => {
        live.failed = true
        const reason = e.detail.reason ?? String(e.detail.status)
        if (mine()) setStatus({ kind: 'failed', reason: v.refused({ reason }) })
      })
      rfb.addEventListener('credentialsrequired', () => {
        live.failed = true
        if (mine()) setStatus({ kind: 'failed', reason: v.credentials })
        rfb.disconnect()
      })
      rfb.addEventListener('disconnect', e => {
        if (!mine()) return
        current.current = null
        if (live.failed) return
        setStatus(live.byUser || e.detail.clean ? { kind: 'disconnected' } : { kind: 'failed', reason: v.lost })
      })
    },
    [screen, stop],
  )

  useEffect(() => () => stop(false), [stop])
  // Stable, so a page may list them as effect dependencies without reconnecting on each render.
  const disconnect = useCallback(() => stop(true), [stop])
  const sendCtrlAltDel = useCallback(() => current.current?.rfb.sendCtrlAltDel(), [])
  const fail = useCallback((reason: string) => setStatus({ kind: 'failed', reason }), [])

  return { status, name, connect, disconnect, sendCtrlAltDel, fail }
}

interface Live {
  rfb: RFB
  byUser: boolean
  failed: boolean
}
