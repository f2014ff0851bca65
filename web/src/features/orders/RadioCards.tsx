import { useId, type ReactNode } from 'react'
import type { UseFormRegisterReturn } from 'react-hook-form'
import { Money } from '../../ui/index.ts'

export interface RadioCard {
  value: string
  title: string
  detail?: ReactNode
  price?: { value: string; currency: string; suffix?: string }
}

/**
 * A choice among priced items (plans, addons) as native radios in a fieldset, so each price is
 * rendered by <Money> (an <option> could only hold text) and arrows move between choices.
 */
export function RadioCards({
  legend,
  options,
  register,
  error,
  empty,
}: {
  legend: string
  options: readonly RadioCard[]
  register: UseFormRegisterReturn
  error?: string | undefined
  empty?: ReactNode
}) {
  const id = useId()
  const errorId = `${id}-error`
  return (
    <fieldset
      className="choices choice-cards"
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend>{legend}</legend>
      {options.length === 0 && empty}
      {options.map(o => (
        <label key={o.value} className="choice choice-card">
          <input type="radio" value={o.value} {...register} />
          <span className="choice-title">{o.title}</span>
          {o.detail !== undefined && <span className="choice-detail">{o.detail}</span>}
          {o.price !== undefined && (
            <span className="choice-price">
              <Money value={o.price.value} currency={o.price.currency} />
              {o.price.suffix !== undefined && <> {o.price.suffix}</>}
            </span>
          )}
        </label>
      ))}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}
