import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { ErrorCodes, type ErrorCode } from '../lib/errors.ts'
import { declaredErrorCodes } from './schemas/common.ts'
import { EXAMPLES } from './openapi-examples.ts'
import { isDocumentedRoute } from './unknown-fields.ts'

/** What each error code means, for the per-status descriptions of the document. */
const CODE_TEXT: Record<ErrorCode, string> = {
  validation_error: 'a field, the query, a path parameter or a header is invalid (also U+0000 in any string)',
  invalid_json: 'the body cannot be read (not JSON, not a form, not UTF-8)',
  unknown_field: 'a body field or query parameter the endpoint does not take',
  ambiguous_request: 'the fields mix two operations of this path',
  missing_idempotency_key: 'this operation needs an Idempotency-Key',
  weak_password:
    'the password is refused (`field`; the message says why: length, a common or breached password, contains the e-mail)',
  invalid_token: 'the mailed token is unknown, used or expired',
  invalid_totp: 'the authenticator code or recovery code is wrong or already used',
  unauthorized: 'missing, unknown or revoked API key, or no live session',
  invalid_credentials: 'wrong e-mail or password',
  totp_required:
    'the password is right and the account has two-factor authentication: send `totp_code` or `recovery_code`',
  insufficient_balance: 'the balance does not cover the amount (`required`, `available`)',
  forbidden: 'the key may not act for this user, or the endpoint needs an admin key',
  csrf_failed: "a request authenticated by the session cookie without the session's `x-csrf-token` header",
  signup_disabled: 'self-service signup is off (SIGNUP_ENABLED=false)',
  not_found: "a named object does not exist or is not the caller's",
  route_not_found: 'no such route',
  conflict: 'the name, login or domain is taken, or the invoice is being created by another request',
  idempotency_key_in_use: 'a request with this Idempotency-Key is still running',
  request_timeout: 'the request was not received in time',
  payload_too_large: 'the body is over 16 KiB',
  uri_too_long: 'a path parameter is over 100 characters',
  unsupported_media_type: 'a charset other than UTF-8, or a media type oxbill does not read',
  idempotency_key_mismatch: 'this Idempotency-Key was used with another body',
  invalid_state: 'the object is not in a state that allows it (another order open on the service, not active…)',
  action_pending: 'another power action on the server is queued or running (`pending_action_id`)',
  too_many_open_invoices: 'MAX_OPEN_INVOICES_PER_USER unpaid invoices are open (`limit`, `open`)',
  rate_limited: 'too many requests; retry after Retry-After seconds',
  too_many_attempts: 'too many failed logins for this e-mail or from this address; retry after Retry-After seconds',
  headers_too_large: 'the request headers are too large',
  internal_error: 'unexpected error; the request id identifies it in the logs',
  provider_error: 'SolusVM, Plesk or OxaPay refused the call',
  provider_unavailable: 'SolusVM, Plesk or OxaPay could not be reached; retry',
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])
/**
 * Routes whose plugin has its own body parser (the payment callback keeps the raw bytes for the
 * signature; the checkout page reads its form): no invalid_json, no 415.
 */
const OWN_PARSER_ROUTES = new Set(['POST /API/on_payment_status', 'POST /checkout/:payment_id'])

interface RouteFacts {
  method: string
  url: string
  auth: 'key' | 'admin' | 'none'
  schema: Record<string, unknown>
  strictUnknownFields: boolean
}

const hasProperty = (schema: unknown, name: string): boolean => {
  if (schema === null || typeof schema !== 'object') return false
  const s = schema as { properties?: Record<string, unknown>; anyOf?: unknown[] }
  return (s.properties !== undefined && name in s.properties) || (s.anyOf?.some(b => hasProperty(b, name)) ?? false)
}

/**
 * The error codes an operation can answer: those of its kind, derived from the route — every
 * route validates (400), is rate limited (429) and may fail (500); a key or admin route
 * authenticates (401; admin: 403); a `user_id` field may name someone else (403); a body may be
 * too large (413), unreadable or of an unread type (400, 415; not where the raw bytes are kept); a path parameter names an object
 * (404) and is bounded (414); a strict schema refuses unknown fields — plus those `withErrors`
 * declared for what the route does (402, 404, 409, 422, 5xx).
 */
