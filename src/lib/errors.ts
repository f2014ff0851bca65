/**
 * The one error type of oxbill. Use-cases throw AppError with a code from the closed set below;
 * `http/error-handler.ts` maps it to HTTP in one place. `retryable` is read by the job runner.
 */
export const ErrorCodes = {
  validation_error: 400,
  invalid_json: 400,
  unknown_field: 400,
  ambiguous_request: 400,
  missing_idempotency_key: 400,
  weak_password: 400,
  invalid_token: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  totp_required: 401,
  /** A wrong or reused authenticator or recovery code: at login and when turning 2FA on or off alike. */
  invalid_totp: 401,
  insufficient_balance: 402,
  forbidden: 403,
  csrf_failed: 403,
  signup_disabled: 403,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  idempotency_key_in_use: 409,
  request_timeout: 408,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  idempotency_key_mismatch: 422,
  invalid_state: 409,
  /** Another power action on the server is queued or running (its id in the message and details). */
  action_pending: 409,
  too_many_open_invoices: 409,
  rate_limited: 429,
  too_many_attempts: 429,
  headers_too_large: 431,
  internal_error: 500,
  provider_error: 502,
  provider_unavailable: 503,
} as const

export type ErrorCode = keyof typeof ErrorCodes

export interface AppErrorOptions {
  /** Extra machine-readable detail returned to the client (field name, required amount…). */
  details?: Record<string, unknown>
  /** Whether repeating the same operation later may succeed (network failure, 5xx, lease lost). */
  retryable?: boolean
  cause?: unknown
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown>
  readonly retryable: boolean

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details ?? {}
    this.retryable = options.retryable ?? false
  }

  get status(): number {
    return ErrorCodes[this.code]
  }
}

export const notFound = (what: string, id: string): AppError =>
  new AppError('not_found', `${what} '${id}' was not found`, { details: { resource: what, id } })

export const validation = (message: string, field?: string): AppError =>
  new AppError('validation_error', message, { details: field ? { field } : {} })
