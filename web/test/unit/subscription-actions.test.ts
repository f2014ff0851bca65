import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renewVerdict } from '../../src/features/plesk/subscription-actions.ts'

describe('Plesk subscription: renew or upgrade', () => {
  it('is possible when active, suspended or expired with no open order', () => {
    for (const status of ['active', 'suspended', 'expired']) {
      assert.deepEqual(renewVerdict({ status }, [{ id: 'o1', order_number: 'PLK_1', status: 'completed' }]), {
        allowed: true,
      })
    }
  })
  it('names the state that forbids it', () => {
    for (const status of ['provisioning', 'renewing', 'provision_failed', 'deleted', 'pending_payment']) {
      assert.deepEqual(renewVerdict({ status }, []), { allowed: false, reason: 'status', status })
    }
  })
  it('names the open order that holds it', () => {
    assert.deepEqual(
      renewVerdict({ status: 'active' }, [
        { id: 'o2', order_number: 'PLK_RENEW_2', status: 'pending_payment' },
        { id: 'o1', order_number: 'PLK_1', status: 'completed' },
      ]),
      { allowed: false, reason: 'orderPending', orderId: 'o2', orderNumber: 'PLK_RENEW_2' },
    )
  })
})
