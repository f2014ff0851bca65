import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ErrorCodes, type ErrorCode } from '../lib/errors.ts'
import { newId } from '../lib/ids.ts'

type AnyFastify = import('fastify').FastifyInstance<any, any, any, any, any>

/**
 * The one place errors become HTTP. Body, always:
 * `{ success: false, message, error: { code, message, request_id, ...details } }` — `success`
 * because the docs' clients test it, a stable `code` for programs, and no internals on 5xx.
 */
export function errorBody(code: ErrorCode, message: string, requestId: string, details: Record<string, unknown> = {}) {
  return { success: false as const, message, error: { ...details, code, message, request_id: requestId } }
}

/** One schema validation error, as Ajv reports it. */
export interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
}

/**
 * The AppError of a failed schema validation of `where` (body, query, … or the `order` of a
 * quote, validated against its endpoint's body schema, so its fields are named as that endpoint
 * names them).
 */
export function schemaError(v: SchemaError, where: string): AppError {
  const params = v.params
  if (v.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty)
    return new AppError('unknown_field', `unknown field '${field}' in ${where}`, { details: { field } })
  }
  if (v.keyword === 'required') {
    const field = String(params.missingProperty)
    return new AppError('validation_error', `missing required field '${field}' in ${where}`, { details: { field } })
  }
  const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.') || undefined
  // The whole body (or query) has the wrong JSON type: an array, a string, null, nothing at all.
  if (field === undefined && v.keyword === 'type') {
    return new AppError('validation_error', `the ${where} must be a JSON ${String(params.type)}`)
  }
  const subject = field ? `field '${field}'` : where
  return new AppError('validation_error', `${subject} ${v.message ?? 'is invalid'}`, {
    details: field ? { field } : {},
  })
}

function fromFastify(err: FastifyError): AppError {
  if (err.validation && err.validation.length > 0) {
    return schemaError(err.validation[0]!, err.validationContext ?? 'body')
  }
  switch (err.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('uri_too_long', 'a path parameter is longer than 100 characters')
    case 'FST_ERR_BAD_URL':
      return new AppError('validation_error', 'the URL is not valid (bad percent-encoding)')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'request body is larger than 16 KiB')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'unsupported_media_type',
        'send the body as application/json or application/x-www-form-urlencoded',
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'the body is empty; send a JSON object')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_json', 'the body is not valid JSON')
  }
  if (err.statusCode === 400 && err instanceof SyntaxError) {
    return new AppError('invalid_json', 'the body is not valid JSON')
  }
  if (err.statusCode === 429) {
    return new AppError('rate_limited', 'too many requests; slow down and retry after the time in Retry-After')
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('validation_error', err.message)
  }
  return new AppError('internal_error', 'internal error', { cause: err })
}

/**
 * `fallback` answers requests no route took before the 404 does (the web portal's files and its
 * deep links, http/web.ts); false leaves them to the 404.
 */
export function registerErrorHandling(
  app: AnyFastify,
  fallback?: (req: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  app.setErrorHandler((err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const appErr = err instanceof AppError ? err : fromFastify(err)
    const status = appErr.status
    if (status >= 500) {
      req.log.error({ err: err instanceof AppError && err.cause ? err.cause : err }, 'request failed')
    } else {
      req.log.info({ code: appErr.code }, appErr.message)
    }
    if (appErr.code === 'too_many_attempts' && typeof appErr.details.retry_after === 'number') {
      void reply.header('retry-after', String(appErr.details.retry_after))
    }
    const message =
      status >= 500 && appErr.code === 'internal_error'
        ? 'Internal error; the request id identifies it in the logs'
        : appErr.message
    void reply.status(status).send(errorBody(appErr.code, message, req.id, status >= 500 ? {} : appErr.details))
  })
  app.setNotFoundHandler((req, reply) => {
    if (fallback?.(req, reply) === true) return
    void reply.status(404).send(errorBody('route_not_found', `no route ${req.method} ${req.url.split('?')[0]}`, req.id))
  })
}

/**
 * Errors Fastify meets before a route is found (`frameworkErrors`): a path parameter over
 * `maxParamLength` (414), a malformed URL (400). Answered by the one error handler, so they carry
 * the envelope and `x-request-id` like every other error.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  void reply.header('x-request-id', req.id)
  const appErr = fromFastify(err)
  void reply.status(ErrorCodes[appErr.code]).send(errorBody(appErr.code, appErr.message, req.id))
}

/**
 * Errors of the HTTP parser, before Fastify has a request (Node's `clientError`): a request or
 * its headers not received within REQUEST_TIMEOUT_MS / HEADERS_TIMEOUT_MS (408), headers over
 * Node's limit (431), a malformed request (400). The envelope is written to the socket, which is
 * then closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [code, message]: [ErrorCode, string] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? ['request_timeout', 'the request was not received in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? ['headers_too_large', 'the request headers are too large']
        : ['validation_error', 'malformed HTTP request']
  const status = ErrorCodes[code]
  const id = newId('request')
  const body = JSON.stringify(errorBody(code, message, id))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/**
 * A 400 `validation_error` naming the first string (value or key) in `value` that holds U+0000,
 * or null. No column can store it (PostgreSQL text refuses NUL), so it is refused at the parsing
 * layer rather than failing as a 500 somewhere deeper.
 */
export function refuseNul(value: unknown, where: 'body' | 'query' | 'path'): AppError | null {
  const found = findNul(value, '')
  if (found === null) return null
  const subject = found === '' ? `the ${where}` : `field '${found}' in ${where}`
  return new AppError('validation_error', `${subject} must not contain U+0000 (NUL)`, {
    details: found === '' ? {} : { field: found },
  })
}

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (value === null || typeof value !== 'object') return null
  for (const [k, v] of Object.entries(value)) {
    const here = path === '' ? k : `${path}.${k}`
    if (k.includes('\u0000')) return here.replaceAll('\u0000', '\\u0000')
    const inner = findNul(v, here)
    if (inner !== null) return inner
  }
  return null
}
