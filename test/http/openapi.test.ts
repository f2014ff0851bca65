import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import SwaggerParser from '@apidevtools/swagger-parser'
import AjvModule from 'ajv'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { isDeepStrictEqual } from 'node:util'
import { DEMO_API_KEY } from '../../src/seed/seed-demo.ts'
import { ErrorCodes } from '../../src/lib/errors.ts'
import { isDocumentedRoute } from '../../src/http/unknown-fields.ts'
import { ORDER_EXAMPLES } from '../compat/order-examples.ts'

let env: TestEnv
interface Media {
  schema: any
  examples?: Record<string, { summary: string; value: unknown }>
}
interface Operation {
  operationId?: string
  security?: unknown[]
  parameters?: Array<{ in: string; name: string; description?: string }>
  responses: Record<string, { description: string; content?: Record<string, Media>; headers?: Record<string, unknown> }>
  requestBody?: { content: Record<string, Media> }
}
let doc: { paths: Record<string, Record<string, Operation>> }
before(async () => {
  env = await startTestEnv()
  const res = await env.request({ method: 'GET', url: '/openapi.json' })
  assert.equal(res.statusCode, 200)
  doc = res.json()
})
after(async () => {
  await env.close()
})

// The documented examples are the spec: test/compat/order-examples.ts holds them as we read them
// from the docs, independently of src/http/openapi-examples.ts, which this file checks against them.
const where = (ex: (typeof ORDER_EXAMPLES)[number]) => `${ex.page} ${ex.title}`

/** Every operation of the document with the route facts it was built from. */
function operations() {
  const hidden = (url: string) => url === '/openapi.json' || url.startsWith('/docs') || url.startsWith('/dev/')
  return env.app.routeList
    .filter(r => !hidden(r.url))
    .map(r => {
      const path = r.url.replace(/:(\w+)/g, '{$1}')
      const op = doc.paths[path]?.[r.method.toLowerCase()]
      assert.ok(op, `${r.method} ${r.url} is in the OpenAPI document`)
      return {
        ...r,
        path,
        op,
        id: op.operationId!,
        statuses: Object.keys(op.responses)
          .filter(c => !c.startsWith('2'))
          .map(Number),
      }
    })
}

/** The error codes an operation declares for a status (the enum of error.code). */
const codesAt = (op: Operation, status: number): string[] =>
  op.responses[String(status)]?.content?.['application/json']?.schema.properties.error.properties.code.enum ?? []

test('the OpenAPI document is valid OpenAPI 3', async () => {
  await SwaggerParser.validate(structuredClone(doc) as never)
})

