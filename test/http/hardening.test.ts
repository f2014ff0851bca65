import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { BODY_LIMIT } from '../../src/http/app.ts'
import { revokeApiKey } from '../../src/domain/auth/api-keys.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

const ORDER = '/API/orders/create_order'
type User = Awaited<ReturnType<TestEnv['user']>>

const validBody = (u: User) => ({ user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' })

/** Raw request: exactly these headers (plus the key and an Idempotency-Key), no Content-Type added. */
function send(
  u: User | null,
  opts: { method?: string; url?: string; headers?: Record<string, string>; payload?: string | Buffer },
) {
  return env.app.inject({
    method: (opts.method ?? 'POST') as 'POST',
    url: opts.url ?? ORDER,
    headers: { ...(u ? { 'x-api-key': u.key } : {}), 'idempotency-key': randomUUID(), ...opts.headers },
    payload: opts.payload,
  })
}

const TABLES = [
  'orders',
  'ledger_entries',
  'jobs',
  'job_secrets',
  'idempotency_keys',
  'servers',
  'server_addons',
  'audit_log',
] as const

async function snapshot(u: User | null) {
  const counts: Record<string, number> = {}
  for (const t of TABLES) {
    const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(t)}`.execute(env.deps.db)
    counts[t] = Number(r.rows[0]!.n)
  }
  const balance = u
    ? (await env.deps.db.selectFrom('users').select('balance_cents').where('id', '=', u.id).executeTakeFirstOrThrow())
        .balance_cents
    : null
  return { counts, balance }
}

/** The error envelope, its stable code and message, and the request id in header and body. */
function assertError(res: LightMyRequestResponse, status: number, code: string, message: string | RegExp) {
  assert.equal(res.statusCode, status, res.body)
  assert.match(String(res.headers['content-type']), /^application\/json/)
  const body = res.json()
  assert.equal(body.success, false)
  assert.equal(body.error.code, code)
  if (typeof message === 'string') assert.equal(body.message, message)
  else assert.match(body.message, message)
  assert.equal(body.error.message, body.message)
  assert.match(String(res.headers['x-request-id']), /^req_[0-9a-f]{24}$/)
  assert.equal(body.error.request_id, res.headers['x-request-id'])
  return body
}

/** Runs `fn`, checks that it changed no row and no balance. */
async function nothingWritten(u: User | null, fn: () => Promise<void>) {
  const before = await snapshot(u)
  await fn()
  assert.deepEqual(await snapshot(u), before)
}

test('malformed JSON → 400 invalid_json', async () => {
  const u = await env.user('100.00')
  await nothingWritten(u, async () => {
    for (const payload of [
      '{"a":',
      '{user_id: "x"}',
      "{'user_id':'x'}",
      '{"user_id":"x",}',
      '{"user_id":"x"',
      'not json',
      '{"a":1}}',
    ]) {
      const res = await send(u, { headers: { 'content-type': 'application/json' }, payload })
      assertError(res, 400, 'invalid_json', 'the body is not valid JSON')
    }
  })
})

test('a body that is not UTF-8 → 400 invalid_json, never silently mangled', async () => {
  const u = await env.user('100.00')
  await nothingWritten(u, async () => {
    const latin1 = Buffer.from(JSON.stringify({ ...validBody(u), name_server: 'caf\u00e9' }), 'latin1')
    const res = await send(u, { headers: { 'content-type': 'application/json' }, payload: latin1 })
    assertError(res, 400, 'invalid_json', 'the body is not valid UTF-8')
  })
})

test('a JSON array, string, number, null or empty body → 400 validation_error', async () => {
  const u = await env.user('100.00')
  await nothingWritten(u, async () => {
    for (const payload of ['[]', `[${JSON.stringify(validBody(u))}]`, '"x"', '42', 'null', 'true', '']) {
      const res = await send(u, { headers: { 'content-type': 'application/json' }, payload })
      assertError(res, 400, 'validation_error', 'the body must be a JSON object')
    }
  })
})

test('mass assignment: an unknown field is ignored and named, never applied, on every order route', async () => {
  const u = await env.user('100.00')
  // Bodies that name objects that do not exist: each answers 404 with or without the extra field.
  const routes: Array<[string, Record<string, unknown>]> = [
    [ORDER, { ...validBody(u), plan_id: '999' }],
    [ORDER, { user_id: u.id, server_id: 'server-1', hours: '24' }],
    ['/API/orders/create_order_addon', { user_id: u.id, addon_id: 'addon-1', server_id: 'server-1' }],
    [
      '/API/orders/create_order_plesk',
      {
        plan_id: 'p',
        client_id: 'c',
        domain_name: 'example.org',
        ftp_login: 'ftp',
        ftp_password: 'secret-1',
        subscription_duration: 1,
        type_payment: 'balance',
      },
    ],
    ['/API/orders/create_order_scale_plesk', { subscription_id: 's', months: 1, type_payment: 'balance' }],
  ]
  const hostile = [
    ['balance', '1000000.00'],
    ['price', '0.01'],
    ['status', 'completed'],
    ['amount', 0],
    ['user_balance', 1e9],
    ['is_admin', true],
  ] as const
  await nothingWritten(u, async () => {
    for (const [url, body] of routes) {
      const plain = (
        await send(u, { url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) })
      ).json()
      assert.equal(plain.error.code, 'not_found', `${url}: ${JSON.stringify(plain)}`)
      for (const [field, value] of hostile) {
        const res = await send(u, {
          url,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ ...body, [field]: value }),
        })
        const e = assertError(res, 404, 'not_found', plain.message)
        assert.deepEqual(e.warnings, [
          { code: 'unknown_field', in: 'body', field, message: `unknown field '${field}' in body was ignored` },
        ])
      }
    }
  })
  // And an order that goes through: every hostile field at once changes nothing it costs or does.
  const res = await send(u, {
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ ...validBody(u), ...Object.fromEntries(hostile) }),
  })
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().amount, 12.99)
  assert.deepEqual(
    res.json().warnings.map((w: { field: string }) => w.field),
    hostile.map(([f]) => f),
  )
  const user = await env.deps.db
    .selectFrom('users')
    .select('balance_cents')
    .where('id', '=', u.id)
    .executeTakeFirstOrThrow()
  assert.equal(user.balance_cents, 10000n - 1299n)
  const order = await env.deps.db
    .selectFrom('orders')
    .select(['amount_cents', 'status'])
    .where('user_id', '=', u.id)
    .executeTakeFirstOrThrow()
  assert.equal(order.amount_cents, 1299n)
})

test('prototype keys are ignored unknown fields and pollute nothing', async () => {
  const u = await env.user('100.00')
  await nothingWritten(u, async () => {
    for (const field of ['__proto__', 'constructor']) {
      const payload =
        JSON.stringify({ ...validBody(u), plan_id: '999' }).slice(0, -1) + `,"${field}":{"isAdmin":true,"polluted":1}}`
      const res = await send(u, { headers: { 'content-type': 'application/json' }, payload })
      const e = assertError(res, 404, 'not_found', "plan '999' was not found")
      assert.deepEqual(
        e.warnings.map((w: { field: string }) => w.field),
        [field],
      )
    }
  })
  assert.equal(({} as Record<string, unknown>).polluted, undefined)
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined)
})

test('a body over 16 KiB → 413 payload_too_large; exactly 16 KiB is accepted', async () => {
  const u = await env.user('100.00')
  const json = JSON.stringify(validBody(u))
  const padded = (size: number) => json.slice(0, -1) + ' '.repeat(size - json.length) + '}'
  assert.equal(BODY_LIMIT, 16384)
  await nothingWritten(u, async () => {
    for (const payload of [
      padded(BODY_LIMIT + 1),
      padded(64 * 1024),
      json.slice(0, -1) + `,"name_server":"${'a'.repeat(20_000)}"}`,
    ]) {
      const res = await send(u, { headers: { 'content-type': 'application/json' }, payload })
      assertError(res, 413, 'payload_too_large', 'request body is larger than 16 KiB')
    }
  })
  const exact = padded(BODY_LIMIT)
  assert.equal(Buffer.byteLength(exact), BODY_LIMIT)
  const ok = await send(u, { headers: { 'content-type': 'application/json' }, payload: exact })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.equal(ok.json().amount, 12.99)
})

test('media types oxbill does not read, and charsets other than UTF-8 → 415 unsupported_media_type', async () => {
  const u = await env.user('100.00')
  const json = JSON.stringify(validBody(u))
  const cases: Array<[string, string, string]> = [
    [
      'multipart/form-data; boundary=xyz',
      '--xyz--',
      'Content-Type multipart/form-data is not supported; send application/json or application/x-www-form-urlencoded',
    ],
    [
      'application/xml',
      '<order/>',
      'Content-Type application/xml is not supported; send application/json or application/x-www-form-urlencoded',
    ],
    [
      'your_api_key_here',
      '<order/>',
      'the Content-Type header is not a media type and the body is not JSON; send application/json or application/x-www-form-urlencoded',
    ],
    [
      'application/json; charset=iso-8859-1',
      json,
      'charset iso-8859-1 is not supported; send application/json in UTF-8',
    ],
    ['application/json; charset=utf-16', json, 'charset utf-16 is not supported; send application/json in UTF-8'],
    ['text/plain; charset=windows-1252', json, 'charset windows-1252 is not supported; send application/json in UTF-8'],
    [
      'application/x-www-form-urlencoded; charset=latin1',
      'user_id=x',
      'charset latin1 is not supported; send application/json in UTF-8',
    ],
  ]
  await nothingWritten(u, async () => {
    for (const [type, payload, message] of cases) {
      const res = await send(u, { headers: { 'content-type': type }, payload })
      assertError(res, 415, 'unsupported_media_type', message)
    }
  })
})

test('a text or form body that cannot be read → 400 invalid_json, nothing written', async () => {
  const u = await env.user('100.00')
  await nothingWritten(u, async () => {
    for (const [type, payload, message] of [
      ['text/plain', 'user_id=x', 'the body is not valid JSON'],
      ['application/x-www-form-urlencoded', '{"user_id": "x"', 'the body is not valid JSON'],
      [
        'application/x-www-form-urlencoded',
        'user_id=%ZZ',
        'the body is not a valid form: bad percent-encoding, or bytes that are not UTF-8',
      ],
      [
        'application/x-www-form-urlencoded',
        'name_server=caf%E9',
        'the body is not a valid form: bad percent-encoding, or bytes that are not UTF-8',
      ],
    ] as const) {
      assertError(await send(u, { headers: { 'content-type': type }, payload }), 400, 'invalid_json', message)
    }
  })
})

test('unknown route → 404 route_not_found in the error envelope, with or without a key', async () => {
  const u = await env.user('100.00')
  await nothingWritten(u, async () => {
    assertError(await send(null, { method: 'GET', url: '/API/nope' }), 404, 'route_not_found', 'no route GET /API/nope')
    assertError(
      await send(u, { url: '/API/orders/nope?x=1', headers: { 'content-type': 'application/json' }, payload: '{}' }),
      404,
      'route_not_found',
      'no route POST /API/orders/nope',
    )
    assertError(await send(u, { method: 'DELETE', url: ORDER }), 404, 'route_not_found', `no route DELETE ${ORDER}`)
  })
})

test('every response carries x-request-id; the client cannot choose it', async () => {
  const u = await env.user('100.00')
  const ok = await send(u, {
    headers: { 'content-type': 'application/json', 'x-request-id': 'evil\nid', 'request-id': 'mine' },
    payload: JSON.stringify(validBody(u)),
  })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.match(String(ok.headers['x-request-id']), /^req_[0-9a-f]{24}$/)
  const ids = new Set<string>([String(ok.headers['x-request-id'])])
  const errors = [
    await send(null, { headers: { 'content-type': 'application/json', 'request-id': 'mine' }, payload: '{}' }),
    await send(u, { headers: { 'content-type': 'application/json' }, payload: '{' }),
    await send(u, { headers: { 'content-type': 'text/plain' }, payload: 'x' }),
    await send(u, { method: 'GET', url: '/API/x' }),
  ]
  for (const res of errors) {
    assert.ok(res.statusCode >= 400)
    assert.match(String(res.headers['x-request-id']), /^req_[0-9a-f]{24}$/)
    assert.equal(res.json().error.request_id, res.headers['x-request-id'])
    ids.add(String(res.headers['x-request-id']))
  }
  assert.equal(ids.size, errors.length + 1, 'one id per request')
})

test('missing, unknown, malformed and revoked keys get one identical 401', async () => {
  const u = await env.user('100.00')
  const revoked = await env.user('100.00')
  assert.equal(await revokeApiKey(env.deps.db, revoked.keyId, env.clock.now()), true)
  const json = JSON.stringify(validBody(u))
  await nothingWritten(u, async () => {
    const keys = [undefined, 'oxb_' + '0'.repeat(64), 'x'.repeat(300), '', revoked.key]
    for (const key of keys) {
      const res = await env.app.inject({
        method: 'POST',
        url: ORDER,
        headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'x-api-key': key }) },
        payload: json,
      })
      const e = assertError(res, 401, 'unauthorized', 'missing or invalid API key (send it in the x-api-key header)')
      assert.deepEqual(Object.keys(e.error).sort(), ['code', 'message', 'request_id'])
    }
  })
})

const INTERNAL = {
  success: false,
  message: 'Internal error; the request id identifies it in the logs',
  error: { code: 'internal_error', message: 'Internal error; the request id identifies it in the logs' },
}

/** A 500 says nothing about where or why: no stack, no SQL, no table, no file. */
function assertOpaque500(res: LightMyRequestResponse) {
  const body = assertError(res, 500, 'internal_error', INTERNAL.message)
  assert.deepEqual(
    { ...body, error: { ...body.error, request_id: undefined } },
    { ...INTERNAL, error: { ...INTERNAL.error, request_id: undefined } },
  )
  for (const leak of [
    'servers',
    'relation',
    'insert',
    'SELECT',
    'exist',
    '.ts',
    '/work',
    ' at ',
    'boom',
    '42P01',
    'stack',
  ]) {
    assert.ok(!res.body.toLowerCase().includes(leak.toLowerCase()), `the body leaks '${leak}': ${res.body}`)
  }
}

test('an unexpected exception → 500 without internals, and the order is rolled back', async () => {
  const u = await env.user('100.00')
  const key = randomUUID()
  const json = JSON.stringify(validBody(u))
  const clock = env.clock as unknown as { now: () => Date }
  await nothingWritten(u, async () => {
    clock.now = () => {
      const err = new Error(
        'boom: insert into "servers" failed: relation "servers" does not exist at /work/main/src/domain/orders/order-new-server.ts:42',
      )
      Object.assign(err, { code: '42P01', statusCode: undefined })
      throw err
    }
    try {
      assertOpaque500(
        await send(u, { headers: { 'content-type': 'application/json', 'idempotency-key': key }, payload: json }),
      )
    } finally {
      delete (clock as { now?: unknown }).now
    }
  })
  // A 500 is not pinned to the key: the retry runs the order.
  const retry = await send(u, {
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    payload: json,
  })
  assert.equal(retry.statusCode, 200, retry.body)
})

test('a database failure in the middle of the order → 500 without SQL, and the debit is rolled back', async () => {
  const u = await env.user('100.00')
  const json = JSON.stringify(validBody(u))
  // The order row and the debit are written before the server row: the failure comes after them.
  await sql`ALTER TABLE servers RENAME TO servers_gone`.execute(env.deps.db)
  let res: LightMyRequestResponse
  try {
    const before = await snapshotWithout(u, 'servers')
    res = await send(u, { headers: { 'content-type': 'application/json' }, payload: json })
    assert.deepEqual(await snapshotWithout(u, 'servers'), before)
  } finally {
    await sql`ALTER TABLE servers_gone RENAME TO servers`.execute(env.deps.db)
  }
  assertOpaque500(res)
  const s = await env.deps.db
    .selectFrom('users')
    .select('balance_cents')
    .where('id', '=', u.id)
    .executeTakeFirstOrThrow()
  assert.equal(s.balance_cents, 10000n)
})

async function snapshotWithout(u: User, table: string) {
  const counts: Record<string, number> = {}
  for (const t of TABLES.filter(x => x !== table)) {
    const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(t)}`.execute(env.deps.db)
    counts[t] = Number(r.rows[0]!.n)
  }
  const balance = (
    await env.deps.db.selectFrom('users').select('balance_cents').where('id', '=', u.id).executeTakeFirstOrThrow()
  ).balance_cents
  return { counts, balance }
}
