import { Type, type TSchema } from 'typebox'
import { ErrorCodes, type ErrorCode } from '../../lib/errors.ts'

/** The error envelope every route may answer (see http/error-handler.ts). */
export const ErrorResponse = Type.Object(
  {
    success: Type.Literal(false),
    message: Type.String(),
    error: Type.Object(
      {
        code: Type.String(),
        message: Type.String(),
        request_id: Type.String(),
      },
      { additionalProperties: true },
    ),
  },
  { $id: 'ErrorResponse' },
)

/** Integers the docs' examples send as numeric strings ("3", "720"): both forms are accepted. */
export const IntLike = (opts: { minimum?: number; maximum?: number; description?: string } = {}) =>
  Type.Union([Type.Integer(opts), Type.String({ pattern: '^[0-9]{1,9}$' })], { description: opts.description })

/** Opaque ids: the docs' example ids are not UUIDs, so any short printable string is accepted. */
export const Id = (description: string) =>
  Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description })

export const PaymentType = Type.Union([Type.Literal('balance'), Type.Literal('crypto')], {
  description: 'Payment method (balance or crypto)',
})

const declaredCodes = new WeakMap<object, readonly ErrorCode[]>()

/**
 * A route's responses: its success schemas plus the errors that come from what the route does
 * (`codes`): `insufficient_balance` where money is charged, `not_found` where a body or query
 * names objects, `invalid_state` / `conflict` / `too_many_open_invoices`, the Idempotency-Key
 * errors where it is honoured (IDEMPOTENT), provider errors where a provider is called during the
 * request (PROVIDER). The errors every route of its kind can answer (authentication, validation,
 * bodies, path parameters, rate limit, 500) are added from the route itself by openapi.ts; the
 * OpenAPI document lists, per status, exactly these codes.
 */
export function withErrors(ok: Record<number, TSchema>, codes: readonly ErrorCode[] = []) {
  const out: Record<number, TSchema> = { ...ok }
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes) byStatus.set(ErrorCodes[code], [...(byStatus.get(ErrorCodes[code]) ?? []), code])
  for (const [status, list] of byStatus) {
    const ref = Type.Ref('ErrorResponse')
    declaredCodes.set(ref, list)
    out[status] = ref
  }
  return out
}

/** The codes `withErrors` declared in a route's response map (read by openapi.ts). */
export function declaredErrorCodes(response: unknown): ErrorCode[] {
  if (response === null || typeof response !== 'object') return []
  return Object.values(response as Record<string, unknown>).flatMap(s =>
    s !== null && typeof s === 'object' ? (declaredCodes.get(s) ?? []) : [],
  )
}

/** Where an Idempotency-Key is honoured: a replay, a concurrent duplicate (409), another body (422). */
export const IDEMPOTENT: readonly ErrorCode[] = ['idempotency_key_in_use', 'idempotency_key_mismatch']
/** Where SolusVM, Plesk or OxaPay is called while the request waits. */
export const PROVIDER: readonly ErrorCode[] = ['provider_error', 'provider_unavailable']
