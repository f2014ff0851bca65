/**
 * Webhooks end to end (issue 11, item 2): endpoints registered through the API, events fanned out
 * and signed per Standard Webhooks (verified with the official `standardwebhooks` package),
 * retries with the same webhook-id, secret rotation, disabling, the delivery log and replay.
 */
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { Webhook } from 'standardwebhooks'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { waitFor } from '../wait.ts'
import {
  startReceiver,
  verifyingHandler,
  webhookHeadersOf,
  type Receiver,
  type Verdict,
} from '../integrations/webhooks/helpers.ts'

let env: TestEnv
let receiver: Receiver
before(async () => {
  env = await startTestEnv({ env: { WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8', WEBHOOK_ALLOW_HTTP: 'true' } })
  receiver = await startReceiver()
})
after(async () => {
  await receiver.close()
  await env.close()
})
beforeEach(() => {
  env.clock.current = null
  receiver.received.length = 0
  receiver.handler = (_req, res) => void res.writeHead(204).end()
})

const NEW_SERVER = { plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'hooktest' }

interface EndpointAnswer {
  endpoint: {
    id: string
    user_id: string | null
    url: string
    status: string
    events: string[]
    failing_since: string | null
  }
  secret: string
}

async function register(key: string, body: Record<string, unknown>, query = '') {
  const res = await env.request({ url: `/API/webhooks${query}`, key, body })
  assert.equal(res.statusCode, 201, res.body)
  return res.json<EndpointAnswer>()
}

async function order(u: { id: string; key: string }) {
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: { user_id: u.id, ...NEW_SERVER } })
  assert.equal(res.statusCode, 200, res.body)
  const o = res.json<{ order_id: string }>()
  await env.settle(o.order_id)
  return o.order_id
}

/** Moves business time on by `ms` (retries become due) and drains the notifier. */
async function later(ms: number) {
  env.clock.current = new Date(env.clock.now().getTime() + ms)
  await env.notifier.drain()
}

test('an order reaches the customer endpoint signed, verified by standardwebhooks, each event once, body = event', async () => {
  const u = await env.user('50.00')
  const verdicts: Verdict[] = []
  const { endpoint, secret } = await register(u.key, { url: receiver.url, description: 'orders' })
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/)
  assert.equal(endpoint.status, 'enabled')
  receiver.handler = verifyingHandler([secret], verdicts)
  const orderId = await order(u)
  await env.notifier.drain()
  assert.equal(verdicts.length, 3, JSON.stringify(receiver.received.map(r => r.body)))
  assert.ok(verdicts.every(v => v.ok))
  const bodies = receiver.received.map(r => ({ id: r.headers['webhook-id'], body: JSON.parse(r.body) }))
  assert.deepEqual(bodies.map(b => b.body.type).sort(), ['order.completed', 'order.created', 'service.provisioned'])
  for (const b of bodies) {
    assert.equal(b.id, b.body.id)
    assert.equal(b.body.user_id, u.id)
  }
  assert.equal(bodies.find(b => b.body.type === 'order.created')!.body.data.order.id, orderId)
  // What the receiver got is what GET /API/events lists, id for id.
  const listed = await env.request({ method: 'GET', url: '/API/events', key: u.key })
  assert.deepEqual(
    listed
      .json<{ data: Array<{ id: string }> }>()
      .data.map(e => e.id)
      .sort(),
    bodies.map(b => b.id).sort(),
  )
  // Draining again sends nothing more.
  await env.notifier.drain()
  assert.equal(receiver.received.length, 3)
  // The secret is never shown again.
  const got = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}`, key: u.key })
  assert.equal(got.statusCode, 200)
  assert.ok(!got.body.includes(secret))
  assert.ok(!got.body.includes('whsec_'))
})

test('a forged signature and a stale timestamp are rejected by the standardwebhooks verifier', async () => {
  const u = await env.user('50.00')
  const { secret } = await register(u.key, { url: receiver.url, events: ['order.created'] })
  await order(u)
  await env.notifier.drain()
  assert.equal(receiver.received.length, 1)
  const r = receiver.received[0]!
  const headers = webhookHeadersOf(r.headers)
  assert.doesNotThrow(() => new Webhook(secret).verify(r.body, headers))
  const tampered = r.body.replace('order.created', 'order.refunded')
  assert.throws(() => new Webhook(secret).verify(tampered, headers))
  const other = await register(u.key, { url: `${receiver.url}?other`, events: ['order.created'] })
  assert.throws(() => new Webhook(other.secret).verify(r.body, headers))
  const stale = { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 600) }
  assert.throws(() => new Webhook(secret).verify(r.body, stale))
})

test('a failing receiver is retried with the same webhook-id until it answers; the log shows every attempt', async () => {
  const u = await env.user('50.00')
  const { endpoint } = await register(u.key, { url: receiver.url, events: ['order.created'] })
  let calls = 0
  receiver.handler = (_req, res) => {
    calls += 1
    if (calls <= 2) return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`boom ${calls}`)
    res.writeHead(200).end('ok')
  }
  await order(u)
  await env.notifier.drain()
  assert.equal(calls, 1)
  const failing = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}`, key: u.key })
  assert.notEqual(failing.json<EndpointAnswer>().endpoint.failing_since, null)
  await later(60_000)
  await later(10 * 60_000)
  assert.equal(calls, 3)
  const ids = new Set(receiver.received.map(r => r.headers['webhook-id']))
  assert.equal(ids.size, 1)
  const log = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}/deliveries`, key: u.key })
  const deliveries = log.json<{ data: Array<{ id: string; state: string; attempts: number; event_id: string }> }>().data
  assert.equal(deliveries.length, 1)
  assert.equal(deliveries[0]!.state, 'delivered')
  assert.equal(deliveries[0]!.attempts, 3)
  assert.equal(deliveries[0]!.event_id, [...ids][0])
  const detail = await env.request({
    method: 'GET',
    url: `/API/webhooks/${endpoint.id}/deliveries/${deliveries[0]!.id}`,
    key: u.key,
  })
  const attempts = detail.json<{
    delivery: {
      attempt_log: Array<{
        attempt: number
        status: number
        outcome: string
        response_excerpt: string
        latency_ms: number
      }>
    }
  }>().delivery.attempt_log
  assert.deepEqual(
    attempts.map(a => [a.attempt, a.status, a.outcome, a.response_excerpt]),
    [
      [1, 500, 'failed', 'boom 1'],
      [2, 500, 'failed', 'boom 2'],
      [3, 200, 'delivered', 'ok'],
    ],
  )
  assert.ok(attempts.every(a => a.latency_ms >= 0))
  const healthy = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}`, key: u.key })
  assert.equal(healthy.json<EndpointAnswer>().endpoint.failing_since, null)
})

