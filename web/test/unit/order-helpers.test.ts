import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PlacedOrder } from '../../src/api/orders.ts'
import { withPayment } from '../../src/features/orders/with-payment.ts'
import { placedFacts } from '../../src/features/orders/placed-order.ts'
import { fingerprintOf } from '../../src/features/orders/intent.ts'
import { formatGB, formatGiB } from '../../src/features/servers/format.ts'
import { refusalText } from '../../src/features/servers/refusal-text.ts'

describe('order helpers', () => {
  it('sets the payment method in the body, so another method is another intent and another quote', () => {
    const order = { endpoint: 'create_order', body: { user_id: 'u1', server_id: 's1', hours: '5' } } as const
    const crypto = withPayment(order, 'crypto')
    assert.deepEqual(crypto, {
      endpoint: 'create_order',
      body: { user_id: 'u1', server_id: 's1', hours: '5', type_payment: 'crypto' },
    })
    assert.notEqual(fingerprintOf(crypto), fingerprintOf(withPayment(order, 'balance')))
    const plesk = withPayment(
      { endpoint: 'create_order_scale_plesk', body: { subscription_id: 'sub', months: '2', type_payment: 'balance' } },
      'crypto',
    )
    assert.equal(plesk.body.type_payment, 'crypto')
    // The input is not changed.
    assert.equal('type_payment' in order.body, false)
  })

  it('reads the facts of each endpoint answer: status, the password once, the service, the invoice', () => {
    const payment = {
      track_id: '123',
      payment_url: 'https://pay.example/checkout/1',
      amount: '12.99',
      currency: 'EUR',
      expired_at: null,
      pay_amount: null,
      pay_currency: null,
      network: null,
      address: null,
      memo: null,
      qr_code: null,
    }
    const newServer = {
      endpoint: 'create_order',
      result: {
        success: true,
        amount: 12.99,
        balance_before: '20.00',
        type: 'new_server',
        plan_id: '5',
        password: 'secret-once',
        hours_purchased: '720',
        upgrade_difference: 0,
        order_id: 'ord_1',
        status: 'pending_payment',
        server_status: {
          new_id: 'srv/1',
          id_solusvm: null,
          name: 'x',
          metadata: '',
          primary_ip: null,
          status: 'pending_payment',
        },
        payment,
      },
    } satisfies PlacedOrder
    assert.deepEqual(placedFacts(newServer), {
      orderId: 'ord_1',
      status: 'pending_payment',
      success: true,
      failure: null,
      password: 'secret-once',
      servicePath: '/servers/srv%2F1',
      payment: { trackId: '123', paymentUrl: 'https://pay.example/checkout/1' },
    })
    const plesk = {
      endpoint: 'create_order_plesk',
      result: {
        success: false,
        message: 'failed',
        error: { code: 'provision_failed', message: 'Plesk refused the domain; refunded' },
        order: { id: 'ord_2', order_number: 'PLK_1', status: 'failed', amount: '9.99', currency: 'EUR' },
        subscription: { id: 'sub_1', domain_name: 'example.com', status: 'provision_failed', expires_at: null },
        balance_after: '20.00',
      },
    } satisfies PlacedOrder
    const f = placedFacts(plesk)
    assert.equal(f.success, false)
    assert.equal(f.failure, 'Plesk refused the domain; refunded')
    assert.equal(f.servicePath, '/plesk/subscriptions/sub_1')
    assert.equal(f.payment, null)
    assert.equal(f.password, null)
  })
})

describe('server helpers', () => {
  it('sizes in binary gigabytes', () => {
    assert.equal(formatGiB(2147483648), '2 GB')
    assert.equal(formatGiB(1610612736), '1.5 GB')
    assert.equal(formatGB(25), '25 GB')
  })
  it('says why an action is refused', () => {
    assert.equal(refusalText({ allowed: true }), null)
    assert.match(refusalText({ allowed: false, reason: 'status', status: 'suspended' })!, /suspended/)
    assert.match(
      refusalText({ allowed: false, reason: 'actionPending', action: 'reboot', actionStatus: 'running' })!,
      /Reboot.*running/,
    )
    assert.match(
      refusalText({
        allowed: false,
        reason: 'orderPending',
        orderId: 'o',
        orderNumber: 'CLOUD_1',
        orderStatus: 'processing',
      })!,
      /CLOUD_1/,
    )
    assert.match(refusalText({ allowed: false, reason: 'cancelPending', cancelAt: '2026-12-20T00:00:00Z' })!, /2026/)
  })
})
