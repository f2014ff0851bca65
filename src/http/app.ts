import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Deps } from '../deps.ts'
import { AppError } from '../domain/errors.ts'
import { newId } from '../lib/ids.ts'
import type { SecretBox } from '../lib/secret-box.ts'
import { registerErrorHandling } from './error-handler.ts'
import { registerAuth } from './auth.ts'
import { ErrorResponse } from './schemas/common.ts'
import { ServerRow } from './routes/orders/orders.schema.ts'
import { routes } from './routes/index.ts'
import { registerOpenApi } from './openapi.ts'
import { registerRateLimit } from './rate-limit.ts'
import { clientErrorHandler, frameworkErrors, refuseNul } from './error-handler.ts'

declare module 'fastify' {
  interface FastifyRequest { rawBody?: Buffer }
  interface FastifyInstance { secretBox: SecretBox, routeList: Array<{ method: string, url: string, auth: string }> }
}

export const BODY_LIMIT = 16 * 1024
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i
/** JSON travels as UTF-8 (RFC 8259 §8.1); US-ASCII is a subset of it. */
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'us-ascii'])
/** Strict: invalid UTF-8 is refused instead of silently becoming U+FFFD (a leading BOM is dropped). */
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Builds the HTTP API on top of the use-cases. Thin: parsing, auth, schemas, errors. */
export async function buildHttpApp (deps: Deps): Promise<FastifyInstance> {
  const c = deps.config
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    genReqId: () => newId('request'),
    // `req.ip` is the client: the socket's peer, or behind a trusted proxy (TRUST_PROXY) the last
    // X-Forwarded-For hop before it. An untrusted peer's X-Forwarded-For is ignored.
    trustProxy: c.trustProxy.length > 0 ? [...c.trustProxy] : false,
    // Slow clients: the whole request within REQUEST_TIMEOUT_MS, its headers within
    // HEADERS_TIMEOUT_MS (both answered 408 and closed), no traffic at all for CONNECTION_TIMEOUT_MS
    // closes the socket. Node checks the first two every `connectionsCheckingInterval` (30 s by
    // default, which would stretch them), so the check runs at a quarter of the shorter one (≤ 1 s).
    requestTimeout: c.requestTimeoutMs,
    connectionTimeout: c.connectionTimeoutMs,
    http: {
      requestTimeout: c.requestTimeoutMs,
      headersTimeout: c.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(c.headersTimeoutMs, c.requestTimeoutMs) / 4))),
    },
    // Errors Fastify answers before routing (a path parameter over 100 characters: 414; a bad
    // percent-encoding: 400) and those of the HTTP parser (timeouts, oversized headers) answer the
    // error envelope too.
    frameworkErrors,
    clientErrorHandler,
    // Unknown fields are refused, never silently dropped; numeric strings are accepted only
    // where a schema says so (IntLike), not by global coercion.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('secretBox', deps.secretBox)
  // Every route as registered, so tests can check that OpenAPI and the security sweep cover them all.
  app.decorate('routeList', [])
  app.addHook('onRoute', r => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') app.routeList.push({ method, url: r.url, auth: (r.config as { auth?: string } | undefined)?.auth ?? 'key' })
  })
  app.addHook('onSend', async (req, reply) => { void reply.header('x-request-id', req.id) })

  // One parser for every content type: JSON (or a missing Content-Type, which the docs call
  // optional) is parsed and its raw bytes kept for signature checks; anything else is a 415.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    const type = req.headers['content-type']
    if (type !== undefined && type !== '' && !JSON_TYPE.test(type)) {
      done(new AppError('unsupported_media_type', `Content-Type ${type.split(';')[0]} is not supported; send application/json`), undefined)
      return
    }
    const charset = type === undefined ? undefined : CHARSET.exec(type)?.[1]?.toLowerCase()
    if (charset !== undefined && !UTF8_NAMES.has(charset)) {
      done(new AppError('unsupported_media_type', `charset ${charset || '(empty)'} is not supported; send application/json in UTF-8`), undefined)
      return
    }
    const raw = body as Buffer
    req.rawBody = raw
    if (raw.length === 0) { done(null, undefined); return }
    let text: string
    try {
      text = utf8.decode(raw)
    } catch {
      done(new AppError('invalid_json', 'the body is not valid UTF-8'), undefined)
      return
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      done(new AppError('invalid_json', 'the body is not valid JSON'), undefined)
      return
    }
    // U+0000 can only arrive escaped (a raw control character is not valid JSON), and no text
    // column can hold it: refused here, once, for every route. The text test is only a fast path
    // (an escaped backslash followed by u0000 matches it too); the walk decides.
    done(/\\u0000/.test(text) ? refuseNul(parsed, 'body') : null, parsed)
  })
  // The same for the query string and path parameters (`%00`), after authentication.
  app.addHook('preValidation', async req => {
    const err = refuseNul(req.query, 'query') ?? refuseNul(req.params, 'path')
    if (err) throw err
  })

  app.addSchema(ErrorResponse)
  app.addSchema(ServerRow)
  registerErrorHandling(app)
  registerRateLimit(app as unknown as FastifyInstance, deps.config)
  registerAuth(app, deps.db)
  await registerOpenApi(app as unknown as FastifyInstance)
  for (const route of routes(deps)) await app.register(route)
  return app as unknown as FastifyInstance
}
