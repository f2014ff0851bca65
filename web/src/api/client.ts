// The one HTTP client of the portal (STYLE-web rule 2): only this file knows URLs, headers and
// CSRF; nothing else calls fetch. Typed by the generated `paths`; every non-2xx answer becomes an
// ApiError (thrown), a network failure an ApiError with code `network`.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema.d.ts'
import { ApiError, errorFromBody } from './errors.ts'

export { ApiError, isApiError, isTransient } from './errors.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

interface ClientHooks {
  /** The session's CSRF token (GET /API/auth/session, login, verify-email); null with none. */
  csrfToken(): string | null | undefined
  /** A 401 `unauthorized` outside the auth endpoints: the session is gone. */
  onUnauthorized(): void
}

let hooks: ClientHooks = { csrfToken: () => null, onUnauthorized: () => {} }

/** Called once by main.tsx, which owns the QueryClient and the router. */
export function configureClient(h: ClientHooks): void {
  hooks = h
}

/** Where a 401 is an answer about the credentials just sent, not a lost session. */
const AUTH_PATHS = /^\/API\/(auth\/|account\/password$|account\/2fa\/)/

const middleware: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method)) {
      const token = hooks.csrfToken()
      if (token) request.headers.set('x-csrf-token', token)
    }
    return request
  },
  async onResponse({ response, schemaPath }) {
    if (response.ok) return response
    let body: unknown = null
    try {
      body = await response.clone().json()
    } catch {}
    const err = errorFromBody(response.status, body, response.headers)
    if (err.status === 401 && err.code === 'unauthorized' && !AUTH_PATHS.test(schemaPath)) hooks.onUnauthorized()
    throw err
  },
  onError({ error }) {
    // A cancelled query stays an AbortError (TanStack Query ignores it); anything else is the network.
    if (error instanceof ApiError || (error instanceof DOMException && error.name === 'AbortError')) return error
    return new ApiError({ status: 0, code: 'network', message: 'Unable to reach the server.' })
  },
}

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
})
api.use(middleware)

/**
 * The data of a call. The middleware has already thrown for every failure, so a missing body
 * here is a 2xx without JSON, which no oxbill route answers.
 */
export async function unwrap<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, response } = await call
  if (data === undefined) {
    throw new ApiError({
      status: response.status,
      code: 'empty_response',
      message: 'The server sent no data.',
      requestId: response.headers.get('x-request-id') ?? undefined,
    })
  }
  return data
}
