import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventLink } from '../../src/features/dashboard/event-link.ts'

describe('dashboard: where an event leads', () => {
  it('to the service first, then the order, then the invoice', () => {
    assert.equal(
      eventLink({ order: { id: 'o1' }, service: { id: 'sub/1', kind: 'plesk_subscription' } }),
      '/plesk/subscriptions/sub%2F1',
    )
    assert.equal(eventLink({ service: { id: 's1', kind: 'server' } }), '/servers/s1')
    assert.equal(eventLink({ service: { id: 'a1', kind: 'server_addon' }, order: { id: 'o2' } }), '/orders/o2')
    assert.equal(eventLink({ payment: { id: 'p', track_id: '123' }, credited: '25.50' }), '/balance/invoices/123')
  })
  it('nowhere for shapes it does not know', () => {
    assert.equal(eventLink({}), null)
    assert.equal(eventLink({ order: 'o1', service: ['x'], payment: { track_id: null } }), null)
    assert.equal(eventLink({ order: { id: 42 } }), null)
  })
})
