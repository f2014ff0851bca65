import { AppError } from '../../lib/errors.ts'
import type { PleskFailure } from './replies.ts'

/** Plesk XML API error codes oxbill reacts to (docs: "Reduced list of error codes"). */
export const PleskCode = {
  authFailed: 1001,
  userExists: 1002,
  permissionDenied: 1006,
  exists: 1007,
  notFound: 1013,
  parseError: 1014,
  ownerNotFound: 1015,
  ipNotFound: 1018,
  invalidValue: 1019,
  operationFailed: 1023,
} as const

const AUTH_CODES: ReadonlySet<number> = new Set([PleskCode.authFailed, PleskCode.permissionDenied])
const EXISTS_CODES: ReadonlySet<number> = new Set([PleskCode.userExists, PleskCode.exists])

/**
 * Maps a Plesk error to a permanent AppError. `secrets` (passwords, key) are scrubbed from the
 * Plesk text, which sometimes echoes submitted values, before it reaches messages or logs.
 */
export function pleskError(failure: PleskFailure, operation: string, secrets: readonly string[] = []): AppError {
  const errtext = redact(failure.errtext, secrets)
  const details: Record<string, unknown> = {
    provider: 'plesk',
    operation,
    pleskCode: failure.errcode,
    pleskText: errtext,
  }
  if (AUTH_CODES.has(failure.errcode)) {
    return new AppError('provider_error', `Plesk rejected the credentials (errcode ${failure.errcode})`, {
      retryable: false,
      details: { ...details, auth: true },
    })
  }
  if (EXISTS_CODES.has(failure.errcode)) {
    return new AppError(
      'provider_error',
      `Plesk ${operation}: object already exists (errcode ${failure.errcode}: ${errtext})`,
      {
        retryable: false,
        details: { ...details, exists: true },
      },
    )
  }
  return new AppError('provider_error', `Plesk ${operation} failed (errcode ${failure.errcode}: ${errtext})`, {
    retryable: false,
    details,
  })
}

/** True for a Plesk "already exists" error (1002 user exists, 1007 object exists). */
export function isPleskExists(err: unknown): boolean {
  return pleskCodeOf(err) !== null && EXISTS_CODES.has(pleskCodeOf(err)!)
}

/** The Plesk errcode carried by an AppError from this adapter, if any. */
export function pleskCodeOf(err: unknown): number | null {
  if (!(err instanceof AppError) || err.details.provider !== 'plesk') return null
  const code = err.details.pleskCode
  return typeof code === 'number' ? code : null
}

/** Replaces every occurrence of each non-empty secret with [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('[redacted]')
  }
  return out
}