test('during a rotation both secrets sign; after the overlap only the new one does', async () => {
  const u = await env.user('50.00')
  const { endpoint, secret: oldSecret } = await register(u.key, { url: receiver.url, events: ['order.created'] })
  const rotated = await env.request({
    url: `/API/webhooks/${endpoint.id}/rotate-secret`,
    key: u.key,
    body: { keep_previous_hours: 2 },
  })
  assert.equal(rotated.statusCode, 200, rotated.body)
  const { secret: newSecret, endpoint: after } = rotated.json<EndpointAnswer>()
  assert.notEqual(newSecret, oldSecret)
  assert.notEqual(
    (after as unknown as { previous_secret_valid_until: string | null }).previous_secret_valid_until,
    null,
  )
  await order(u)
  await env.notifier.drain()
  const first = receiver.received.at(-1)!
  assert.equal(webhookHeadersOf(first.headers)['webhook-signature']!.split(' ').length, 2)
  assert.doesNotThrow(() => new Webhook(oldSecret).verify(first.body, webhookHeadersOf(first.headers)))
  assert.doesNotThrow(() => new Webhook(newSecret).verify(first.body, webhookHeadersOf(first.headers)))
  env.clock.current = new Date(Date.now() + 3 * 3_600_000)
  await order(u)
  await env.notifier.drain()
  const second = receiver.received.at(-1)!
  assert.equal(webhookHeadersOf(second.headers)['webhook-signature']!.split(' ').length, 1)
  assert.throws(() => new Webhook(oldSecret).verify(second.body, webhookHeadersOf(second.headers)))
  assert.doesNotThrow(() => new Webhook(newSecret).verify(second.body, webhookHeadersOf(second.headers)))
})

