import { useId } from 'react'
import type { UseFormRegisterReturn } from 'react-hook-form'
import { t } from '../../lib/i18n/index.ts'
import { EVENT_TYPES } from './event-types.ts'

const LABELS: Record<string, string> = t.portal.eventTypes

/** Checkboxes for event types, registered as one array field. */
export function EventTypeChoices({
  legend,
  hint,
  register,
  disabled,
}: {
  legend: string
  hint?: string
  register: UseFormRegisterReturn
  disabled?: boolean
}) {
  const hintId = useId()
  return (
    <fieldset className="choices event-choices" aria-describedby={hint ? hintId : undefined} disabled={disabled}>
      <legend>{legend}</legend>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {EVENT_TYPES.map(type => (
        <label key={type} className="choice">
          <input type="checkbox" value={type} {...register} /> {LABELS[type] ?? type}{' '}
          <code className="muted">{type}</code>
        </label>
      ))}
    </fieldset>
  )
}
