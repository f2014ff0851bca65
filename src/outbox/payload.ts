import { AppError } from '../lib/errors.ts'

/** Checks a job payload at execution (it was written by our own code, but maybe by an older version). */
export function requireStrings<K extends string>(
  payload: unknown,
  keys: K[],
  optional: string[] = [],
): Record<K, string> {
  if (payload === null || typeof payload !== 'object') {
    throw new AppError('internal_error', 'job payload is not an object')
  }
  const p = payload as Record<string, unknown>
  for (const k of keys) {
    if (typeof p[k] !== 'string') throw new AppError('internal_error', `job payload field ${k} missing`)
  }
  for (const k of optional) {
    if (p[k] !== undefined && p[k] !== null && typeof p[k] !== 'string') {
      throw new AppError('internal_error', `job payload field ${k} malformed`)
    }
  }
  return p as Record<K, string>
}
