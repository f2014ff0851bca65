import type { FastifyRequest } from 'fastify'
import { authenticate, UNAUTHORIZED, type Principal } from '../domain/auth/api-keys.ts'
import { authenticateSession, csrfMatches, type SessionSettings } from '../domain/auth/sessions.ts'
import { AppError } from '../lib/errors.ts'
import type { Clock } from '../lib/clock.ts'
import type { Db } from '../db/connect.ts'
import { clientAddress, keyDigest, rateLimited, rememberKey } from './rate-limit.ts'
import { sessionToken } from './session-cookie.ts'

type AnyFastify = import('fastify').FastifyInstance<any, any, any, any, any>

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal
    /** The session's CSRF token when the request was authenticated by the session cookie. */
    sessionCsrf?: string
  }
  interface FastifyContextConfig {
    auth?: 'key' | 'admin' | 'none'
  }
}

/**
 * Loopback as the client address says: `req.ip`, which is the socket's peer unless that peer is a
 * trusted proxy (TRUST_PROXY), so a forwarded request is never loopback because the proxy is.
 */
export function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.toLowerCase().startsWith('::ffff:127.')
}

/**
 * Authenticates `x-api-key` before the body is even parsed. Missing, unknown, revoked and
 * malformed keys all get the same 401 body, so the answer says nothing about which it was.
 * A key not seen valid recently is looked up only within the client address's failure budget
 * (AUTH_FAILURES_PER_SECOND, see rate-limit.ts): past it the answer is a 429 and the database is
 * not asked; a key that authenticates gives its look-up back.
 */
export function registerAuth(app: AnyFastify, db: Db, sessions: { settings: SessionSettings; clock: Clock }): void {
  app.addHook('onRequest', async (req, reply) => {
    const mode = req.routeOptions.config.auth ?? 'key'
    if (mode === 'none' || req.routeOptions.url === undefined || req.routeOptions.url.startsWith('/docs')) return
    const header = req.headers['x-api-key']
    // No key at all: the portal's session cookie, if one is sent. A key, even a bad one, wins.
    if (header === undefined && req.headers.cookie !== undefined) {
      await sessionAuth(req, reply, db, sessions, mode)
      return
    }
    const presented = Array.isArray(header) ? undefined : header
    if (presented === undefined) throw new AppError('unauthorized', UNAUTHORIZED)
    const principal = await withinFailureBudget(req, reply, keyDigest(presented), () =>
      authenticate(db, presented, isLoopback(req.ip)),
    )
    if (mode === 'admin' && !principal.isAdmin) throw new AppError('forbidden', 'this endpoint needs an admin API key')
    req.principal = principal
  })
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The cookie path: the session row is read on every request (a revoked session is refused at
 * once); unknown cookies use the same per-address failure budget as unknown keys, and a session
 * that authenticated skips it the way a known key does. Admin routes take keys only. Writes must
 * carry the session's CSRF token in `x-csrf-token` (403 `csrf_failed`).
 */
async function sessionAuth(
  req: FastifyRequest,
  reply: import('fastify').FastifyReply,
  db: Db,
  sessions: { settings: SessionSettings; clock: Clock },
  mode: 'key' | 'admin',
): Promise<void> {
  const token = sessionToken(req)
  if (token === undefined || mode === 'admin') throw new AppError('unauthorized', UNAUTHORIZED)
  const live = await withinFailureBudget(req, reply, `s:${keyDigest(token)}`, () =>
    authenticateSession(db, sessions.settings, token, sessions.clock.now()),
  )
  if (!SAFE_METHODS.has(req.method)) {
    const presented = req.headers['x-csrf-token']
    if (!csrfMatches(typeof presented === 'string' ? presented : undefined, live.csrfToken)) {
      throw new AppError('csrf_failed', 'this request needs the x-csrf-token header of the session')
    }
  }
  req.principal = live.principal
  req.sessionCsrf = live.csrfToken
}

/**
 * Looks a presented credential (key or session cookie) up within the client address's
 * failed-authentication budget: one recently seen valid skips the budget; an unknown one is looked
 * up only while the budget lasts (past it a 429, and the database is not asked), and gives its
 * look-up back when it authenticates. A credential that stopped working costs the address a look-up.
 */
async function withinFailureBudget<T>(
  req: FastifyRequest,
  reply: import('fastify').FastifyReply,
  digest: string,
  lookUp: () => Promise<T | null>,
): Promise<T> {
  const limits = req.server.abuseLimits
  const address = clientAddress(req.ip)
  const known = limits?.knownKeys.has(digest) ?? false
  if (limits && !known && !limits.authFailures.hit(address)) {
    throw rateLimited(
      reply,
      limits.authFailures,
      address,
      `too many failed authentications from this address: at most ${limits.authFailures.max} per second`,
    )
  }
  const found = await lookUp()
  if (found === null) {
    if (limits && known) {
      limits.knownKeys.delete(digest)
      limits.authFailures.hit(address)
    }
    throw new AppError('unauthorized', UNAUTHORIZED)
  }
  if (limits) {
    if (!known) limits.authFailures.refund(address)
    rememberKey(limits, digest)
  }
  return found
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthorized', UNAUTHORIZED)
  return req.principal
}
