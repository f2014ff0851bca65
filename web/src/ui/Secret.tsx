import { useEffect, useRef, type ReactNode } from 'react'
import { CopyButton } from './CopyButton.tsx'

/**
 * A secret shown once (a root password, a console password): labelled, selectable by hand (the
 * clipboard needs a secure context), with a copy button, and focused when it appears so a
 * keyboard or screen-reader user lands on it rather than on the button that vanished.
 */
export function Secret({
  label,
  value,
  note,
  copyLabel,
  autoFocus = true,
}: {
  label: string
  value: string
  note?: ReactNode
  /** The copy button's name, e.g. "Copy the password". */
  copyLabel?: string
  /** Focus it on appearing (the first secret of a dialog). */
  autoFocus?: boolean
}) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (autoFocus) ref.current?.focus()
  }, [autoFocus])
  return (
    <div className="secret-box" ref={ref} tabIndex={-1} role="group" aria-label={label}>
      <p className="secret-label">{label}</p>
      <p className="secret-row">
        <code className="secret">{value}</code>{' '}
        <CopyButton value={value} {...(copyLabel === undefined ? {} : { label: copyLabel })} />
      </p>
      {note !== undefined && <p className="secret-note">{note}</p>}
    </div>
  )
}
