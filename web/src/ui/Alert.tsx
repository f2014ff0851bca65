import type { ReactNode } from 'react'
import { isApiError } from '../api/errors.ts'
import { t } from '../lib/i18n/index.ts'

export interface AlertProps {
  tone?: 'error' | 'warning' | 'info' | 'success'
  title?: ReactNode
  children?: ReactNode
  className?: string
}

/** Inline message. Errors and warnings are role="alert" (read out at once); the rest role="status". */
export function Alert({ tone = 'error', title, children, className }: AlertProps) {
  const urgent = tone === 'error' || tone === 'warning'
  return (
    <div role={urgent ? 'alert' : 'status'} className={['alert', `alert-${tone}`, className].filter(Boolean).join(' ')}>
      {title !== undefined && <p className="alert-title">{title}</p>}
      {children}
    </div>
  )
}

/** The request id of a failed call, for the user to quote to support. */
export function Reference({ id }: { id: string | undefined }) {
  if (id === undefined) return null
  return (
    <p className="reference">
      {t.errors.reference}: <code>{id}</code>
    </p>
  )
}

/**
 * A failed call as the user sees it: the API's `message` as it came, and its request id as
 * "Reference". A 429 also says how long to wait: `retryIn` (a live countdown the page keeps;
 * 0 once it is over) or else the answer's Retry-After. `children` adds an action for a known code
 * (a link to top up, a retry…).
 */
export function ErrorAlert({
  error,
  title,
  retryIn,
  children,
}: {
  error: unknown
  title?: ReactNode
  retryIn?: number
  children?: ReactNode
}) {
  if (error === null || error === undefined) return null
  const api = isApiError(error) ? error : null
  const message = api ? (api.isNetwork ? t.errors.network : api.message) : t.errors.unknown
  const wait = api?.status === 429 ? (retryIn ?? api.retryAfter) : undefined
  return (
    <Alert tone="error" title={title}>
      <p>{message}</p>
      {wait !== undefined && wait > 0 && <p>{t.errors.throttled({ seconds: wait })}</p>}
      {api && <Reference id={api.requestId} />}
      {children}
    </Alert>
  )
}
