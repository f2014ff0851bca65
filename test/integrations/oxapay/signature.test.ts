import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { signBody, verifySignature } from '../../../src/integrations/oxapay/signature.ts'
import { fixture, MERCHANT_KEY } from './helpers.ts'

describe('callback signature (HMAC-SHA512, hex)', () => {
  const raw = fixture('callback-paid.json')
  const sig = signBody(raw, MERCHANT_KEY)

  it('signs with lowercase hex HMAC-SHA512 of the exact bytes', () => {
    assert.match(sig, /^[a-f0-9]{128}$/)
    assert.equal(sig, createHmac('sha512', MERCHANT_KEY).update(raw).digest('hex'))
    assert.equal(signBody(raw.toString('utf8'), MERCHANT_KEY), sig)
  })

  it('accepts the right signature, also in uppercase hex', () => {
    assert.equal(verifySignature(raw, sig, MERCHANT_KEY), true)
    assert.equal(verifySignature(raw, sig.toUpperCase(), MERCHANT_KEY), true)
  })

  it('rejects a tampered body, even a re-serialised equal JSON', () => {
    const tampered = Buffer.from(raw.toString('utf8').replace('"amount":10', '"amount":11'))
    assert.equal(verifySignature(tampered, sig, MERCHANT_KEY), false)
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))))
    assert.equal(verifySignature(reserialised, sig, MERCHANT_KEY), false)
  })

  it('rejects a wrong key', () => {
    assert.equal(verifySignature(raw, sig, 'another-key'), false)
    assert.equal(verifySignature(raw, signBody(raw, 'another-key'), MERCHANT_KEY), false)
  })

  it('rejects missing, non-hex and wrong-length headers without throwing', () => {
    const bad: Array<string | undefined> = [
      undefined,
      '',
      'not-a-signature',
      sig.slice(0, 127),
      `${sig}0`,
      `${sig.slice(0, 127)}g`,
      sig.slice(0, 64),
      ` ${sig}`,
      `sha512=${sig}`,
      Buffer.from(sig, 'hex').toString('base64'),
      'é'.repeat(128),
    ]
    for (const header of bad) {
      assert.doesNotThrow(() => verifySignature(raw, header, MERCHANT_KEY))
      assert.equal(verifySignature(raw, header, MERCHANT_KEY), false, `header ${String(header)}`)
    }
  })
})
