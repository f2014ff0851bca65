// The portal's one error type (STYLE-web rule 2). api/client.ts makes every failed call one.

export interface ApiErrorInit {
  status: number
  code: string
  message: string
  field?: string | undefined
  requestId?: string | undefined
  retryAfter?: number | undefined
}

/** A non-2xx answer of the API (`{ success:false, message, error:{ code, request_id, field? } }`), or code `network`. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly status: number
  readonly code: string
  readonly field: string | undefined
  readonly requestId: string | undefined
  /** Seconds, from Retry-After (429, 503). */
  readonly retryAfter: number | undefined

  constructor(init: ApiErrorInit) {
    super(init.message)
    this.status = init.status
    this.code = init.code
    this.field = init.field
    this.requestId = init.requestId
    this.retryAfter = init.retryAfter
  }

  get isNetwork(): boolean {
    return this.code === 'network'
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/** Worth retrying by itself: the network, throttling, the server's own failures. */
export function isTransient(e: unknown): boolean {
  return isApiError(e) && (e.isNetwork || e.status === 429 || e.status >= 500)
}

/** Retry-After as seconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** The error envelope read defensively: a proxy's HTML 502 still becomes a readable ApiError. */
export function errorFromBody(status: number, body: unknown, headers: { get(name: string): string | null }): ApiError {
  const envelope = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const inner =
    typeof envelope.error === 'object' && envelope.error !== null ? (envelope.error as Record<string, unknown>) : {}
  return new ApiError({
    status,
    code: str(inner.code) ?? (status >= 500 ? 'internal_error' : `http_${status}`),
    message: str(envelope.message) ?? str(inner.message) ?? `The server answered ${status}.`,
    field: str(inner.field),
    requestId: str(inner.request_id) ?? headers.get('x-request-id') ?? undefined,
    retryAfter: parseRetryAfter(headers.get('retry-after')),
  })
}
