import { Type, type TSchema } from 'typebox'

/** The error envelope every route may answer (see http/error-handler.ts). */
export const ErrorResponse = Type.Object({
  success: Type.Literal(false),
  message: Type.String(),
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    request_id: Type.String(),
  }, { additionalProperties: true }),
}, { $id: 'ErrorResponse' })

/** Integers the docs' examples send as numeric strings ("3", "720"): both forms are accepted. */
export const IntLike = (opts: { minimum?: number, maximum?: number, description?: string } = {}) =>
  Type.Union([Type.Integer(opts), Type.String({ pattern: '^[0-9]{1,9}$' })], { description: opts.description })

/** Opaque ids: the docs' example ids are not UUIDs, so any short printable string is accepted. */
export const Id = (description: string) => Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description })

export const PaymentType = Type.Union([Type.Literal('balance'), Type.Literal('crypto')], { description: 'Payment method (balance or crypto)' })

/** Error responses declared on every route, so OpenAPI lists them. */
export function withErrors (ok: Record<number, TSchema>) {
  const err = Type.Ref('ErrorResponse')
  return { ...ok, 400: err, 401: err, 402: err, 403: err, 404: err, 409: err, 413: err, 415: err, 422: err, 429: err, 500: err, 502: err, 503: err }
}