test('410 Gone disables the endpoint at once and tells its owner (event and mail); nothing more is sent', async () => {
  const u = await env.user('50.00')
  const { endpoint } = await register(u.key, { url: receiver.url, events: ['order.created', 'order.completed'] })
  receiver.handler = (_req, res) => void res.writeHead(410).end()
  await order(u)
  await env.notifier.drain()
  const got = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}`, key: u.key })
  const ep = got.json<EndpointAnswer>().endpoint as EndpointAnswer['endpoint'] & { disabled_reason: string }
  assert.equal(ep.status, 'disabled')
  assert.match(ep.disabled_reason, /410/)
  const sent = receiver.received.length
  assert.ok(sent >= 1 && sent <= 2)
  await order(u)
  await env.notifier.drain()
  assert.equal(receiver.received.length, sent)
  const evs = await env.request({ method: 'GET', url: '/API/events?type=webhook_endpoint.disabled', key: u.key })
  const disabled = evs.json<{ data: Array<{ data: { endpoint: { id: string } } }> }>().data
  assert.equal(disabled.length, 1)
  assert.equal(disabled[0]!.data.endpoint.id, endpoint.id)
  const mails = env.providers.fakes.smtp!.listMessages().filter(m => m.to.includes(`${u.id}@test.invalid`))
  assert.ok(
    mails.some(m => /webhook/i.test(m.subject)),
    JSON.stringify(mails.map(m => m.subject)),
  )
})

test('an endpoint failing for WEBHOOK_DISABLE_AFTER_HOURS is disabled once; enabling it again and replaying delivers', async () => {
  const u = await env.user('50.00')
  const { endpoint } = await register(u.key, { url: receiver.url, events: ['order.created'] })
  receiver.handler = (_req, res) => void res.writeHead(503).end('down')
  await order(u)
  await env.notifier.drain()
  // Retries walk the schedule; business time jumps past each one.
  for (let i = 0; i < 12; i++) await later(24 * 3_600_000)
  const got = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}`, key: u.key })
  assert.equal(got.json<EndpointAnswer>().endpoint.status, 'disabled')
  const evs = await env.request({ method: 'GET', url: '/API/events?type=webhook_endpoint.disabled', key: u.key })
  assert.equal(evs.json<{ data: unknown[] }>().data.length, 1)
  const log = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}/deliveries`, key: u.key })
  const d = log.json<{ data: Array<{ id: string; state: string }> }>().data[0]!
  assert.ok(['failed', 'abandoned'].includes(d.state), d.state)
  // Replay is refused while disabled, then works once enabled.
  const refused = await env.request({ url: `/API/webhooks/${endpoint.id}/deliveries/${d.id}/replay`, key: u.key })
  assert.equal(refused.statusCode, 409, refused.body)
  const enabled = await env.request({
    method: 'PATCH',
    url: `/API/webhooks/${endpoint.id}`,
    key: u.key,
    body: { enabled: true },
  })
  assert.equal(enabled.statusCode, 200, enabled.body)
  receiver.handler = (_req, res) => void res.writeHead(204).end()
  const before = receiver.received.length
  const replay = await env.request({ url: `/API/webhooks/${endpoint.id}/deliveries/${d.id}/replay`, key: u.key })
  assert.equal(replay.statusCode, 200, replay.body)
  await env.notifier.drain()
  assert.equal(receiver.received.length, before + 1)
  const again = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}/deliveries`, key: u.key })
  assert.equal(again.json<{ data: Array<{ state: string }> }>().data[0]!.state, 'delivered')
})

test('an operator endpoint receives every customer event; a customer endpoint only its own', async () => {
  const adminUser = await env.user('0.00', true)
  const a = await env.user('50.00')
  const b = await env.user('50.00')
  const opRes = await env.request({
    url: '/API/admin/webhooks',
    key: adminUser.key,
    body: { url: `${receiver.url}?op`, events: ['order.created'] },
  })
  assert.equal(opRes.statusCode, 201, opRes.body)
  assert.equal(opRes.json<EndpointAnswer>().endpoint.user_id, null)
  await register(a.key, { url: `${receiver.url}?a`, events: ['order.created'] })
  await order(a)
  await order(b)
  await env.notifier.drain()
  const byPath = (p: string) => receiver.received.filter(r => r.path.endsWith(p)).map(r => JSON.parse(r.body).user_id)
  assert.deepEqual(byPath('?a'), [a.id])
  assert.deepEqual(byPath('?op').sort(), [a.id, b.id].sort())
  // Operator endpoints are not the customers' to see.
  const list = await env.request({ method: 'GET', url: '/API/webhooks', key: b.key })
  assert.equal(list.json<{ data: unknown[] }>().data.length, 0)
  await env.request({
    method: 'DELETE',
    url: `/API/admin/webhooks/${opRes.json<EndpointAnswer>().endpoint.id}`,
    key: adminUser.key,
  })
})