test('every registered route is in the document with an operationId and its responses', () => {
  const hidden = (url: string) => url === '/openapi.json' || url.startsWith('/docs') || url.startsWith('/dev/')
  const routes = env.app.routeList.filter(r => !hidden(r.url))
  assert.ok(routes.length >= 30, `found ${routes.length} routes`)
  const ids = new Set<string>()
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}')
    const op = doc.paths[path]?.[r.method.toLowerCase()]
    assert.ok(op, `${r.method} ${r.url} is in the OpenAPI document`)
    assert.ok(op.operationId, `${r.method} ${r.url} has an operationId`)
    assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} is unique`)
    ids.add(op.operationId)
    const codes = Object.keys(op.responses)
    assert.ok(
      codes.some(c => c.startsWith('2')),
      `${r.method} ${r.url} declares a success response`,
    )
    for (const c of ['400', '429', '500']) assert.ok(codes.includes(c), `${r.method} ${r.url} declares ${c}`)
  }
})

// What each operation does, independently of the code that declares it: which charge money from
// the balance, call a provider while the request waits, or honour an Idempotency-Key.
const CHARGES = new Set([
  'createOrder',
  'createOrderAddon',
  'createOrderPlesk',
  'createOrderScalePlesk',
  'adminAdjustBalance',
  'adminRetryJob',
])
const PROVIDERS = new Set([
  'createOrder',
  'createOrderAddon',
  'createOrderPlesk',
  'createOrderScalePlesk',
  'createInvoice',
  'usageServer',
  'serverConsole',
  'onPaymentStatus',
  'pleskLogin',
])
const IDEMPOTENT = new Set([
  'createOrder',
  'createOrderAddon',
  'createOrderPlesk',
  'createOrderScalePlesk',
  'createPleskClient',
  'createInvoice',
])

// Where a password or a second factor is checked: the login throttle answers too.
const THROTTLED = new Set(['login', 'changePassword', 'disableTotp', 'regenerateRecoveryCodes'])

test('error responses per operation: only the codes its nature can produce, each status listing its codes', () => {
  const ops = operations()
  const shapes = new Set<string>()
  for (const { op, id, method, url, auth, statuses } of ops) {
    const has = (s: number) => statuses.includes(s)
    const where = `${method} ${url}`
    shapes.add(statuses.join(','))
    assert.ok(codesAt(op, 400).includes('validation_error'), `${where}: 400 validation_error`)
    assert.deepEqual(codesAt(op, 429), ['rate_limited', ...(THROTTLED.has(id) ? ['too_many_attempts'] : [])], where)
    assert.deepEqual(codesAt(op, 500), ['internal_error'], where)
    assert.ok(op.responses['429']!.headers?.['Retry-After'], `${where}: 429 names Retry-After`)
    assert.equal(
      has(401),
      auth !== 'none' || ['onPaymentStatus', 'login'].includes(id),
      `${where}: 401 iff authenticated (or signed, or a login)`,
    )
    if (auth === 'admin') assert.ok(codesAt(op, 403).includes('forbidden'), `${where}: admin keys only`)
    const body = ['POST', 'PATCH', 'PUT'].includes(method)
    assert.equal(has(413), body, `${where}: 413 iff it takes a body`)
    const ownParser = ['onPaymentStatus', 'payWithFakeWallet'].includes(id)
    assert.equal(has(415), body && !ownParser, `${where}: 415 iff the app's parser reads its body`)
    assert.equal(
      codesAt(op, 400).includes('invalid_json'),
      body && !ownParser,
      `${where}: invalid_json iff the app's parser reads its body`,
    )
    assert.equal(has(402), CHARGES.has(id), `${where}: 402 only where money is charged`)
    assert.equal(
      has(502) || has(503),
      PROVIDERS.has(id),
      `${where}: 5xx provider errors only where a provider is called`,
    )
    assert.equal(has(422), IDEMPOTENT.has(id), `${where}: 422 only where Idempotency-Key is honoured`)
    if (IDEMPOTENT.has(id)) assert.ok(codesAt(op, 409).includes('idempotency_key_in_use'), where)
    if (url.includes('/:')) {
      assert.ok(codesAt(op, 404).includes('not_found'), where)
      assert.ok(has(414), where)
    }
    for (const s of statuses) {
      const codes = codesAt(op, s)
      assert.ok(codes.length > 0, `${where}: ${s} lists its codes`)
      for (const c of codes) assert.equal(ErrorCodes[c as keyof typeof ErrorCodes], s, `${where}: ${c} belongs to ${s}`)
      for (const c of codes) {
        assert.ok(op.responses[String(s)]!.description.includes(`\`${c}\``), `${where}: ${s} describes ${c}`)
      }
    }
  }
  assert.ok(shapes.size >= 8, `operations differ in their error statuses (${shapes.size} shapes)`)
  const get = ops.filter(o => o.method === 'GET')
  assert.ok(
    get.every(o => !o.statuses.some(s => [402, 413, 415, 422].includes(s))),
    'no read declares 402, 413, 415 or 422',
  )
})

