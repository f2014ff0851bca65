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
 * "Reference". `children` adds an action for a known code (a link to top up, a retry…).
 */
export function ErrorAlert({ error, title, children }: { error: unknown; title?: ReactNode; children?: ReactNode }) {
  if (error === null || error === undefined) return null
  const message = isApiError(error)
    ? error.isNetwork
      ? t.errors.network
      : error.status === 429 && error.retryAfter !== undefined
        ? `${error.message} ${t.errors.throttled({ seconds: error.retryAfter })}`
        : error.message
    : t.errors.unknown
  return (
    <Alert tone="error" title={title}>
      <p>{message}</p>
      {isApiError(error) && <Reference id={error.requestId} />}
      {children}
    </Alert>
  )
}
