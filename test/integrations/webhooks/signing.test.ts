import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import { AppError } from '../../../src/lib/errors.ts'
import {
  deliver,
  isEndpointSecret,
  newEndpointSecret,
  secretKey,
  signatureEntry,
  signatureHeader,
  webhookHeaders,
} from '../../../src/integrations/webhooks/index.ts'
import { localPolicy, nowSeconds, startReceiver, verifyingHandler, type Receiver, type Verdict } from './helpers.ts'

const body = JSON.stringify({ type: 'invoice.paid', timestamp: '2026-01-02T03:04:05.000Z', data: { id: 'inv_1' } })

describe('endpoint secrets', () => {
  it('are whsec_ + base64 of 32 random bytes, and the key is the decoded bytes', () => {
    const a = newEndpointSecret()
    const b = newEndpointSecret()
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/)
    assert.notEqual(a, b)
    assert.equal(secretKey(a).length, 32)
    assert.deepEqual(secretKey(a), Buffer.from(a.slice('whsec_'.length), 'base64'))
    assert.equal(isEndpointSecret(a), true)
  })

  it('refuse a secret without the prefix, with non-base64 text or with a short key', () => {
    for (const bad of ['abc', 'whsec_', 'whsec_!!!!', `whsec_${Buffer.alloc(8).toString('base64')}`]) {
      assert.throws(
        () => secretKey(bad),
        (err: unknown) => err instanceof AppError && err.code === 'validation_error',
      )
      assert.equal(isEndpointSecret(bad), false)
    }
  })
})

describe('Standard Webhooks signatures, checked by the official standardwebhooks package', () => {
  const secret = newEndpointSecret()

  it('sign exactly as the reference library does', () => {
    const ts = 1_760_000_000
    const ours = signatureEntry(secret, { id: 'msg_1', timestampSeconds: ts, body })
    assert.equal(ours, new Webhook(secret).sign('msg_1', new Date(ts * 1000), body))
  })

  it('verify with fresh headers and refuse a forged signature, a changed body and a stale timestamp', () => {
    const wh = new Webhook(secret)
    const headers = webhookHeaders({ id: 'msg_2', timestampSeconds: nowSeconds(), body, secrets: [secret] })
    assert.deepEqual(wh.verify(body, headers), JSON.parse(body))

    const sig = headers['webhook-signature'] ?? ''
    const flipped = sig.slice(0, 3) + (sig[3] === 'A' ? 'B' : 'A') + sig.slice(4)
    assert.throws(() => wh.verify(body, { ...headers, 'webhook-signature': flipped }), WebhookVerificationError)
    assert.throws(() => wh.verify(body.replace('inv_1', 'inv_2'), headers), WebhookVerificationError)
    const other = newEndpointSecret()
    assert.throws(() => new Webhook(other).verify(body, headers), WebhookVerificationError)

    const stale = webhookHeaders({ id: 'msg_3', timestampSeconds: nowSeconds() - 301, body, secrets: [secret] })
    assert.throws(() => wh.verify(body, stale), WebhookVerificationError)
  })

  it('sends one space-separated entry per secret during a rotation', () => {
    const next = newEndpointSecret()
    const header = signatureHeader([secret, next], { id: 'msg_4', timestampSeconds: 1_760_000_000, body })
    const entries = header.split(' ')
    assert.equal(entries.length, 2)
    assert.ok(entries.every(e => e.startsWith('v1,')))
  })

  it('refuse an id with a dot, a fractional timestamp and an empty secret list', () => {
    const isValidation = (err: unknown): boolean => err instanceof AppError && err.code === 'validation_error'
    assert.throws(() => signatureEntry(secret, { id: 'msg.1', timestampSeconds: 1, body }), isValidation)
    assert.throws(() => signatureEntry(secret, { id: 'msg_1', timestampSeconds: 1.5, body }), isValidation)
    assert.throws(() => signatureHeader([], { id: 'msg_1', timestampSeconds: 1, body }), isValidation)
  })
})

describe('deliveries to a receiver that verifies with standardwebhooks', () => {
  const oldSecret = newEndpointSecret()
  const newSecret = newEndpointSecret()
  let receiver: Receiver
  before(async () => {
    receiver = await startReceiver()
  })
  after(async () => {
    await receiver.close()
  })

  async function send(receiverSecrets: string[], senderSecrets: string[], timestampSeconds = nowSeconds()) {
    const verdicts: Verdict[] = []
    receiver.handler = verifyingHandler(receiverSecrets, verdicts)
    const result = await deliver({
      url: receiver.url,
      id: `msg_${receiver.received.length + 1}`,
      timestampSeconds,
      body,
      secrets: senderSecrets,
      policy: localPolicy,
    })
    assert.equal(verdicts.length, 1)
    return { result, verdict: verdicts[0] as Verdict, request: receiver.received.at(-1) }
  }

  it('accepts a delivery signed with the one secret, with the documented headers', async () => {
    const ts = nowSeconds()
    const { result, verdict, request } = await send([oldSecret], [oldSecret], ts)
    assert.equal(verdict.ok, true)
    assert.equal(result.outcome, 'delivered')
    assert.equal(result.status, 204)
    assert.equal(request?.method, 'POST')
    assert.equal(request?.path, '/hook')
    assert.equal(request?.body, body)
    assert.equal(request?.headers['content-type'], 'application/json')
    assert.equal(request?.headers['webhook-timestamp'], String(ts))
    assert.match(String(request?.headers['webhook-id']), /^msg_\d+$/)
    assert.match(String(request?.headers['user-agent']), /^oxbill-webhooks\/\S+$/)
  })

  it('during a rotation, a receiver holding either the old or the new secret accepts', async () => {
    const withOld = await send([oldSecret], [oldSecret, newSecret])
    assert.equal(withOld.verdict.ok, true)
    assert.equal(withOld.result.outcome, 'delivered')
    const withNew = await send([newSecret], [oldSecret, newSecret])
    assert.equal(withNew.verdict.ok, true)
    assert.equal(withNew.result.outcome, 'delivered')
  })

  it('a receiver holding another secret rejects (standardwebhooks throws) and the attempt failed', async () => {
    const { result, verdict } = await send([newEndpointSecret()], [oldSecret])
    assert.equal(verdict.ok, false)
    assert.ok(verdict.error instanceof WebhookVerificationError)
    assert.equal(result.outcome, 'failed')
    assert.equal(result.status, 401)
    assert.equal(result.error, 'http_status')
    assert.equal(result.excerpt, 'bad signature')
  })

  it('a receiver rejects an attempt whose timestamp is more than 5 minutes old', async () => {
    const { result, verdict } = await send([oldSecret], [oldSecret], nowSeconds() - 6 * 60)
    assert.equal(verdict.ok, false)
    assert.ok(verdict.error instanceof WebhookVerificationError)
    assert.equal(result.outcome, 'failed')
  })
})
