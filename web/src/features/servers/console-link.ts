/**
 * How the console dialog (the fallback beside the console page) offers a link the API minted. An
 * http(s) link is a page (a console viewer) to open; a ws(s) link is SolusVM's VNC websocket
 * itself, which only a VNC client opens (the portal's console page, or the customer's own), so it
 * is shown to copy. Anything else (a `javascript:` URL from a confused upstream) is refused.
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
