import { AppError } from '../../lib/errors.ts'

/**
 * A unique-constraint violation (SQLSTATE 23505) from either driver. A pre-check inside the
 * transaction catches the common case; this catches two concurrent writers racing past it.
 */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505'
}

/** Re-throws a unique violation as a 409 `conflict` naming `field`; anything else unchanged. */
export function conflictOnUnique(field: string, message: string) {
  return (err: unknown): never => {
    if (isUniqueViolation(err)) throw new AppError('conflict', message, { details: { field } })
    throw err
  }
}
