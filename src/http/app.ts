import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Clock, Deps } from '../deps.ts'
import { newId } from '../lib/ids.ts'
import type { SecretBox } from '../lib/secret-box.ts'
import { registerErrorHandling } from './error-handler.ts'
import { registerAuth } from './auth.ts'
import cookie from '@fastify/cookie'
import { ErrorResponse } from './schemas/common.ts'
import { SCHEMAS as WEBHOOK_SCHEMAS } from './routes/webhooks/webhooks.schema.ts'
import { eventSchemas } from './schemas/event-payloads.ts'
import { ServerRow } from './routes/orders/orders.schema.ts'
import { routes } from './routes/index.ts'
import { registerOpenApi } from './openapi.ts'
import { registerRateLimit } from './rate-limit.ts'
import { clientErrorHandler, frameworkErrors, refuseNul } from './error-handler.ts'
import { BODY_LIMIT, registerBodyParser } from './body-parser.ts'
import { registerUnknownFields } from './unknown-fields.ts'
import { registerWeb } from './web.ts'

declare module 'fastify' {
  interface FastifyInstance {
    secretBox: SecretBox
    routeList: Array<{ method: string; url: string; auth: string }>
  }
}

export { BODY_LIMIT }

export interface HttpAppOptions {
  /**
   * Time of the rate-limit windows (default wall time). Not `deps.clock`: tests fix the business
   * clock for hours at a time, which would freeze every window; this one only steps past a window.
   */
  rateLimitClock?: Clock
  /** The SolusVM API base in use (SOLUSVM_URL or the fake's): its console websockets join the CSP. */
  solusvmUrl?: string
}

/** Builds the HTTP API on top of the use-cases. Thin: parsing, auth, schemas, errors. */
export async function buildHttpApp(deps: Deps, opts: HttpAppOptions = {}): Promise<FastifyInstance> {
  const c = deps.config
  const app = Fastify({
    loggerInstance: deps.logger,
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
      connectionsCheckingInterval: Math.max(
        10,
        Math.min(1000, Math.floor(Math.min(c.headersTimeoutMs, c.requestTimeoutMs) / 4)),
      ),
    },
    // Errors Fastify answers before routing (a path parameter over 100 characters: 414; a bad
    // percent-encoding: 400) and those of the HTTP parser (timeouts, oversized headers) answer the
    // error envelope too.
    frameworkErrors,
    clientErrorHandler,
    // Ajv never drops unknown fields itself: they are refused (additionalProperties: false), or,
    // on the documented 0xhost endpoints, removed and named before validation (unknown-fields.ts).
    // Numeric strings are accepted only where a schema says so (IntLike), not by global coercion.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('secretBox', deps.secretBox)
  // Every route as registered, so tests can check that OpenAPI and the security sweep cover them all.
  app.decorate('routeList', [])
  app.addHook('onRoute', r => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') {
        app.routeList.push({ method, url: r.url, auth: (r.config as { auth?: string } | undefined)?.auth ?? 'key' })
      }
    }
  })
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id)
  })

  // Bodies: JSON whatever the Content-Type says, forms, strict UTF-8, NUL refused, raw bytes kept
  // (body-parser.ts); then unknown fields of the documented endpoints (unknown-fields.ts).
  registerBodyParser(app)
  registerUnknownFields(app, { strict: c.strictUnknownFields })
  // The same for the query string and path parameters (`%00`), after authentication.
  app.addHook('preValidation', async req => {
    const err = refuseNul(req.query, 'query') ?? refuseNul(req.params, 'path')
    if (err) throw err
  })

  // Parsing only where asked (hook: false): see session-cookie.ts.
  await app.register(cookie, { hook: false })
  app.addSchema(ErrorResponse)
  app.addSchema(ServerRow)
  for (const schema of [...WEBHOOK_SCHEMAS, ...eventSchemas()]) app.addSchema(schema)
  // The portal (web/dist) answers what no route takes, outside /API, /docs, /openapi.json and /dev.
  const web = await registerWeb(app as unknown as FastifyInstance, c, deps.logger, { solusvmUrl: opts.solusvmUrl })
  registerErrorHandling(app, (req, reply) => web.serve(req, reply))
  registerRateLimit(app as unknown as FastifyInstance, deps.config, opts.rateLimitClock)
  registerAuth(app, deps.db, { settings: c.accounts, clock: deps.clock })
  await registerOpenApi(app as unknown as FastifyInstance, { strictUnknownFields: c.strictUnknownFields })
  for (const route of routes(deps)) await app.register(route)
  return app as unknown as FastifyInstance
}
