/**
 * The `next` of /login?next=…, if it is a path of this site; '/' otherwise. Refuses absolute and
 * protocol-relative URLs (`//evil.example`, `/\evil.example`), schemes, and control characters,
 * so a crafted login link cannot send someone elsewhere after they log in.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (next === null || next === undefined || next === '') return '/'
  // eslint-disable-next-line no-control-regex
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) {
    return '/'
  }
  const base = 'http://portal.invalid'
  let url: URL
  try {
    url = new URL(next, base)
  } catch {
    return '/'
  }
  if (url.origin !== base) return '/'
  if (url.pathname === '/login') return '/'
  return `${url.pathname}${url.search}${url.hash}`
}

/** /login?next=<this path> for the page someone was on. */
export function loginPathFor(pathname: string, search = '', hash = ''): string {
  const next = safeNextPath(`${pathname}${search}${hash}`)
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`
}
