import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react'
import { t } from '../lib/i18n/index.ts'

export interface Column<Row> {
  /** Column header (also the row header's accessible context). */
  header: ReactNode
  cell: (row: Row) => ReactNode
  /** Right-aligned tabular figures (amounts, counts). */
  numeric?: boolean
  /** This column's cell is the row's header (`<th scope="row">`), e.g. a name. */
  rowHeader?: boolean
  className?: string
}

export interface DataTableProps<Row> {
  caption: ReactNode
  /** Hide the caption visually (a page's h1 already says it); screen readers still get it. */
  captionHidden?: boolean
  columns: ReadonlyArray<Column<Row>>
  rows: readonly Row[] | undefined
  rowKey: (row: Row) => string
  /** While the first page loads: skeleton rows in place. */
  loading?: boolean
  empty?: ReactNode
}

/** A real <table> in a horizontally scrolling region (readable at 320 px). */
export function DataTable<Row>({
  caption,
  captionHidden,
  columns,
  rows,
  rowKey,
  loading,
  empty = t.table.empty,
}: DataTableProps<Row>) {
  return (
    <div
      className="table-scroll"
      role="region"
      aria-label={typeof caption === 'string' ? caption : undefined}
      tabIndex={0}
    >
      <table className="table">
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th
                key={i}
                scope="col"
                className={[c.numeric ? 'num' : '', c.className].filter(Boolean).join(' ') || undefined}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody aria-busy={loading || undefined}>
          {loading && !rows ? (
            Array.from({ length: 3 }, (_, r) => (
              <tr key={`skeleton-${r}`} aria-hidden="true">
                {columns.map((_c, i) => (
                  <td key={i}>
                    <span className="skeleton-line" />
                  </td>
                ))}
              </tr>
            ))
          ) : rows?.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows?.map(row => (
              <tr key={rowKey(row)}>
                {columns.map((c, i) => {
                  const cls = [c.numeric ? 'num' : '', c.className].filter(Boolean).join(' ') || undefined
                  return c.rowHeader ? (
                    <th key={i} scope="row" className={cls}>
                      {c.cell(row)}
                    </th>
                  ) : (
                    <td key={i} className={cls}>
                      {c.cell(row)}
                    </td>
                  )
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  )
}

/** Building blocks for tables DataTable does not fit. */
export function Th({ numeric, className, ...rest }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <th scope="col" {...rest} className={[numeric ? 'num' : '', className].filter(Boolean).join(' ') || undefined} />
  )
}
export function Td({ numeric, className, ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td {...rest} className={[numeric ? 'num' : '', className].filter(Boolean).join(' ') || undefined} />
}