test('registration refuses forbidden URLs with validation_error, unknown event types, duplicates, and another customer reaching an endpoint', async () => {
  const u = await env.user('50.00')
  const other = await env.user('50.00')
  for (const url of [
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:9/hook',
    'http://192.168.1.1/',
    'ftp://example.com/',
    'http://user:pw@127.0.0.1/',
  ]) {
    const res = await env.request({ url: '/API/webhooks', key: u.key, body: { url } })
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`)
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'validation_error')
  }
  const unknown = await env.request({ url: '/API/webhooks', key: u.key, body: { url: receiver.url, events: ['nope'] } })
  assert.equal(unknown.statusCode, 400)
  const { endpoint } = await register(u.key, { url: `${receiver.url}?dup` })
  const dup = await env.request({ url: '/API/webhooks', key: u.key, body: { url: `${receiver.url}?dup` } })
  assert.equal(dup.statusCode, 409, dup.body)
  for (const [method, url] of [
    ['GET', `/API/webhooks/${endpoint.id}`],
    ['PATCH', `/API/webhooks/${endpoint.id}`],
    ['DELETE', `/API/webhooks/${endpoint.id}`],
    ['POST', `/API/webhooks/${endpoint.id}/rotate-secret`],
    ['GET', `/API/webhooks/${endpoint.id}/deliveries`],
  ] as const) {
    const res = await env.request({
      method,
      url,
      key: other.key,
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }),
    })
    assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`)
  }
  const still = await env.request({ method: 'GET', url: `/API/webhooks/${endpoint.id}`, key: u.key })
  assert.equal(still.statusCode, 200)
  // Deleting frees the URL.
  const del = await env.request({ method: 'DELETE', url: `/API/webhooks/${endpoint.id}`, key: u.key })
  assert.equal(del.statusCode, 200, del.body)
  await register(u.key, { url: `${receiver.url}?dup` })
})

test('the admin API lists undelivered webhooks; a receiver that is down delays, never drops', async () => {
  const adminUser = await env.user('0.00', true)
  const u = await env.user('50.00')
  const { endpoint } = await register(u.key, { url: receiver.url, events: ['order.created'] })
  // Down: the connection is cut before any answer.
  receiver.handler = (_req, res) => void res.socket?.destroy()
  await order(u)
  await env.notifier.drain()
  const res = await env.request({
    method: 'GET',
    url: `/API/admin/webhook-deliveries?endpoint_id=${endpoint.id}`,
    key: adminUser.key,
  })
  assert.equal(res.statusCode, 200, res.body)
  const rows = res.json<{ data: Array<{ state: string; last_error: string }> }>().data
  assert.equal(rows.length, 1)
  assert.equal(rows[0]!.state, 'pending')
  assert.ok(rows[0]!.last_error.length > 0)
  receiver.received.length = 0
  receiver.handler = (_req, r) => void r.writeHead(204).end()
  await later(3_600_000)
  assert.equal(receiver.received.length, 1)
  const done = await env.request({
    method: 'GET',
    url: `/API/admin/webhook-deliveries?endpoint_id=${endpoint.id}`,
    key: adminUser.key,
  })
  assert.equal(done.json<{ data: unknown[] }>().data.length, 0)
})

test('a slow receiver holds only its own delivery: another endpoint is served meanwhile', async () => {
  const slowUser = await env.user('50.00')
  const fastUser = await env.user('50.00')
  await register(slowUser.key, { url: `${receiver.url}?slow`, events: ['order.created'] })
  await register(fastUser.key, { url: `${receiver.url}?fast`, events: ['order.created'] })
  const pending: Array<() => void> = []
  receiver.handler = (req, res) => {
    if (req.path.endsWith('?slow')) pending.push(() => void res.writeHead(204).end())
    else res.writeHead(204).end()
  }
  const placed = async (u: { id: string; key: string }) => {
    const res = await env.request({
      url: '/API/orders/create_order',
      key: u.key,
      body: { user_id: u.id, ...NEW_SERVER },
    })
    assert.equal(res.statusCode, 200, res.body)
  }
  env.notifier.start()
  try {
    await placed(slowUser)
    env.notifier.poke()
    await waitFor(async () => pending.length === 1, { timeoutMs: 5000, intervalMs: 20, what: 'the slow send to start' })
    await placed(fastUser)
    env.notifier.poke()
    await waitFor(async () => receiver.received.some(r => r.path.endsWith('?fast')), {
      timeoutMs: 5000,
      intervalMs: 20,
      what: 'the fast endpoint to be served while the slow one still waits',
    })
    assert.equal(pending.length, 1, 'the slow receiver has not answered yet')
  } finally {
    for (const answer of pending) answer()
    await env.notifier.stop()
  }
})
