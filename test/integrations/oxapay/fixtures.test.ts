import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AppError } from '../../../src/lib/errors.ts'
import { parseCallback } from '../../../src/integrations/oxapay/callback.ts'
import { unwrapEnvelope } from '../../../src/integrations/oxapay/envelope.ts'
import { isPaidStatus, mapInvoice, mapPayment, normalizeStatus } from '../../../src/integrations/oxapay/map.ts'
import { fixture } from './helpers.ts'

/** Recorded payloads from the reference (§1.2, §2.2, §3.3, §4), parsed by the real mapping code. */
const envelope = (name: string, status = 200): Record<string, unknown> =>
  unwrapEnvelope({ status, text: fixture(name).toString('utf8') }, 'KEY')

function throwsApp(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof AppError)
    return err
  }
  assert.fail('expected an AppError')
}

describe('recorded OxaPay payloads', () => {
  it('invoice success envelope → OxaInvoice', () => {
    assert.deepEqual(mapInvoice(envelope('invoice-success.json')), {
      trackId: '184747701',
      paymentUrl: 'https://pay.oxapay.com/12373985/184747701',
      expiredAt: 1734546589,
      date: 1734510589,
    })
  })

  it('payment information envelope → OxaPayment', () => {
    assert.deepEqual(mapPayment(envelope('payment-information.json')), {
      trackId: '168931368',
      status: 'paid',
      type: 'invoice',
      amount: '15',
      currency: 'USD',
      // ETH against a USD invoice, and lookups carry no USD value: not derivable exactly.
      receivedAmount: null,
      underPaidCoverage: '21.5',
      orderId: 'ORD-12345',
      expiredAt: 1728121075,
      date: 1728117475,
      txs: [
        {
          status: 'confirmed',
          txHash: '0x…',
          sentAmount: '0.00613418',
          receivedAmount: null,
          value: null,
          rate: null,
          currency: 'ETH',
          network: 'Ethereum Network',
          address: '…',
          confirmations: 11,
          date: 1728117736,
          autoConvert: { amount: '14.73130872', currency: 'USDT' },
        },
      ],
    })
  })

  it('v1 callback body → OxaCallback, with Paid normalised to paid', () => {
    assert.deepEqual(parseCallback(fixture('callback-paid.json')), {
      trackId: '151811887',
      status: 'paid',
      rawStatus: 'Paid',
      type: 'invoice',
      amount: '10',
      currency: 'POL',
      value: '3.6839',
      sentValue: '3.6839',
      orderId: 'ORD-12345',
      email: 'customer@oxapay.com',
      description: 'Test Description',
      feePaidByPayer: 0,
      underPaidCoverage: '0',
      date: 1738493900,
      txs: [
        {
          status: 'confirmed',
          txHash: 'x',
          sentAmount: '10',
          receivedAmount: '9.85',
          value: '3.6839',
          rate: '0.36839',
          currency: 'POL',
          network: 'Polygon Network',
          address: 'x',
          confirmations: 250,
          date: 1738494035,
          autoConvert: { amount: '3.62864', currency: 'USDT' },
        },
      ],
      // Paid in the invoice currency itself: the gross sent amount counts.
      receivedAmount: '10',
    })
  })

  it('rejects legacy-looking and incomplete callback bodies', () => {
    for (const body of [
      fixture('callback-legacy.json'),
      '{"status":"Paid"}',
      '{"track_id":"123"}',
      '{"track_id":"","status":"Paid"}',
      '[]',
      'not json',
    ]) {
      const err = throwsApp(() => parseCallback(body))
      assert.equal(err.code, 'validation_error')
    }
  })

  it('keeps an unknown callback status as null instead of failing', () => {
    const cb = parseCallback('{"track_id":151811887,"status":"Refund_pending","currency":"USD","txs":[]}')
    assert.equal(cb.trackId, '151811887')
    assert.equal(cb.status, null)
    assert.equal(cb.rawStatus, 'Refund_pending')
    assert.equal(cb.receivedAmount, '0')
  })

  it('validation error envelope → permanent error carrying error.key', () => {
    const err = throwsApp(() => envelope('error-validation.json', 400))
    assert.equal(err.code, 'provider_error')
    assert.equal(err.retryable, false)
    assert.deepEqual(
      { reason: err.details.reason, key: err.details.key, msg: err.details.providerMessage },
      { reason: 'validation', key: 'lifetime', msg: 'The lifetime field must be an integer.' },
    )
  })
})

describe('envelope classification', () => {
  const body = (status: number, extra = ''): string =>
    `{"data":{},"message":"m","error":{"key":"k","message":"says KEY"${extra}},"status":${status},"version":"1.0.0"}`
  const reason = (status: number, text: string): [unknown, boolean] => {
    const err = throwsApp(() => unwrapEnvelope({ status, text }, 'KEY'))
    return [err.details.reason, err.retryable]
  }

  it('classifies by the body status first, then by HTTP status', () => {
    assert.deepEqual(reason(403, body(401)), ['auth', false])
    assert.deepEqual(reason(200, body(401)), ['auth', false])
    assert.deepEqual(reason(403, '<html>cloudflare</html>'), ['auth', false])
    assert.deepEqual(reason(200, body(400)), ['validation', false])
    assert.deepEqual(reason(404, body(404)), ['not_found', false])
    assert.deepEqual(reason(200, body(429)), ['unavailable', true])
    assert.deepEqual(reason(200, body(503)), ['unavailable', true])
    assert.deepEqual(reason(200, 'not json'), ['unexpected', false])
    assert.deepEqual(reason(200, '{"data":{"track_id":"1"}}'), ['unexpected', false])
    assert.deepEqual(reason(200, '{"data":[],"status":200}'), ['unexpected', false])
  })

  it('never repeats the key the provider echoed', () => {
    const err = throwsApp(() => unwrapEnvelope({ status: 400, text: body(400) }, 'KEY'))
    assert.equal(err.details.providerMessage, 'says [redacted]')
    assert.ok(!err.message.includes('KEY'))
  })

  it('normalises statuses', () => {
    assert.equal(normalizeStatus('Paid'), 'paid')
    assert.equal(normalizeStatus('PAYING'), 'paying')
    assert.equal(normalizeStatus('manual_accept'), 'manual_accept')
    assert.equal(normalizeStatus('Confirming'), null)
    assert.equal(isPaidStatus('manual_accept'), true)
    assert.equal(isPaidStatus('underpaid'), false)
  })
})
