/**
 * How the portal offers a console link the API minted. An http(s) link is a page (a console
 * viewer) and opens in a new tab; a ws(s) link is SolusVM's VNC websocket itself, which a tab
 * cannot open (the browser needs a VNC client such as noVNC, which the portal does not bundle), so
 * it is shown to copy. Anything else (a `javascript:` URL from a confused upstream) is refused.
 */
export type ConsoleLink = { kind: 'page'; href: string } | { kind: 'socket'; url: string } | { kind: 'invalid' }

export function consoleLink(url: string): ConsoleLink {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { kind: 'invalid' }
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return { kind: 'page', href: parsed.href }
  if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') return { kind: 'socket', url: parsed.href }
  return { kind: 'invalid' }
}
