import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { SESSION_COOKIE } from '../domain/auth/sessions.ts'

/**
 * The session cookie on the wire. @fastify/cookie is registered with `hook: false`: it parses
 * nothing by itself, so a request with an API key pays nothing for cookies; the session path
 * parses the header when it needs it (`app.parseCookie`), and the cookie is written here.
 */

/** The `oxbill_session` value of a request, if any (the first one when several are sent). */
export function sessionToken(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie
  if (header === undefined || !header.includes(SESSION_COOKIE)) return undefined
  const value = req.server.parseCookie(header)[SESSION_COOKIE]
  return value === undefined || value === '' ? undefined : value
}

/**
 * Secure when the request came over HTTPS (`req.protocol` follows X-Forwarded-Proto only from a
 * proxy TRUST_PROXY trusts) or SESSION_COOKIE_SECURE=true; never with `false`.
 */
function secure(req: FastifyRequest, mode: Config['accounts']['sessionCookieSecure']): boolean {
  return mode === 'true' || (mode === 'auto' && req.protocol === 'https')
}

/** Sets the session cookie; it lives no longer than the session's absolute expiry. */
export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  mode: Config['accounts']['sessionCookieSecure'],
  token: string,
  expiresAt: Date,
  now: Date,
): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000))
  void reply.header(
    'set-cookie',
    req.server.serializeCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: secure(req, mode),
      maxAge,
    }),
  )
}

export function clearSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  mode: Config['accounts']['sessionCookieSecure'],
): void {
  void reply.header(
    'set-cookie',
    req.server.serializeCookie(SESSION_COOKIE, '', {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: secure(req, mode),
      maxAge: 0,
      expires: new Date(0),
    }),
  )
}
