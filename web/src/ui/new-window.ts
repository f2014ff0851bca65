/**
 * A new tab for a link the API mints on click (a console, a one-time Plesk login). Browsers allow
 * a window only while the click is fresh, and the link arrives after a request; so the tab is
 * opened blank at the click, cut off from this page (`opener = null`, as `noopener` would, which
 * cannot be passed here: with it `window.open` returns no handle), and sent on when the answer
 * comes. Blocked (no handle): the caller shows the link to click instead.
 */
export interface PendingWindow {
  /** False when the browser refused the window. */
  readonly opened: boolean
  go(url: string): void
  close(): void
}

export function openPendingWindow(): PendingWindow {
  const w = typeof window === 'undefined' ? null : window.open('about:blank', '_blank')
  if (w !== null) w.opener = null
  return {
    opened: w !== null,
    go: url => {
      if (w !== null && !w.closed) w.location.replace(url)
    },
    close: () => {
      if (w !== null && !w.closed) w.close()
    },
  }
}
