import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Deps } from '../deps.ts'
import { AppError } from '../domain/errors.ts'
import { newId } from '../lib/ids.ts'
import { registerErrorHandling } from './error-handler.ts'
import { registerAuth } from './auth.ts'
import { ErrorResponse } from './schemas/common.ts'
import { ServerRow } from './routes/orders/orders.schema.ts'
import { routes } from './routes/index.ts'

declare module 'fastify' {
  interface FastifyRequest { rawBody?: Buffer }
}

export const BODY_LIMIT = 16 * 1024
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** Builds the HTTP API on top of the use-cases. Thin: parsing, auth, schemas, errors. */
export async function buildHttpApp (deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    genReqId: () => newId('request'),
    // Unknown fields are refused, never silently dropped; numeric strings are accepted only
    // where a schema says so (IntLike), not by global coercion.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

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
    const raw = body as Buffer
    req.rawBody = raw
    if (raw.length === 0) { done(null, undefined); return }
    try {
      done(null, JSON.parse(raw.toString('utf8')))
    } catch {
      done(new AppError('invalid_json', 'the body is not valid JSON'), undefined)
    }
  })

  app.addSchema(ErrorResponse)
  app.addSchema(ServerRow)
  registerErrorHandling(app)
  registerAuth(app, deps.db)
  for (const route of routes(deps)) await app.register(route)
  return app as unknown as FastifyInstance
}