test('every POST declares the Idempotency-Key header, saying what it does there', () => {
  for (const { op, id, method, url, auth } of operations()) {
    const header = op.parameters?.find(p => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')
    if (method !== 'POST') {
      assert.equal(header, undefined, `${method} ${url}`)
      continue
    }
    assert.ok(header, `${method} ${url} declares Idempotency-Key`)
    if (IDEMPOTENT.has(id)) assert.match(header.description!, /^Honoured/, id)
    else if (auth === 'admin') assert.match(header.description!, /^Not supported on admin writes/, id)
    else assert.match(header.description!, /^Accepted and not needed/, id)
  }
})

test("no API key on the payment callback (nor the payer's checkout page); every other operation requires it", () => {
  const keyless = operations()
    .filter(o => o.auth === 'none')
    .map(o => o.id)
  assert.ok(keyless.includes('onPaymentStatus'))
  for (const { op, id, auth } of operations()) {
    if (auth === 'none') assert.deepEqual(op.security, [], `${id}: no x-api-key (the callback is signed with HMAC)`)
    else if (auth === 'admin') assert.deepEqual(op.security, [{ apiKey: [] }], `${id}: admin keys only, no session`)
    else assert.equal(op.security, undefined, `${id} inherits the x-api-key (or session cookie) requirement`)
  }
  assert.deepEqual((doc as unknown as { security: unknown }).security, [{ apiKey: [] }, { session: [] }])
})

test("request bodies: JSON and forms; documented endpoints may answer warnings, oxbill's own do not", () => {
  for (const { op, id, method, url } of operations()) {
    if (op.requestBody) {
      assert.deepEqual(
        Object.keys(op.requestBody.content).sort(),
        ['application/json', 'application/x-www-form-urlencoded'],
        id,
      )
    }
    const ok =
      Object.values(Object.entries(op.responses).find(([s]) => s.startsWith('2'))![1].content ?? {})[0]?.schema ?? {}
    const documented = isDocumentedRoute(method, url)
    assert.equal(JSON.stringify(ok).includes('"warnings"'), documented, `${id}: warnings iff documented`)
  }
})

test('the five order pages carry the documented request and response examples verbatim; every request example is valid', async () => {
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as typeof doc
  const Ajv = AjvModule.default ?? AjvModule
  const ajv = new Ajv({ strict: false })
  assert.equal(ORDER_EXAMPLES.length, 5)
  for (const ex of ORDER_EXAMPLES) {
    const op = doc.paths[ex.path]![ex.method.toLowerCase()]!
    const requests = Object.values(op.requestBody!.content['application/json']!.examples ?? {}).map(e => e.value)
    assert.ok(
      requests.some(v => isDeepStrictEqual(v, ex.body)),
      `${where(ex)}: the documented body is a request example`,
    )
    const responses = Object.values(op.responses['200']!.content!['application/json']!.examples ?? {}).map(e => e.value)
    assert.ok(
      responses.some(v => isDeepStrictEqual(v, ex.response)),
      `${where(ex)}: the documented response example is a response example`,
    )
  }
  let n = 0
  for (const [path, ops] of Object.entries(deref.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const media = op.requestBody?.content['application/json']
      for (const [name, e] of Object.entries(media?.examples ?? {})) {
        const validate = ajv.compile(media!.schema)
        assert.ok(validate(e.value), `${method} ${path} example ${name}: ${JSON.stringify(validate.errors)}`)
        n++
      }
    }
  }
  assert.ok(n >= 9, `${n} request examples`)
})

test('each documented example body (test/compat/order-examples.ts) is valid against its route schema', async () => {
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as typeof doc
  const Ajv = AjvModule.default ?? AjvModule
  const ajv = new Ajv({ strict: false })
  assert.equal(ORDER_EXAMPLES.length, 5)
  for (const ex of ORDER_EXAMPLES) {
    const schema = deref.paths[ex.path]?.[ex.method.toLowerCase()]?.requestBody?.content['application/json']?.schema
    assert.ok(schema, `${where(ex)}: ${ex.path} has a JSON request schema`)
    const validate = ajv.compile(schema)
    assert.ok(validate(ex.body), `${where(ex)}: ${JSON.stringify(validate.errors)}`)
  }
})

test('each documented curl example succeeds against the demo data, in the docs order', async () => {
  // 3.9 new server, 3.11 change of plan, 3.14 addon, 3.25 Plesk order, 3.26 Plesk renewal (ORDER_EXAMPLES' order).
  for (const ex of ORDER_EXAMPLES) {
    const res = await env.request({ method: ex.method, url: ex.path, key: DEMO_API_KEY, body: ex.body })
    assert.equal(res.statusCode, 200, `${where(ex)}: ${res.body}`)
    assert.equal(res.json().success, true, `${where(ex)}: ${res.body}`)
  }
})