export function errorCodesOf(r: RouteFacts): ErrorCode[] {
  const codes = new Set<ErrorCode>(['validation_error', 'rate_limited', 'internal_error'])
  if (r.auth !== 'none') codes.add('unauthorized')
  // A customer route also takes the portal's session cookie, which must carry its CSRF token on writes.
  if (r.auth === 'key' && BODY_METHODS.has(r.method)) codes.add('csrf_failed')
  if (r.auth === 'key' && r.method === 'DELETE') codes.add('csrf_failed')
  if (r.auth === 'admin') codes.add('forbidden')
  if (r.auth === 'key' && (hasProperty(r.schema.body, 'user_id') || hasProperty(r.schema.querystring, 'user_id'))) {
    codes.add('forbidden')
  }
  if (BODY_METHODS.has(r.method)) {
    codes.add('payload_too_large')
    if (!OWN_PARSER_ROUTES.has(`${r.method} ${r.url}`)) {
      codes.add('invalid_json')
      codes.add('unsupported_media_type')
    }
  }
  if (/\/:\w+/.test(r.url)) {
    codes.add('not_found')
    codes.add('uri_too_long')
  }
  const validated = r.schema.body !== undefined || r.schema.querystring !== undefined || r.schema.params !== undefined
  if (validated && (r.strictUnknownFields || !isDocumentedRoute(r.method, r.url))) codes.add('unknown_field')
  for (const c of declaredErrorCodes(r.schema.response)) codes.add(c)
  return [...codes].sort((a, b) => ErrorCodes[a] - ErrorCodes[b] || a.localeCompare(b))
}

const Warnings = {
  type: 'array',
  description:
    'Present when unknown body fields or query parameters were ignored (documented endpoints; STRICT_UNKNOWN_FIELDS=true refuses them instead)',
  items: {
    type: 'object',
    required: ['code', 'in', 'field', 'message'],
    properties: {
      code: { type: 'string', enum: ['unknown_field'] },
      in: { type: 'string', enum: ['body', 'query'] },
      field: { type: 'string' },
      message: { type: 'string' },
    },
  },
}

/**
 * The error envelope of one status, with exactly the codes this operation can answer there;
 * always JSON, also where the success is not (the checkout page is HTML).
 */
function errorResponse(status: number, codes: ErrorCode[], warnings: boolean) {
  const description = codes.map(c => `\`${c}\`: ${CODE_TEXT[c]}`).join('; ')
  const schema = {
    type: 'object',
    required: ['success', 'message', 'error'],
    properties: {
      success: { type: 'boolean', enum: [false] },
      message: { type: 'string' },
      error: {
        type: 'object',
        required: ['code', 'message', 'request_id'],
        additionalProperties: true,
        properties: {
          code: { type: 'string', enum: codes },
          message: { type: 'string' },
          request_id: { type: 'string' },
        },
      },
      ...(warnings ? { warnings: Warnings } : {}),
    },
  }
  return {
    description,
    content: { 'application/json': { schema } },
    ...(status === 429 ? { headers: { 'Retry-After': { type: 'integer', description: 'Seconds to wait' } } } : {}),
  }
}

/** What an Idempotency-Key does on each kind of POST. */
function idempotencyHeader(r: RouteFacts, codes: ErrorCode[]) {
  const description =
    r.auth === 'admin'
      ? 'Not supported on admin writes: a request that sends it is refused with 400 (look the request id up in GET /API/admin/audit-log before retrying)'
      : codes.includes('idempotency_key_mismatch')
        ? 'Honoured (Stripe semantics): a retry with the same key answers the first response; while the first runs, 409 idempotency_key_in_use; with another body, 422 idempotency_key_mismatch. 1-255 printable ASCII characters; kept IDEMPOTENCY_RETENTION_HOURS. Unknown fields ignored on documented endpoints do not count in the comparison.'
        : codes.includes('action_pending')
          ? 'Accepted and not needed: a repeat while the first action is queued or running is refused with 409 action_pending (naming it); once that one ended, a repeat is a new action'
          : 'Accepted and not needed: repeating this request is safe without it (it sets a state, answers what is open, or is acknowledged once per payment state)'
  return { type: 'string', minLength: 1, maxLength: 255, description }
}

/**
 * The document's view of one route, from its schema: per-operation errors, `Idempotency-Key` on
 * every POST, no API key where the route takes none (the payment callback is signed instead),
 * both body encodings, `warnings` on the documented endpoints, and the docs' examples.
 * Documentation only: the route's runtime schemas are not touched.
 */
