import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  deliver,
  EXCERPT_BYTES,
  newEndpointSecret,
  parseRetryAfter,
  type DeliverInput,
} from '../../../src/integrations/webhooks/index.ts'
import { localPolicy, nowSeconds, startReceiver, type Receiver } from './helpers.ts'
import { waitFor } from '../../wait.ts'

const secrets = [newEndpointSecret()]
const send = (url: string, extra: Partial<DeliverInput> = {}) =>
  deliver({
    url,
    id: 'msg_sender',
    timestampSeconds: nowSeconds(),
    body: '{"type":"ping"}',
    secrets,
    policy: localPolicy,
    ...extra,
  })

describe('webhook sender outcomes', () => {
  let receiver: Receiver
  let target: Receiver
  before(async () => {
    receiver = await startReceiver()
    target = await startReceiver()
  })
  after(async () => {
    await receiver.close()
    await target.close()
  })

  it('a 2xx is delivered, with its status, latency and body excerpt', async () => {
    receiver.handler = (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks')
    const result = await send(receiver.url)
    assert.equal(result.outcome, 'delivered')
    assert.equal(result.status, 200)
    assert.equal(result.excerpt, 'thanks')
    assert.equal(result.error, undefined)
    assert.ok(result.latencyMs >= 0)
  })

  it('a 302 is a failure and the redirect is not followed', async () => {
    receiver.handler = (_req, res) => void res.writeHead(302, { location: target.url }).end()
    const result = await send(receiver.url)
    assert.equal(result.outcome, 'failed')
    assert.equal(result.status, 302)
    assert.equal(result.error, 'redirect')
    assert.ok(result.detail?.includes(target.url))
    assert.equal(target.received.length, 0)
    assert.equal(target.connections, 0)
  })

  it('a 410 means gone: the endpoint should be disabled', async () => {
    receiver.handler = (_req, res) => void res.writeHead(410).end('endpoint removed')
    const result = await send(receiver.url)
    assert.equal(result.outcome, 'gone')
    assert.equal(result.status, 410)
    assert.equal(result.excerpt, 'endpoint removed')
  })

  it('a 500 failed, with its status', async () => {
    receiver.handler = (_req, res) => void res.writeHead(500).end('boom')
    const result = await send(receiver.url)
    assert.deepEqual(
      { outcome: result.outcome, status: result.status, error: result.error, excerpt: result.excerpt },
      { outcome: 'failed', status: 500, error: 'http_status', excerpt: 'boom' },
    )
    assert.equal(result.retryAfterSeconds, undefined)
  })

  it('Retry-After is read in seconds and as an HTTP date', async () => {
    receiver.handler = (_req, res) => void res.writeHead(503, { 'retry-after': '120' }).end()
    assert.equal((await send(receiver.url)).retryAfterSeconds, 120)

    const now = Date.UTC(2026, 0, 2, 3, 4, 5)
    receiver.handler = (_req, res) =>
      void res.writeHead(429, { 'retry-after': new Date(now + 90_000).toUTCString() }).end()
    const dated = await send(receiver.url, { now: () => now })
    assert.equal(dated.outcome, 'failed')
    assert.equal(dated.status, 429)
    assert.equal(dated.retryAfterSeconds, 90)
  })

  it('keeps only the first 4 KiB of the body, and stops reading a huge one', async () => {
    receiver.handler = (_req, res) => void res.writeHead(200).end('x'.repeat(10_000))
    const result = await send(receiver.url)
    assert.equal(result.outcome, 'delivered')
    assert.equal(result.excerpt, 'x'.repeat(EXCERPT_BYTES))

    receiver.handler = (_req, res) => {
      res.writeHead(500)
      // Far more than the 64 KiB read cap, written without waiting: the sender hangs up first.
      for (let i = 0; i < 64; i++) res.write('y'.repeat(16 * 1024))
      res.end()
    }
    const huge = await send(receiver.url)
    assert.equal(huge.outcome, 'failed')
    assert.equal(huge.status, 500)
    assert.equal(huge.excerpt.length, EXCERPT_BYTES)
  })

  it('a receiver that never answers is a timeout', async () => {
    const before = receiver.received.length
    receiver.handler = () => {}
    const result = await send(receiver.url, { timeoutMs: 200 })
    assert.equal(result.outcome, 'failed')
    assert.equal(result.error, 'timeout')
    assert.equal(result.status, undefined)
    // The request did arrive: it is the answer that never came.
    await waitFor(() => receiver.received.length === before + 1, { what: 'the held request' })
  })
})

describe('webhook sender network failures', () => {
  it('a closed port is connection_refused, and nothing is thrown', async () => {
    const server = createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    await new Promise<void>(resolve => server.close(() => resolve()))
    const result = await send(`http://127.0.0.1:${port}/hook`)
    assert.equal(result.outcome, 'failed')
    assert.equal(result.error, 'connection_refused')
    assert.equal(result.status, undefined)
  })

  it('https to a server that does not speak TLS is a tls failure', async () => {
    const receiver = await startReceiver()
    try {
      const result = await send(`https://127.0.0.1:${receiver.port}/hook`)
      assert.equal(result.outcome, 'failed')
      assert.equal(result.error, 'tls')
    } finally {
      await receiver.close()
    }
  })

  it('an http URL is refused unless the policy allows http', async () => {
    const result = await send('http://127.0.0.1:1/hook', { policy: { addresses: localPolicy.addresses } })
    assert.equal(result.outcome, 'failed')
    assert.equal(result.error, 'url_not_allowed')
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 2, 3, 4, 5)
  it('reads delta-seconds and HTTP dates, past dates as 0, and ignores garbage', () => {
    assert.equal(parseRetryAfter('0', now), 0)
    assert.equal(parseRetryAfter(' 30 ', now), 30)
    assert.equal(parseRetryAfter(new Date(now + 61_000).toUTCString(), now), 61)
    assert.equal(parseRetryAfter(new Date(now - 5_000).toUTCString(), now), 0)
    assert.equal(parseRetryAfter(undefined, now), undefined)
    assert.equal(parseRetryAfter('-5', now), undefined)
    assert.equal(parseRetryAfter('1.5', now), undefined)
    assert.equal(parseRetryAfter('soon', now), undefined)
  })
})
