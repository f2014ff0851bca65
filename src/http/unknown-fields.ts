import type { FastifyReply, FastifyRequest } from 'fastify'

type AnyFastify = import('fastify').FastifyInstance<any, any, any, any, any>

declare module 'fastify' {
  interface FastifyRequest {
    /** Unknown fields removed before validation (documented endpoints, lenient mode). */
    ignoredFields?: IgnoredField[]
  }
}

export interface IgnoredField {
  in: 'body' | 'query'
  field: string
}

/**
 * The documented 0xhost endpoints (the page table of docs/0xhost-compat.md) that oxbill implements with a body or query
 * schema. A drop-in replacement must not turn a harmless extra field into a failed order: fields
 * documented on other pages (`versions`, `password`, `auto_renew`, `rental_duration`), a
 * cache-buster (`?_=1`). oxbill's own endpoints (admin, catalog, balance, server lists…) are not
 * here and stay strict. `POST /API/on_payment_status` has no schema: its raw body is the signature's.
 */
export const DOCUMENTED_ROUTES: ReadonlySet<string> = new Set([
  'POST /API/orders/create_order',
  'POST /API/orders/create_order_addon',
  'POST /API/orders/create_order_plesk',
  'POST /API/orders/create_order_scale_plesk',
  'GET /API/info_user',
  'GET /API/plans/list_plan',
  'GET /API/servers/list_addon_server',
  'GET /API/orders/list_order',
  'GET /API/services/usage_server',
  'GET /API/plesk/subscriptions/detail',
  'POST /API/services/auto_renew',
  'POST /API/plesk/clients/create',
  'POST /API/invoice',
  'GET /API/get_transation_by_track_id',
  'GET /API/list_transactions',
])

export const isDocumentedRoute = (method: string, url: string): boolean =>
  DOCUMENTED_ROUTES.has(`${method === 'HEAD' ? 'GET' : method} ${url}`)

/** A name longer than this is cut in logs and warnings (a body is at most 16 KiB, a key too). */
const MAX_NAME = 100

interface SchemaLike {
  properties?: Record<string, unknown>
  anyOf?: SchemaLike[]
  oneOf?: SchemaLike[]
  allOf?: SchemaLike[]
  additionalProperties?: unknown
}

const knownCache = new WeakMap<object, ReadonlySet<string> | null>()

/**
 * The top-level field names a schema declares (all branches of a union), or null when it does
 * not refuse unknown ones (then there is nothing to remove).
 */
function knownFields(schema: SchemaLike): ReadonlySet<string> | null {
  const cached = knownCache.get(schema)
  if (cached !== undefined) return cached
  const branches = schema.anyOf ?? schema.oneOf ?? schema.allOf
  let known: Set<string> | null = null
  if (branches) {
    known = new Set()
    for (const b of branches) {
      const k = knownFields(b)
      if (k === null) {
        known = null
        break
      }
      for (const f of k) known.add(f)
    }
  } else if (schema.properties !== undefined && schema.additionalProperties === false) {
    known = new Set(Object.keys(schema.properties))
  }
  knownCache.set(schema, known)
  return known
}

function strip(target: unknown, schema: unknown, where: IgnoredField['in'], out: IgnoredField[]): void {
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return
  if (schema === null || typeof schema !== 'object') return
  const known = knownFields(schema)
  if (known === null) return
  for (const field of Object.keys(target)) {
    if (known.has(field)) continue
    // Removed before validation, so neither the schema, the fingerprint nor a use-case sees it.
    delete (target as Record<string, unknown>)[field]
    out.push({ in: where, field: field.length > MAX_NAME ? `${field.slice(0, MAX_NAME)}…` : field })
  }
}

/** The `warnings` an answer carries for the fields it ignored. */
export function warningsOf(
  ignored: readonly IgnoredField[],
): Array<{ code: 'unknown_field'; in: IgnoredField['in']; field: string; message: string }> {
  return ignored.map(f => ({
    code: 'unknown_field',
    in: f.in,
    field: f.field,
    message: `unknown field '${f.field}' in ${f.in} was ignored`,
  }))
}

/**
 * Unknown body fields and query parameters of the documented endpoints (DOCUMENTED_ROUTES):
 * removed before validation, logged at info (names only, never values) and named in the
 * answer's `warnings` array, success or error: `[{ code: "unknown_field", in: "body", field:
 * "versions", message }]`. Everything else is validated as before, so mass assignment stays
 * impossible: a removed field never reaches a use-case, and a field the schema declares is
 * validated. They do not count in the Idempotency-Key fingerprint (it hashes the body after
 * removal): an ignored field cannot change what the request does, so a retry that adds or drops
 * one is the same request and replays. `strict` (STRICT_UNKNOWN_FIELDS=true) leaves them to the
 * schemas: 400 `unknown_field`, as on oxbill's own endpoints.
 */
export function registerUnknownFields(app: AnyFastify, opts: { strict: boolean }): void {
  if (opts.strict) return
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const url = req.routeOptions.url
    if (url === undefined || !isDocumentedRoute(req.method, url)) return
    const schema = req.routeOptions.schema
    if (!schema) return
    const ignored: IgnoredField[] = []
    strip(req.body, schema.body, 'body', ignored)
    strip(req.query, schema.querystring, 'query', ignored)
    if (ignored.length === 0) return
    req.ignoredFields = ignored
    req.log.info({ ignored_fields: ignored.map(f => `${f.in}.${f.field}`) }, 'unknown fields ignored')
  })
  // After serialization (the response schemas do not list `warnings`): the JSON object gets one
  // more member. Fastify sets Content-Length after onSend.
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const ignored = req.ignoredFields
    if (!ignored || typeof payload !== 'string' || !payload.startsWith('{') || !payload.endsWith('}')) return payload
    if (!/\bjson\b/i.test(String(reply.getHeader('content-type') ?? ''))) return payload
    const warnings = JSON.stringify(warningsOf(ignored))
    return payload === '{}' ? `{"warnings":${warnings}}` : `${payload.slice(0, -1)},"warnings":${warnings}}`
  })
}
