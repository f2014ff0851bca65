import { Type, type TSchema } from 'typebox'
import type { PageRequest } from '../../db/paginate.ts'
import { IntLike } from './common.ts'
import { toInt } from '../order-meta.ts'

/** Paging for every list: `page` (from 1) and `per_page` (default 20, capped at 100). */
export const MAX_PER_PAGE = 100
export const DEFAULT_PER_PAGE = 20

export const PageQuery = {
  page: Type.Optional(IntLike({ minimum: 1, maximum: 1_000_000, description: 'Page number, from 1' })),
  per_page: Type.Optional(
    IntLike({
      minimum: 1,
      maximum: MAX_PER_PAGE,
      description: `Rows per page (default ${DEFAULT_PER_PAGE}, at most ${MAX_PER_PAGE})`,
    }),
  ),
}

export const PageMeta = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  per_page: Type.Integer(),
  pages: Type.Integer(),
})

/** A list response: the docs' `{ success, data: [...] }` plus paging metadata. */
export const PagedResponse = <T extends TSchema>(item: T) =>
  Type.Object({ success: Type.Boolean(), data: Type.Array(item), meta: PageMeta })

/** Validates page/per_page (numbers or numeric strings) into limit/offset. */
export function pageOf(q: { page?: number | string; per_page?: number | string }): PageRequest {
  const page = q.page === undefined ? 1 : toInt(q.page, 'page', 1, 1_000_000)
  const perPage = q.per_page === undefined ? DEFAULT_PER_PAGE : toInt(q.per_page, 'per_page', 1, MAX_PER_PAGE)
  return { page, perPage, offset: (page - 1) * perPage }
}
