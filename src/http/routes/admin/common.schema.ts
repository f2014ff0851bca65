import { Type, type TSchema } from 'typebox'
import type { ErrorCode } from '../../../lib/errors.ts'
import { withErrors } from '../../schemas/common.ts'

/** Schema pieces shared by the admin routes. Money is a decimal string; times are ISO 8601 UTC. */

/** `T` or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])

/** A non-negative amount in EUR, e.g. "12.99"; the sign is optional only where a debit makes sense. */
export const AMOUNT = '^[0-9]{1,13}(\\.[0-9]{1,2})?$'
export const SIGNED_AMOUNT = '^-?[0-9]{1,13}(\\.[0-9]{1,2})?$'
export const Price = Type.String({ pattern: AMOUNT, description: 'Amount in EUR as a decimal string, e.g. 12.99' })

/** `true`/`false` in a query string (no global coercion: the literal strings are the contract). */
export const BoolQuery = (description: string) =>
  Type.Union([Type.Literal('true'), Type.Literal('false')], { description })

/** A date (2024-01-31, 00:00 UTC) or an ISO 8601 date-time; the use-case checks the calendar. */
export const Instant = (description: string) => Type.String({ minLength: 10, maxLength: 35, description })

/** Status and kind names: short snake-case words, open-ended because other modules add states. */
export const Word = (description: string) => Type.String({ pattern: '^[a-z0-9_.]{1,64}$', description })

/** For routes that take no query parameters: an unknown one is a 400, as unknown body fields are. */
export const NoQuery = Type.Object({}, { additionalProperties: false })

/** Transitions that are safe to repeat say whether they did anything. */
export const Changed = Type.Boolean({
  description: 'false when it was already in that state (then no audit record is written)',
})

/** created_at / updated_at as ISO 8601 strings. */
export const Timestamps = { created_at: Type.String(), updated_at: Type.String() }

/**
 * `withErrors` keeping the literal success statuses in its type, so that `reply.code(201)`
 * type-checks (withErrors' own signature widens them to `Record<number, TSchema>`).
 */
export const responses = <T extends Record<number, TSchema>>(ok: T, codes: readonly ErrorCode[] = []) =>
  withErrors(ok, codes) as unknown as ReturnType<typeof withErrors> & T
