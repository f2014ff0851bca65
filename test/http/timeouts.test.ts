import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { loadConfig, ConfigError } from '../../src/config.ts'

// Issue 8, item 12: slow clients are timed out (request, headers), with short timeouts here; and
// item 13 for what the HTTP parser refuses: every error answers the envelope.
const REQUEST_TIMEOUT_MS = 800
const HEADERS_TIMEOUT_MS = 400
let env: TestEnv
let port: number
before(async () => {
  env = await startTestEnv({
    listen: true,
    env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS) },
  })
  port = (env.app.server.address() as AddressInfo).port
})
after(async () => {
  await env.close()
})

interface Outcome {
  response: string
}

/**
 * Opens a raw connection, writes `head` at once and then `trickle` one byte every `everyMs`, until
 * the server closes it. `giveUpMs` only ends a test whose server never does.
 */
function slowClient(head: string, trickle: string, everyMs: number, giveUpMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1')
    let response = ''
    let i = 0
    let timer: NodeJS.Timeout | undefined
    const giveUp = setTimeout(() => {
      clearInterval(timer)
      socket.destroy()
      reject(new Error(`still open after ${giveUpMs} ms; got: ${response}`))
    }, giveUpMs)
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => {
      response += d
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearInterval(timer)
      clearTimeout(giveUp)
      resolve({ response })
    })
    socket.on('connect', () => {
      socket.write(head)
      timer = setInterval(() => {
        if (socket.destroyed || socket.writableEnded) return
        socket.write(trickle[i++ % trickle.length]!)
      }, everyMs)
    })
  })
}

function parse(raw: string) {
  const [head, body] = raw.split('\r\n\r\n') as [string, string]
  return {
    status: Number(head.split(' ')[1]),
    head,
    body: JSON.parse(body) as {
      success: boolean
      message: string
      error: { code: string; message: string; request_id: string }
    },
  }
}

function assertEnvelope(raw: string, status: number, code: string) {
  const r = parse(raw)
  assert.equal(r.status, status, raw)
  assert.match(r.head, /content-type: application\/json/i)
  assert.equal(r.body.success, false)
  assert.equal(r.body.error.code, code)
  assert.equal(r.body.error.message, r.body.message)
  assert.match(r.body.error.request_id, /^req_[0-9a-f]{24}$/)
  assert.match(r.head, new RegExp(`x-request-id: ${r.body.error.request_id}`, 'i'))
}

/** A create_order whose 500-byte body trickles in at 10 bytes a second: only REQUEST_TIMEOUT_MS ends it. */
async function slowBody(key: string): Promise<Outcome> {
  const head = `POST /API/orders/create_order HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${key}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n`
  return slowClient(head, '{"user_id":"', 100, 10_000)
}

test('a body sent a byte at a time is cut off after REQUEST_TIMEOUT_MS: 408 in the envelope, connection closed', async () => {
  const u = await env.user('100.00')
  const out = await slowBody(u.key)
  assertEnvelope(out.response, 408, 'request_timeout')
  const orders = await env.deps.db.selectFrom('orders').select('id').where('user_id', '=', u.id).execute()
  assert.equal(orders.length, 0)
})

test('headers sent a byte at a time are cut off after HEADERS_TIMEOUT_MS', async () => {
  const u = await env.user('100.00')
  // A slow body opened first is cut off by REQUEST_TIMEOUT_MS; slow headers opened after it must be
  // cut off before it, which only the shorter HEADERS_TIMEOUT_MS can do.
  const closed: string[] = []
  const body = slowBody(u.key).then(out => {
    closed.push('body')
    return out
  })
  const headers = slowClient(
    'GET /API/info_user HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    50,
    10_000,
  ).then(out => {
    closed.push('headers')
    return out
  })
  const [h, b] = await Promise.all([headers, body])
  assertEnvelope(h.response, 408, 'request_timeout')
  assertEnvelope(b.response, 408, 'request_timeout')
  assert.deepEqual(closed, ['headers', 'body'])
})

test('a request that takes longer than the timeouts to answer (provisioning) is not cut off', async () => {
  const u = await env.user('100.00')
  const runner = env.deps.runner as unknown as { runNow: (...a: unknown[]) => Promise<unknown> }
  const real = runner.runNow
  let waited = false
  runner.runNow = async (...a: unknown[]) => {
    // A slow request opened now, while this one is already in flight, being cut off by
    // REQUEST_TIMEOUT_MS shows that this one has outlived both timeouts.
    assertEnvelope((await slowBody(u.key)).response, 408, 'request_timeout')
    waited = true
    return real.apply(env.deps.runner, a)
  }
  try {
    const body = JSON.stringify({ user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' })
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/API/orders/create_order',
          headers: { 'x-api-key': u.key, 'content-type': 'application/json' },
        },
        r => {
          let data = ''
          r.setEncoding('utf8')
          r.on('data', d => {
            data += d
          })
          r.on('end', () => resolve({ status: r.statusCode!, body: data }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
    assert.equal(res.status, 200, res.body)
    assert.equal(JSON.parse(res.body).amount, 12.99)
    assert.ok(waited, 'the answer came after both timeouts')
  } finally {
    runner.runNow = real
  }
})

test("headers over Node's limit → 431 in the envelope; a malformed request → 400 in the envelope", async () => {
  const big = await slowClient(
    `GET /API/info_user HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    '',
    1000,
    5000,
  )
  assertEnvelope(big.response, 431, 'headers_too_large')
  const bad = await slowClient('NOT A REQUEST\r\n\r\n', '', 1000, 5000)
  assertEnvelope(bad.response, 400, 'validation_error')
})

test('the timeouts are settings: headers within the request timeout, an idle connection longer than the provisioning deadline', () => {
  const c = loadConfig([], {})
  assert.equal(c.requestTimeoutMs, 30000)
  assert.equal(c.headersTimeoutMs, 10000)
  assert.equal(c.connectionTimeoutMs, 120000)
  const refused: Array<[Record<string, string>, string]> = [
    [{ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '4000' }, 'HEADERS_TIMEOUT_MS'],
    [{ CONNECTION_TIMEOUT_MS: '15000' }, 'CONNECTION_TIMEOUT_MS'],
    [{ PROVISION_DEADLINE_MS: '200000' }, 'CONNECTION_TIMEOUT_MS'],
    [{ REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS'],
    [
      { IDEMPOTENCY_ERROR_RETENTION_MINUTES: String(49 * 60), IDEMPOTENCY_RETENTION_HOURS: '48' },
      'IDEMPOTENCY_ERROR_RETENTION_MINUTES',
    ],
  ]
  for (const [e, name] of refused) {
    assert.throws(
      () => loadConfig([], e),
      (err: Error) => err instanceof ConfigError && err.message.startsWith(name),
      name,
    )
  }
  assert.equal(loadConfig([], { CONNECTION_TIMEOUT_MS: '0' }).connectionTimeoutMs, 0)
})