function describe(r: RouteFacts): Record<string, unknown> {
  const schema: Record<string, unknown> = { ...r.schema }
  const codes = errorCodesOf(r)
  const documented = isDocumentedRoute(r.method, r.url) && !r.strictUnknownFields
  const examples = EXAMPLES[String(schema.operationId)]
  const response: Record<string, unknown> = {}
  for (const [status, s] of Object.entries((r.schema.response ?? {}) as Record<string, Record<string, unknown>>)) {
    if (!status.startsWith('2')) continue
    const withExamples = examples?.response ? { 'x-examples': examples.response } : {}
    response[status] = documented
      ? {
          description: s.description ?? 'Success',
          allOf: [s, { type: 'object', properties: { warnings: Warnings } }],
          ...withExamples,
        }
      : { ...s, ...withExamples }
  }
  for (const status of [...new Set(codes.map(c => ErrorCodes[c]))]) {
    response[status] = errorResponse(
      status,
      codes.filter(c => ErrorCodes[c] === status),
      documented,
    )
  }
  schema.response = response
  if (r.auth === 'none') schema.security = []
  if (r.auth === 'admin') schema.security = [{ apiKey: [] }]
  if (r.method === 'POST') {
    const headers = (r.schema.headers ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown> }
    schema.headers = {
      ...headers,
      properties: { ...headers.properties, 'idempotency-key': idempotencyHeader(r, codes) },
    }
  }
  if (r.schema.body !== undefined) {
    schema.consumes = ['application/json', 'application/x-www-form-urlencoded']
    if (examples?.request) schema.body = { ...(r.schema.body as object), 'x-examples': examples.request }
  }
  return schema
}

/**
 * OpenAPI 3 built from the route schemas (every route declares body/query/params and its
 * success responses; errors as above). Served at /openapi.json; an interactive page at /docs.
 */
export async function registerOpenApi(app: FastifyInstance, opts: { strictUnknownFields: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'oxbill API',
        version: '0.1.0',
        description:
          'Orders, billing and provisioning for hosting providers; compatible with the 0xhost order API. ' +
          'Authenticate with the x-api-key header. Every POST accepts an Idempotency-Key header (what it does is said per operation). ' +
          'Bodies: JSON (whatever the Content-Type header says, as 0xhost reads them) or application/x-www-form-urlencoded, UTF-8, at most 16 KiB. ' +
          'Errors: { success: false, message, error: { code, message, request_id } }; each operation lists the codes it can answer. ' +
          'Documented 0xhost endpoints ignore unknown fields and name them in `warnings` (STRICT_UNKNOWN_FIELDS=true refuses them).',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'oxbill_session',
            description:
              'The portal session (POST /API/auth/login); writes also need the header x-csrf-token. Not on admin routes.',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
      tags: [
        { name: 'orders', description: 'Server, addon and change-of-plan orders' },
        { name: 'plesk', description: 'Plesk web hosting' },
        { name: 'auth', description: 'Signup, login, cookie sessions, e-mail verification and password reset' },
        {
          name: 'account',
          description: 'The caller: balance, ledger, profile, password, two-factor authentication, API keys',
        },
        { name: 'catalog', description: 'What can be ordered' },
        { name: 'services', description: 'Servers, addons, subscriptions the caller owns' },
        { name: 'servers', description: 'Power actions on the caller’s servers (run at SolusVM by a job)' },
        { name: 'payments', description: 'Crypto invoices, callbacks and transactions' },
        { name: 'events', description: 'What happened to orders, services and payments (payloads: EventData.<type>)' },
        {
          name: 'webhooks',
          description:
            'Signed webhooks (Standard Webhooks); every delivery is a POST with a WebhookMessage body, retried with the same webhook-id for about three days',
        },
        { name: 'notifications', description: 'E-mail: preferences and the mail sent' },
        { name: 'admin', description: 'Operator API (admin keys only)' },
        { name: 'branding', description: "The web portal's name, logo and colours (no API key)" },
      ],
    },
    transform: ({ schema, url, route }) => {
      if (!schema || (schema as { hide?: boolean }).hide === true) return { schema, url }
      const method = [route.method].flat()[0]!.toUpperCase()
      const auth = route.config?.auth ?? 'key'
      const described = describe({
        method,
        url,
        auth,
        schema: schema as Record<string, unknown>,
        strictUnknownFields: opts.strictUnknownFields,
      })
      return { schema: described, url }
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'none' } }, async () => app.swagger())
}
