import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'
import { Field } from './Field.tsx'

interface Common {
  label: ReactNode
  hint?: ReactNode
  error?: string | undefined
  optional?: boolean
  fieldClassName?: string
}

export type TextInputProps = Common &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & { ref?: Ref<HTMLInputElement> }

/** A labelled text input; spread react-hook-form's `register('name')` into it. */
export function TextInput({ label, hint, error, optional, fieldClassName, required, ref, ...input }: TextInputProps) {
  return (
    <Field label={label} hint={hint} error={error} optional={optional} required={required} className={fieldClassName}>
      {control => <input ref={ref} className="input" required={required} {...input} {...control} />}
    </Field>
  )
}

export type TextAreaProps = Common &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & { ref?: Ref<HTMLTextAreaElement> }

export function TextArea({ label, hint, error, optional, fieldClassName, required, ref, ...input }: TextAreaProps) {
  return (
    <Field label={label} hint={hint} error={error} optional={optional} required={required} className={fieldClassName}>
      {control => <textarea ref={ref} className="input" required={required} {...input} {...control} />}
    </Field>
  )
}

export interface SelectOption {
  value: string
  label: string
  disabled?: boolean
}

export type SelectProps = Common &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
    options: readonly SelectOption[]
    ref?: Ref<HTMLSelectElement>
  }

/** A native select (keyboard and screen readers for free). */
export function Select({
  label,
  hint,
  error,
  optional,
  fieldClassName,
  required,
  options,
  ref,
  ...select
}: SelectProps) {
  return (
    <Field label={label} hint={hint} error={error} optional={optional} required={required} className={fieldClassName}>
      {control => (
        <select ref={ref} className="input" required={required} {...select} {...control}>
          {options.map(o => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

export type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> & {
  label: ReactNode
  hint?: ReactNode
  ref?: Ref<HTMLInputElement>
}

export function Checkbox({ label, hint, ref, ...input }: CheckboxProps) {
  return (
    <Field label={label} hint={hint} className="field-checkbox">
      {control => <input ref={ref} type="checkbox" {...input} {...control} />}
    </Field>
  )
}
