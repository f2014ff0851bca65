import { useId } from 'react'
import { Button, type ButtonProps } from './Button.tsx'

/**
 * A button the state may forbid: disabled, with the reason beside it and linked to it
 * (aria-describedby), so a screen reader hears why (STYLE-web rule 8). `reason` null: allowed.
 */
export function GuardedButton({ reason, disabled, ...button }: ButtonProps & { reason: string | null }) {
  const reasonId = useId()
  return (
    <span className="guarded">
      <Button
        {...button}
        disabled={reason !== null || disabled === true}
        aria-describedby={reason === null ? button['aria-describedby'] : reasonId}
      />
      {reason !== null && (
        <span id={reasonId} className="field-hint">
          {reason}
        </span>
      )}
    </span>
  )
}
