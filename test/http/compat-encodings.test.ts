import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY } from '../../src/seed/seed-demo.ts'
import { BODY_LIMIT, parseBody } from '../../src/http/body-parser.ts'
import { ORDER_EXAMPLES, phpHeaderLines } from '../compat/order-examples.ts'

// Issue 9 items 3 and 6: bodies as the docs' samples send them. The PHP samples of the new-server,
// change-plan and addon pages send two Content-Type headers (the first is the API key); `curl -d`
// and PHP without the header send application/x-www-form-urlencoded; some clients send JSON as
// text/plain. Raw requests go over a socket: inject would merge or reorder the headers.

let env: TestEnv
let port: number
before(async () => {
  env = await startTestEnv({ listen: true })
  port = (env.app.server.address() as AddressInfo).port
})
after(async () => {
  await env.close()
})

interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
  json(): any
}

/** One HTTP/1.1 request with exactly these header lines (Host, Content-Length and Connection added). */
function raw(method: string, path: string, headerLines: string[], body: string | Buffer = ''): Promise<RawResponse> {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const head = [
        `${method} ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        ...headerLines,
        `Content-Length: ${payload.length}`,
        'Connection: close',
        '',
        '',
      ].join('\r\n')
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), payload]))
    })
    const chunks: Buffer[] = []
    socket.on('data', c => chunks.push(c))
    socket.on('error', reject)
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers: Record<string, string> = {}
      for (const l of lines) {
        const i = l.indexOf(':')
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim()
      }
      let bodyText = rest.join('\r\n\r\n')
      if (headers['transfer-encoding'] === 'chunked') bodyText = dechunk(bodyText)
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: bodyText, json: () => JSON.parse(bodyText) })
    })
  })
}

function dechunk(s: string): string {
  let out = ''
  let rest = s
  for (;;) {
    const i = rest.indexOf('\r\n')
    const size = parseInt(rest.slice(0, i), 16)
    if (!size) return out
    out += rest.slice(i + 2, i + 2 + size)
    rest = rest.slice(i + 2 + size + 2)
  }
}

// ------------------------------------------------------------------ the docs' PHP samples

// The PHP samples of the five order pages (test/compat/order-examples.ts): their header lists with
// the key substituted, and json_encode($data) of their bodies (compact JSON, keys in order).

test('Node keeps the first of two Content-Type headers; every value stays in rawHeaders', async () => {
  let seen: { headers: IncomingHttpHeaders; raw: string[] } | undefined
  const server = createServer((req, res) => {
    seen = { headers: req.headers, raw: req.rawHeaders }
    req.resume()
    res.end()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const saved = port
  port = (server.address() as AddressInfo).port
  try {
    await raw('POST', '/', ['Content-Type: your_api_key_here', 'Content-Type: application/json'], '{}')
  } finally {
    port = saved
    server.close()
  }
  assert.equal(seen!.headers['content-type'], 'your_api_key_here', 'the API key, not the media type')
  assert.deepEqual(
    seen!.raw.filter((_, i, a) => i % 2 === 1 && a[i - 1]!.toLowerCase() === 'content-type'),
    ['your_api_key_here', 'application/json'],
  )
})

test("the five order pages' PHP samples, exact header lists and bodies, succeed in the docs order (two Content-Types on the .net pages)", async () => {
  const twice = [`x-api-key: ${DEMO_API_KEY}`, `Content-Type: ${DEMO_API_KEY}`, 'Content-Type: application/json']
  assert.deepEqual(
    ORDER_EXAMPLES.map(ex => ex.page),
    ['3.9', '3.11', '3.14', '3.25', '3.26'],
  )
  for (const ex of ORDER_EXAMPLES) {
    const what = `${ex.page} ${ex.title}`
    const headers = phpHeaderLines(ex, DEMO_API_KEY)
    if (ex.host === '0xhost.net') assert.deepEqual(headers, twice, what)
    else assert.deepEqual(headers, [`x-api-key: ${DEMO_API_KEY}`, 'Content-Type: application/json'], what)
    const res = await raw(ex.method, ex.path, headers, JSON.stringify(ex.body))
    assert.equal(res.status, 200, `${what}: ${res.body}`)
    const body = res.json()
    assert.equal(body.success, true, `${what}: ${res.body}`)
    assert.equal(body.amount ?? body.order?.amount, ex.charged, what)
    if (ex.page === '3.11') assert.equal(body.upgrade_difference, ex.response.upgrade_difference, what)
    assert.equal(body.warnings, undefined, `${what}: the samples send no unknown field`)
  }
})

test('two Content-Types: a non-JSON body is still refused, and the API key is never echoed', async () => {
  const u = await env.user('100.00')
  const res = await raw(
    'POST',
    '/API/orders/create_order',
    [`x-api-key: ${u.key}`, `Content-Type: ${u.key}`, 'Content-Type: application/json'],
    '{"user_id":',
  )
  assert.equal(res.status, 400)
  assert.equal(res.json().error.code, 'invalid_json')
  const only = await raw(
    'POST',
    '/API/orders/create_order',
    [`x-api-key: ${u.key}`, `Content-Type: ${u.key}`],
    '<xml/>',
  )
  assert.equal(only.status, 415, only.body)
  assert.equal(only.json().error.code, 'unsupported_media_type')
  assert.ok(!only.body.includes(u.key), 'the Content-Type value is not echoed')
  assert.match(only.headers['x-request-id']!, /^req_/)
})

// ------------------------------------------------------------------ forms and text/plain

const newServerForm = (userId: string) =>
  `user_id=${encodeURIComponent(userId)}&plan_id=5&os_image_id=13&location=Slov%65nia&name_server=form-server`

async function postForm(key: string, url: string, payload: string, contentType = 'application/x-www-form-urlencoded') {
  return env.app.inject({
    method: 'POST',
    url,
    headers: { 'x-api-key': key, 'content-type': contentType, 'idempotency-key': randomUUID() },
    payload,
  })
}

test('a form-urlencoded new-server order (curl -d k=v, PHP http_build_query) is validated by the same schema and charged the same', async () => {
  const u = await env.user('100.00')
  const res = await postForm(u.key, '/API/orders/create_order', newServerForm(u.id))
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().amount, 12.99)
  assert.equal(res.json().balance_before, '100.00')
  assert.equal(res.json().server_status.name, 'form-server')
  // Over a socket, exactly as curl -d sends it.
  const viaCurl = await raw(
    'POST',
    '/API/orders/create_order',
    [`x-api-key: ${u.key}`, 'User-Agent: curl/8.5.0', 'Accept: */*', 'Content-Type: application/x-www-form-urlencoded'],
    newServerForm(u.id),
  )
  assert.equal(viaCurl.status, 200, viaCurl.body)
  assert.equal(viaCurl.json().balance_before, '87.01')
})

test("JSON under the form Content-Type (curl -d '{…}' without -H, PHP CURLOPT_POSTFIELDS without the header) is read as JSON", async () => {
  const u = await env.user('100.00')
  const json = JSON.stringify({ user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' })
  const res = await raw(
    'POST',
    '/API/orders/create_order',
    [`x-api-key: ${u.key}`, 'Content-Type: application/x-www-form-urlencoded'],
    json,
  )
  assert.equal(res.status, 200, res.body)
  assert.equal(res.json().amount, 12.99)
})

test('JSON as text/plain is accepted on every documented order endpoint', async () => {
  const u = await env.user('100.00')
  const res = await postForm(
    u.key,
    '/API/orders/create_order',
    JSON.stringify({ user_id: u.id, plan_id: 5, os_image_id: 13, location: 'Slovenia' }),
    'text/plain;charset=UTF-8',
  )
  assert.equal(res.statusCode, 200, res.body)
  const serverId = res.json().server_status.new_id
  await env.settle(res.json().order_id)
  const ext = await postForm(
    u.key,
    '/API/orders/create_order',
    JSON.stringify({ user_id: u.id, server_id: serverId, hours: '1' }),
    'text/plain',
  )
  assert.equal(ext.statusCode, 200, ext.body)
  assert.equal(ext.json().type, 'renew_server')
})

test('a Plesk order and a renewal as forms (string months, as URLSearchParams sends them)', async () => {
  const u = await env.user('100.00')
  const client = await postForm(
    u.key,
    '/API/plesk/clients/create',
    'name=Jane+Doe&login=janeform&email=jane%40example.com&password=Str0ngPassw0rd',
  )
  assert.equal(client.statusCode, 200, client.body)
  assert.equal(client.json().data.name, 'Jane Doe', '+ is a space')
  assert.equal(client.json().data.email, 'jane@example.com')
  await env.runner.drain()
  const form = new URLSearchParams({
    plan_id: 'plan123-4567-8901-2345-678901234567',
    client_id: client.json().data.id,
    domain_name: 'form-example.com',
    ftp_login: 'formftp',
    ftp_password: 'FtpPass123',
    subscription_duration: '2',
    type_payment: 'balance',
  })
  const order = await postForm(u.key, '/API/orders/create_order_plesk', form.toString())
  assert.equal(order.statusCode, 200, order.body)
  assert.equal(order.json().order.amount, '19.98')
  const renew = await postForm(
    u.key,
    '/API/orders/create_order_scale_plesk',
    `subscription_id=${order.json().subscription.id}&months=1&type_payment=balance`,
  )
  assert.equal(renew.statusCode, 200, renew.body)
  assert.equal(renew.json().subscription.months_added, 1)
})

test('forms are refused exactly like JSON: same validation errors, no coercion beyond the schemas', async () => {
  const u = await env.user('100.00')
  const cases: Array<[string, number, string, string?]> = [
    [`user_id=${u.id}&server_id=s-1&hours=abc`, 400, 'validation_error', 'hours'],
    [`user_id=${u.id}&plan_id=5&os_image_id=13`, 400, 'validation_error', 'location'],
    [`user_id=${u.id}&plan_id=5&os_image_id=13&location=Slovenia&name_server=`, 400, 'validation_error', 'name_server'],
    [
      `user_id=${u.id}&plan_id=5&os_image_id=13&location=Slovenia&type_payment=cash`,
      400,
      'validation_error',
      'type_payment',
    ],
    [`user_id=${u.id}&plan_id=5&plan_id=7&os_image_id=13&location=Slovenia`, 400, 'validation_error', 'plan_id'],
    [`user_id=${u.id}&plan_id=999&os_image_id=13&location=Slovenia`, 404, 'not_found'],
    ['user_id=other-user&plan_id=5&os_image_id=13&location=Slovenia', 403, 'forbidden'],
  ]
  for (const [payload, status, code, field] of cases) {
    const res = await postForm(u.key, '/API/orders/create_order', payload)
    assert.equal(res.statusCode, status, `${payload}: ${res.body}`)
    assert.equal(res.json().error.code, code, payload)
    if (field) assert.equal(res.json().error.field, field, payload)
  }
  assert.equal((await env.deps.db.selectFrom('orders').select('id').where('user_id', '=', u.id).execute()).length, 0)
})

test('U+0000 is refused in every encoding: JSON, text/plain JSON, a form value (%00 or raw) and a form key', async () => {
  const u = await env.user('100.00')
  const cases: Array<[string, string | Buffer, string]> = [
    [
      'application/json',
      `{"user_id":"${u.id}","plan_id":"5","os_image_id":"13","location":"Slo\\u0000venia"}`,
      "field 'location' in body must not contain U+0000 (NUL)",
    ],
    [
      'text/plain',
      `{"user_id":"${u.id}","plan_id":"5","os_image_id":"13","location":"Slo\\u0000venia"}`,
      "field 'location' in body must not contain U+0000 (NUL)",
    ],
    [
      'application/x-www-form-urlencoded',
      `user_id=${u.id}&plan_id=5&os_image_id=13&location=Slo%00venia`,
      "field 'location' in body must not contain U+0000 (NUL)",
    ],
    [
      'application/x-www-form-urlencoded',
      Buffer.from(`user_id=${u.id}&plan_id=5&os_image_id=13&location=Slo\u0000venia`),
      "field 'location' in body must not contain U+0000 (NUL)",
    ],
    [
      'application/x-www-form-urlencoded',
      `user_id=${u.id}&plan_id=5&os_image_id=13&location=Slovenia&x%00y=1`,
      "field 'x\\u0000y' in body must not contain U+0000 (NUL)",
    ],
  ]
  for (const [type, payload, message] of cases) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/API/orders/create_order',
      headers: { 'x-api-key': u.key, 'content-type': type },
      payload,
    })
    assert.equal(res.statusCode, 400, `${type}: ${res.body}`)
    assert.equal(res.json().error.code, 'validation_error')
    assert.equal(res.json().message, message)
  }
})

test('forms keep the 16 KiB limit and strict UTF-8', async () => {
  const u = await env.user('100.00')
  const base = newServerForm(u.id)
  const over = await postForm(u.key, '/API/orders/create_order', `${base}&pad=${'a'.repeat(BODY_LIMIT)}`)
  assert.equal(over.statusCode, 413)
  assert.equal(over.json().error.code, 'payload_too_large')
  const latin1 = await postForm(
    u.key,
    '/API/orders/create_order',
    Buffer.from(`${base}&name_server=caf\u00e9`, 'latin1') as unknown as string,
  )
  assert.equal(latin1.statusCode, 400)
  assert.equal(latin1.json().message, 'the body is not valid UTF-8')
  const badPercent = await postForm(u.key, '/API/orders/create_order', `${base.replace('form-server', 'caf%E9')}`)
  assert.equal(badPercent.statusCode, 400)
  assert.equal(badPercent.json().error.code, 'invalid_json')
})

test('parseBody: the content-type rule in one table', () => {
  const b = (s: string) => Buffer.from(s)
  assert.deepEqual(parseBody(b('{"a":1}'), ['your_api_key_here', 'application/json']), { a: 1 })
  assert.deepEqual(parseBody(b('{"a":1}'), ['text/plain']), { a: 1 })
  assert.deepEqual(parseBody(b('{"a":1}'), []), { a: 1 })
  assert.deepEqual(parseBody(b('{"a":1}'), ['application/x-www-form-urlencoded']), { a: 1 })
  assert.deepEqual(parseBody(b('[1]'), ['application/x-www-form-urlencoded']), [1])
  assert.deepEqual(parseBody(b('a=1&b=x+y&c=%C3%A9&d'), ['application/x-www-form-urlencoded']), {
    a: '1',
    b: 'x y',
    c: 'é',
    d: '',
  })
  assert.deepEqual(Object.keys(parseBody(b('__proto__=1'), ['application/x-www-form-urlencoded']) as object), [
    '__proto__',
  ])
  assert.equal(parseBody(b(''), ['application/xml']), undefined)
  assert.throws(() => parseBody(b('a=1'), ['application/json']), { code: 'invalid_json' })
  assert.throws(() => parseBody(b('a=1'), []), { code: 'invalid_json' })
  assert.throws(() => parseBody(b('a=1'), ['multipart/form-data']), { code: 'unsupported_media_type' })
  assert.throws(() => parseBody(b('{}'), ['text/plain; charset=iso-8859-1']), { code: 'unsupported_media_type' })
  assert.throws(() => parseBody(b('a=1&a=2'), ['application/x-www-form-urlencoded']), { code: 'validation_error' })
})

test('the payment callback keeps its raw body and signature check whatever the Content-Type headers say', async () => {
  const fake = env.providers.fakes.oxapay!
  const body = JSON.stringify({
    track_id: '555000111',
    status: 'Paid',
    type: 'invoice',
    amount: 1,
    currency: 'EUR',
    order_id: 'x',
  })
  for (const headers of [
    ['Content-Type: your_api_key_here', 'Content-Type: application/json'],
    ['Content-Type: application/x-www-form-urlencoded'],
    ['Content-Type: text/plain'],
    [],
  ]) {
    const signed = await raw('POST', '/API/on_payment_status', [...headers, `HMAC: ${fake.sign(body)}`], body)
    assert.equal(signed.status, 200, `${headers.join(', ')}: ${signed.body}`)
    assert.equal(signed.body, 'ok')
    const forged = await raw('POST', '/API/on_payment_status', [...headers, 'HMAC: 00'], 'a=1&b=2')
    assert.equal(forged.status, 401, forged.body)
  }
  const stored = await env.deps.db
    .selectFrom('payment_events')
    .select(['raw_body', 'signature_valid'])
    .where('track_id', '=', '555000111')
    .execute()
  assert.equal(stored.length, 4)
  assert.ok(
    stored.every(e => e.raw_body === body && e.signature_valid),
    'the bytes as sent, signature valid',
  )
})
