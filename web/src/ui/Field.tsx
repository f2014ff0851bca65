import { useId, type ReactNode } from 'react'

/** What a control needs to be tied to its label, hint and error. */
export interface FieldControlProps {
  id: string
  'aria-describedby': string | undefined
  'aria-invalid': true | undefined
  'aria-required': true | undefined
}

export interface FieldProps {
  label: ReactNode
  hint?: ReactNode
  /** The error under the control (client-side check or the server's `error.field`). */
  error?: string | undefined
  required?: boolean
  /** Shown after the label: "(optional)". */
  optional?: boolean
  className?: string
  children: (control: FieldControlProps) => ReactNode
}

/**
 * Label, hint and error, linked to the control with useId, aria-describedby and aria-invalid
 * (STYLE-web rule 13). The error has role="alert" so it is read out when it appears.
 */
export function Field({ label, hint, error, required, optional, className, children }: FieldProps) {
  const id = useId()
  const hintId = hint !== undefined ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div className={['field', error ? 'field-invalid' : '', className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field-label">
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {hint !== undefined && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
        'aria-required': required ? true : undefined,
      })}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
