import assert from 'node:assert/strict'
import { webcrypto } from 'node:crypto'
import { describe, it } from 'node:test'
import { fingerprintOf, keepsKey, newIdempotencyKey, nextIntent } from '../../src/features/orders/intent.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('order intent: one Idempotency-Key per intended order', () => {
  it('fingerprints bodies independently of key order and undefined fields', () => {
    assert.equal(
      fingerprintOf({ plan_id: '1', location: 'Slovenia', extra: undefined, nested: { b: 1, a: 2 } }),
      fingerprintOf({ nested: { a: 2, b: 1 }, location: 'Slovenia', plan_id: '1' }),
    )
    assert.notEqual(fingerprintOf({ hours: '5' }), fingerprintOf({ hours: '6' }))
    assert.notEqual(fingerprintOf({ hours: '5' }), fingerprintOf({ hours: 5 }))
  })

  it('keeps the key for the same order (double click, try again) and makes a new one when inputs change', () => {
    let made = 0
    const make = () => `k${++made}`
    const first = nextIntent(null, fingerprintOf({ plan_id: '1' }), make)
    assert.equal(first.key, 'k1')
    const again = nextIntent(first, fingerprintOf({ plan_id: '1' }), make)
    assert.equal(again, first)
    const changed = nextIntent(again, fingerprintOf({ plan_id: '2' }), make)
    assert.equal(changed.key, 'k2')
    // Changing back is a new intent too: the first key may already have been answered.
    const back = nextIntent(changed, fingerprintOf({ plan_id: '1' }), make)
    assert.equal(back.key, 'k3')
    assert.equal(made, 3)
  })

  it('keeps the key only when the first attempt may have done something unseen', () => {
    assert.equal(keepsKey({ status: 0, code: 'network' }), true)
    assert.equal(keepsKey({ status: 502, code: 'provider_unavailable' }), true)
    assert.equal(keepsKey({ status: 500, code: 'internal' }), true)
    assert.equal(keepsKey({ status: 408, code: 'request_timeout' }), true)
    assert.equal(keepsKey({ status: 429, code: 'rate_limited' }), true)
    assert.equal(keepsKey({ status: 409, code: 'idempotency_key_in_use' }), true)
    // Definite answers: the next confirm is a new intent (a 402 is stored under its key and would replay).
    assert.equal(keepsKey({ status: 402, code: 'insufficient_balance' }), false)
    assert.equal(keepsKey({ status: 409, code: 'invalid_state' }), false)
    assert.equal(keepsKey({ status: 400, code: 'validation_error' }), false)
    assert.equal(keepsKey({ status: 404, code: 'not_found' }), false)
    assert.equal(keepsKey({ status: 422, code: 'idempotency_key_mismatch' }), false)
  })

  it('makes UUID v4 keys with randomUUID, and without it (plain-HTTP LAN installs)', () => {
    const secure = newIdempotencyKey(webcrypto)
    assert.match(secure, UUID)
    const insecure = { getRandomValues: <T extends Uint8Array>(a: T) => webcrypto.getRandomValues(a) }
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey(insecure)))
    assert.equal(keys.size, 200)
    for (const k of keys) assert.match(k, UUID)
    const throwing = {
      getRandomValues: insecure.getRandomValues,
      randomUUID: (): string => {
        throw new Error('insecure context')
      },
    }
    assert.match(newIdempotencyKey(throwing), UUID)
  })

  it('sets the version and variant bits even from all-ones random bytes', () => {
    const ones = {
      getRandomValues: <T extends Uint8Array>(a: T) => {
        a.fill(0xff)
        return a
      },
    }
    assert.equal(newIdempotencyKey(ones), 'ffffffff-ffff-4fff-bfff-ffffffffffff')
  })
})
