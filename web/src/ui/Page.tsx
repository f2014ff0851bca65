import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useLocation } from 'react-router'
import { setPageTitle } from './title.ts'

let firstPage = true

export interface PageProps {
  /** The one h1 of the page, and the document title. */
  title: string
  /** Text under the title. */
  description?: ReactNode
  /** Buttons or links beside the title. */
  actions?: ReactNode
  /** Breadcrumb or back link above the title. */
  back?: ReactNode
  children?: ReactNode
  /** Narrow column for forms (auth pages). */
  narrow?: boolean
}

/**
 * One page: one <main> and one <h1> (STYLE-web rule 13). After a navigation focus moves to the
 * h1, so keyboard and screen-reader users start at the new content; the first page load keeps
 * the browser's own focus.
 */
export function Page({ title, description, actions, back, children, narrow }: PageProps) {
  const h1 = useRef<HTMLHeadingElement>(null)
  const location = useLocation()
  useEffect(() => {
    setPageTitle(title)
  }, [title])
  useEffect(() => {
    if (firstPage) {
      firstPage = false
      return
    }
    h1.current?.focus()
  }, [location.pathname])
  return (
    <main id="main" className={narrow ? 'page page-narrow' : 'page'}>
      {back !== undefined && <div className="page-back">{back}</div>}
      <div className="page-head">
        <h1 ref={h1} tabIndex={-1} className="page-title">
          {title}
        </h1>
        {actions !== undefined && <div className="page-actions">{actions}</div>}
      </div>
      {description !== undefined && <div className="page-description">{description}</div>}
      {children}
    </main>
  )
}

/** A titled part of a page (h2), for pages with several. */
export function Section({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  const id = useId()
  return (
    <section className="section" aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  )
}
