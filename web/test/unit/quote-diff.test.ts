import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { quoteChanges } from '../../src/features/orders/quote-diff.ts'

const q = {
  amount: '12.99',
  currency: 'EUR',
  new_expiry: '2026-12-31T00:00:00.000Z',
  upgrade_difference: null,
  balance_sufficient: true,
}

describe('quote differences after a 409', () => {
  it('nothing changed', () => assert.deepEqual(quoteChanges(q, { ...q }), []))
  it('names each changed fact, comparing the strings the API sent', () => {
    assert.deepEqual(quoteChanges(q, { ...q, amount: '13.00', balance_sufficient: false }), [
      'amount',
      'balance_sufficient',
    ])
    // "12.990" is another string: the UI does not reinterpret amounts.
    assert.deepEqual(quoteChanges(q, { ...q, amount: '12.990' }), ['amount'])
    assert.deepEqual(quoteChanges(q, { ...q, new_expiry: null, upgrade_difference: '1.00' }), [
      'new_expiry',
      'upgrade_difference',
    ])
  })
})
