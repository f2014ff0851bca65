import { Link, useSearchParams } from 'react-router'
import { t } from '../../lib/i18n/index.ts'

const c = t.portal.pager

/** The page of a list, from the URL (STYLE-web rule 4: what a user would link to lives there). */
export function usePageParam(name = 'page'): number {
  const [params] = useSearchParams()
  const raw = params.get(name)
  const n = raw !== null && /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : 1
  return n
}

/** Previous / next links of a paged list, keeping the other search parameters. */
export function Pager({
  page,
  pages,
  label,
  name = 'page',
}: {
  page: number
  pages: number
  label: string
  name?: string
}) {
  const [params] = useSearchParams()
  if (pages <= 1 && page <= 1) return null
  const href = (p: number) => {
    const next = new URLSearchParams(params)
    if (p <= 1) next.delete(name)
    else next.set(name, String(p))
    const qs = next.toString()
    return qs === '' ? '?' : `?${qs}`
  }
  return (
    <nav className="pager" aria-label={label}>
      {page > 1 ? <Link to={href(page - 1)}>{c.previous}</Link> : <span aria-hidden="true" />}
      <span>{c.pageOf({ page, pages: Math.max(pages, 1) })}</span>
      {page < pages ? <Link to={href(page + 1)}>{c.next}</Link> : <span aria-hidden="true" />}
    </nav>
  )
}
