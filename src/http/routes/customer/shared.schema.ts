import { Type, type TSchema } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { PageQuery } from '../../schemas/paging.ts'

/** Schema pieces shared by the customer routes. */

export const Timestamp = () => Type.String({ description: 'UTC, "YYYY-MM-DD HH:MM:SS" as in the docs' })
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
export const Money = (description = 'EUR, decimal string') => Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description })
/** A JSON object whose keys the docs leave open (order metadata, usage points). */
export const OpenObject = (description?: string) => Type.Object({}, { additionalProperties: true, description })

export const UserIdParam = {
  user_id: Type.Optional(Id('User id; defaults to the caller. Another user needs an admin key (403 otherwise)')),
}

/** A paged list's query: page, per_page and optionally whose list (admin keys). */
export const PagedUserQuery = Type.Object({ ...UserIdParam, ...PageQuery }, { additionalProperties: false })
export const PagedQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

export const Success = Type.Literal(true)
