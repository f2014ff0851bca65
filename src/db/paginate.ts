import type { SelectQueryBuilder } from 'kysely'

/** One page of a list, as the read queries take it (the HTTP layer parses `page`/`per_page` into it with `pageOf`). */
export interface PageRequest {
  page: number
  perPage: number
  offset: number
}

export interface PageMeta {
  total: number
  page: number
  per_page: number
  pages: number
}

/** Runs a filtered, ordered query for one page and counts the rows of the whole filter. */
export async function fetchPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: PageRequest,
): Promise<{ rows: O[]; meta: PageMeta }> {
  const countRow = (await query
    .clearSelect()
    .clearOrderBy()
    .select(eb => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst()) as { n: string | number | bigint } | undefined
  const total = Number(countRow?.n ?? 0)
  const rows = await query.limit(page.perPage).offset(page.offset).execute()
  return { rows, meta: pageMeta(total, page) }
}

/** Paging metadata; an empty list still has one (empty) page. */
export function pageMeta(total: number, page: PageRequest): PageMeta {
  return { total, page: page.page, per_page: page.perPage, pages: Math.max(1, Math.ceil(total / page.perPage)) }
}
