import type { FastifyRequest } from 'fastify'
import { authenticate, type Principal } from '../domain/auth/api-keys.ts'
import { AppError } from '../domain/errors.ts'
import type { Db } from '../db/connect.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any type provider and logger
type AnyFastify = import('fastify').FastifyInstance<any, any, any, any, any>

declare module 'fastify' {
  interface FastifyRequest { principal?: Principal }
  interface FastifyContextConfig { auth?: 'key' | 'admin' | 'none' }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/**
 * Authenticates `x-api-key` before the body is even parsed. Missing, unknown, revoked and
 * malformed keys all get the same 401 body, so the answer says nothing about which it was.
 */
export function registerAuth (app: AnyFastify, db: Db): void {
  app.addHook('onRequest', async req => {
    const mode = req.routeOptions.config.auth ?? 'key'
    if (mode === 'none' || req.routeOptions.url === undefined || req.routeOptions.url.startsWith('/docs')) return
    const header = req.headers['x-api-key']
    const principal = await authenticate(db, Array.isArray(header) ? undefined : header, LOOPBACK.has(req.socket.remoteAddress ?? ''))
    if (!principal) throw new AppError('unauthorized', 'missing or invalid API key (send it in the x-api-key header)')
    if (mode === 'admin' && !principal.isAdmin) throw new AppError('forbidden', 'this endpoint needs an admin API key')
    req.principal = principal
  })
}

export function principalOf (req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthorized', 'missing or invalid API key (send it in the x-api-key header)')
  return req.principal
}
