import { useState } from 'react'
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form'
import { isApiError } from '../api/errors.ts'

/**
 * A failed submit, routed per STYLE-web rule 9: when the server's `error.field` names one of the
 * form's fields, the message goes under that field (setError); anything else is returned as the
 * form-level error for an <ErrorAlert>. `fields` maps API field names to form paths where they
 * differ (`billing.vat_id` → `vatId`).
 */
export function useServerErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  aliases: Partial<Record<string, Path<T>>> = {},
) {
  const [formError, setFormError] = useState<unknown>(null)
  return {
    formError,
    clear: () => setFormError(null),
    handle(error: unknown) {
      if (isApiError(error) && error.field !== undefined) {
        const target = aliases[error.field] ?? fields.find(f => f === error.field)
        if (target !== undefined) {
          setError(target, { type: 'server', message: error.message }, { shouldFocus: true })
          setFormError(null)
          return
        }
      }
      setFormError(error)
    },
  }
}
