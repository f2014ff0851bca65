import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ErrorCodes, type ErrorCode } from '../domain/errors.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any type provider and logger
type AnyFastify = import('fastify').FastifyInstance<any, any, any, any, any>

/**
 * The one place errors become HTTP. Body, always:
 * `{ success: false, message, error: { code, message, request_id, ...details } }` — `success`
 * because the docs' clients test it, a stable `code` for programs, and no internals on 5xx.
 */
export function errorBody (code: ErrorCode, message: string, requestId: string, details: Record<string, unknown> = {}) {
  return { success: false as const, message, error: { ...details, code, message, request_id: requestId } }
}

function fromFastify (err: FastifyError): AppError {
  if (err.validation && err.validation.length > 0) {
    const v = err.validation[0]!
    const params = v.params as Record<string, unknown>
    const where = err.validationContext ?? 'body'
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
    return new AppError('validation_error', `${subject} ${v.message ?? 'is invalid'}`, { details: field ? { field } : {} })
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new AppError('payload_too_large', 'request body is larger than 16 KiB')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new AppError('unsupported_media_type', 'send the body as application/json')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new AppError('invalid_json', 'the body is empty; send a JSON object')
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new AppError('invalid_json', 'the body is not valid JSON')
  }
  if (err.statusCode === 400 && err instanceof SyntaxError) return new AppError('invalid_json', 'the body is not valid JSON')
  if (err.statusCode === 429) return new AppError('rate_limited', 'too many requests; slow down and retry after the time in Retry-After')
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('validation_error', err.message)
  }
  return new AppError('internal_error', 'internal error', { cause: err })
}

export function registerErrorHandling (app: AnyFastify): void {
  app.setErrorHandler((err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const appErr = err instanceof AppError ? err : fromFastify(err as FastifyError)
    const status = ErrorCodes[appErr.code]
    if (status >= 500) {
      req.log.error({ err: err instanceof AppError && err.cause ? err.cause : err }, 'request failed')
    } else {
      req.log.info({ code: appErr.code }, appErr.message)
    }
    const message = status >= 500 && appErr.code === 'internal_error' ? 'Internal error; the request id identifies it in the logs' : appErr.message
    void reply.status(status).send(errorBody(appErr.code, message, req.id, status >= 500 ? {} : appErr.details))
  })
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send(errorBody('route_not_found', `no route ${req.method} ${req.url.split('?')[0]}`, req.id))
  })
}
