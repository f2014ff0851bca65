import type { ButtonHTMLAttributes, ReactNode } from 'react'

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'link'
  /** A request is running: the button is disabled, says so (`pendingLabel`) and is aria-busy. */
  pending?: boolean
  pendingLabel?: ReactNode
}

/** A native button; `type="button"` unless said, so it never submits a form by accident. */
export function Button({
  variant = 'primary',
  pending = false,
  pendingLabel,
  type = 'button',
  disabled,
  className,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={['btn', `btn-${variant}`, className].filter(Boolean).join(' ')}
      disabled={disabled === true || pending}
      aria-busy={pending || undefined}
    >
      {pending && <span className="spinner spinner-inline" aria-hidden="true" />}
      {pending && pendingLabel !== undefined ? pendingLabel : children}
    </button>
  )
}
