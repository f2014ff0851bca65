import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as jsqr from 'jsqr'
import { PNG } from 'pngjs'
import { AppError } from '../../../src/lib/errors.ts'
import { parseCallback } from '../../../src/integrations/oxapay/callback.ts'
import { buildWhiteLabelBody, createOxaPayClient } from '../../../src/integrations/oxapay/client.ts'
import { startFakeOxaPay, type FakeOxaPayHandle } from '../../../src/fakes/oxapay/server.ts'
import { verifySignature } from '../../../src/integrations/oxapay/signature.ts'
import type { CreateWhiteLabelInput, OxaPayApi } from '../../../src/integrations/oxapay/types.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { MERCHANT_KEY, startReceiver, waitFor, type Receiver } from './helpers.ts'

/**
 * OxaPay white-label payments (oxapay-white-label.md) through the real adapter against the fake:
 * the request and response fields, network spellings, refusals as 400 with error.key, lookups
 * (`type: "white_label"`), paying the deposit address, signed `white_label` callbacks, expiry and
 * late payments, no hosted page, and the state file.
 */
describe('white-label payments', () => {
  let fake: FakeOxaPayHandle
  let client: OxaPayApi
  let receiver: Receiver
  const clock = { t: 1_750_000_000_000 }
  const dir = mkdtempSync(join(tmpdir(), 'oxbill-fake-wl-'))
  const stateFile = join(dir, 'oxapay.json')

  before(async () => {
    receiver = await startReceiver()
    fake = await startFakeOxaPay({
      merchantKey: MERCHANT_KEY,
      seed: 7,
      now: () => clock.t,
      retryScheduleMs: [20, 40],
      stateFile,
    })
    client = createOxaPayClient({
      baseUrl: fake.apiBaseUrl,
      merchantKey: MERCHANT_KEY,
      backoffMs: 1,
      logger: silentLogger,
    })
  })
  after(async () => {
    await fake.close()
    await receiver.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const input = (over: Partial<CreateWhiteLabelInput> = {}): CreateWhiteLabelInput => ({
    amount: '12.99',
    currency: 'EUR',
    payCurrency: 'USDT',
    lifetimeMinutes: 30,
    callbackUrl: receiver.url,
    orderId: 'pay-1',
    ...over,
  })

  it('builds the documented body: pay_currency and network, no hosted-page fields, amount as written', () => {
    const body = buildWhiteLabelBody(input({ network: 'TRC20', description: 'ORD-1', underPaidCoveragePercent: 2.5 }))
    assert.equal(
      body,
      '{"amount":12.99,"currency":"EUR","pay_currency":"USDT","network":"TRC20","lifetime":30,"under_paid_coverage":2.5,' +
        `"callback_url":"${receiver.url}","order_id":"pay-1","description":"ORD-1"}`,
    )
    assert.throws(() => buildWhiteLabelBody(input({ payCurrency: 'US DT' })), /payCurrency/)
    assert.throws(() => buildWhiteLabelBody(input({ network: 'x;y' })), /network/)
    assert.throws(() => buildWhiteLabelBody(input({ lifetimeMinutes: 10 })), /lifetimeMinutes/)
  })

  it('answers the deposit address, the coin amount, the network and the rate; the lookup says white_label', async () => {
    const wl = await client.createWhiteLabel(input())
    assert.match(wl.trackId, /^\d{9}$/)
    assert.deepEqual(
      [wl.amount, wl.currency, wl.payAmount, wl.payCurrency, wl.network, wl.memo],
      ['12.99', 'EUR', '14.0292', 'USDT', 'Tron Network', null],
    )
    assert.match(wl.address, /^T[1-9A-HJ-NP-Za-km-z]{33}$/)
    assert.equal(wl.rate, '0.92592593', "USDT in EUR at the fake's prices")
    assert.equal(wl.expiredAt - wl.date, 30 * 60)
    assert.equal(wl.qrCode, `${fake.url}/qr/${wl.trackId}`)
    const info = await client.getPayment(wl.trackId)
    assert.deepEqual(
      [info.type, info.status, info.amount, info.currency, info.orderId],
      ['white_label', 'new', '12.99', 'EUR', 'pay-1'],
    )
    const other = await client.createWhiteLabel(input())
    assert.notEqual(other.address, wl.address, 'every payment gets an address of its own')

    // The fake's QR link is a PNG of the address (oxbill renders its own; this is the fake's fidelity).
    const png = PNG.sync.read(Buffer.from(await (await fetch(wl.qrCode)).arrayBuffer()))
    assert.equal(jsqr.default.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data, wl.address)
    // No hosted page for a white-label payment, as at OxaPay.
    assert.equal((await fetch(`${fake.url}/pay/${wl.trackId}`)).status, 404)
    assert.equal((await fetch(`${fake.url}/pay/${wl.trackId}`, { method: 'POST' })).status, 404)
  })

  it('takes a network by key, display name or alias; the default when omitted; a memo where the chain needs one', async () => {
    for (const network of ['ERC20', 'Ethereum', 'ethereum network', 'ETH']) {
      const wl = await client.createWhiteLabel(input({ network }))
      assert.equal(wl.network, 'Ethereum Network', network)
      assert.match(wl.address, /^0x[0-9a-f]{40}$/)
    }
    assert.equal((await client.createWhiteLabel(input({ network: 'BSC' }))).network, 'Binance Smart Chain')
    const ton = await client.createWhiteLabel(input({ payCurrency: 'TON' }))
    assert.equal(ton.network, 'TON Network')
    assert.match(ton.memo ?? '', /^\d{9}$/)
    const btc = await client.createWhiteLabel(input({ payCurrency: 'btc', feePaidByPayer: 1 }))
    assert.deepEqual(
      [btc.payCurrency, btc.network, btc.payAmount],
      ['BTC', 'Bitcoin Network', '0.00021908'],
      "the payer's 1.5 % fee included, rounded up",
    )
    assert.equal(
      (await client.createWhiteLabel(input({ currency: 'USDT', amount: '5' }))).payAmount,
      '5',
      'priced in the coin itself',
    )
  })

  it('refuses an unknown coin or a network the coin is not offered on: 400 with error.key', async () => {
    const cases: Array<[Partial<CreateWhiteLabelInput>, string]> = [
      [{ payCurrency: 'XYZ' }, 'pay_currency'],
      [{ payCurrency: 'ETH', network: 'Tron' }, 'network'],
      [{ payCurrency: 'USDT', network: 'Bitcoin' }, 'network'],
      [{ currency: 'XXX' }, 'currency'],
    ]
    for (const [over, key] of cases) {
      await assert.rejects(client.createWhiteLabel(input(over)), (err: unknown) => {
        assert.ok(err instanceof AppError)
        assert.equal(err.code, 'provider_error')
        assert.deepEqual(
          [err.details.reason, err.details.key, err.details.status],
          ['validation', key, 400],
          JSON.stringify(over),
        )
        return true
      })
    }
    const raw = await fetch(`${fake.apiBaseUrl}/payment/white-label`, {
      method: 'POST',
      headers: { merchant_api_key: MERCHANT_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 5 }),
    })
    assert.equal(raw.status, 400)
    assert.deepEqual(((await raw.json()) as { error: unknown }).error, {
      type: 'validation',
      key: 'pay_currency',
      message: 'The pay currency field is required.',
    })
    const noKey = await fetch(`${fake.apiBaseUrl}/payment/white-label`, { method: 'POST', body: '{}' })
    assert.equal(noKey.status, 401)
  })

  it('paying the address: signed Paying then Paid callbacks of type white_label, in the coin, to that address', async () => {
    const wl = await client.createWhiteLabel(input({ orderId: 'pay-cb' }))
    const from = receiver.received.length
    const res = await fetch(`${fake.url}/__fake/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: wl.address }),
    })
    assert.equal(res.status, 200)
    await waitFor(() => receiver.received.length >= from + 2, 'two callbacks')
    const [paying, paid] = receiver.received.slice(from)
    for (const r of [paying!, paid!]) assert.equal(verifySignature(r.raw, r.headers.hmac as string, MERCHANT_KEY), true)
    const a = parseCallback(paying!.raw)
    const b = parseCallback(paid!.raw)
    assert.deepEqual([a.rawStatus, a.type, a.txs[0]!.status], ['Paying', 'white_label', 'confirming'])
    assert.deepEqual(
      [b.rawStatus, b.type, b.amount, b.currency, b.orderId],
      ['Paid', 'white_label', '12.99', 'EUR', 'pay-cb'],
    )
    const tx = b.txs[0]!
    assert.deepEqual(
      [tx.status, tx.currency, tx.address, tx.network, tx.sentAmount, tx.value],
      ['confirmed', 'USDT', wl.address, 'Tron Network', '14.0292', '14.0292'],
    )
    assert.equal((await client.getPayment(wl.trackId)).status, 'paid')
  })

  it('a short payment stays paying; expiry makes it underpaid; what comes later is recorded and keeps the status', async () => {
    const wl = await client.createWhiteLabel(input({ orderId: 'pay-short' }))
    assert.equal(fake.payAddress(wl.address, { amount: '7' }).status, 'paying')
    assert.equal(
      fake.payAddress(wl.address, { amount: '6.3' }).status,
      'paying',
      '13.3 of 14.0292: short by more than the (zero) coverage',
    )
    assert.throws(() => fake.pay(wl.trackId, { coin: 'BTC' }), /receives USDT on Tron Network only/)
    clock.t += 31 * 60_000
    const info = await client.getPayment(wl.trackId)
    assert.equal(info.status, 'underpaid')
    await fake.idle()
    const from = receiver.received.length
    assert.equal(fake.payAddress(wl.address, { amount: '1' }).status, 'underpaid')
    await waitFor(() => receiver.received.length >= from + 1, 'the late callback')
    const late = parseCallback(receiver.received.at(-1)!.raw)
    assert.deepEqual(
      [late.rawStatus, late.type, late.txs.length, late.txs.at(-1)!.status],
      ['Underpaid', 'white_label', 3, 'confirmed'],
    )
    assert.throws(() => fake.payAddress('Tnope'), /no white-label payment/)
  })

  it('white-label payments survive a restart of the fake (state file), address look-up included', async () => {
    const wl = await client.createWhiteLabel(input({ orderId: 'pay-restart' }))
    await fake.close()
    fake = await startFakeOxaPay({
      merchantKey: MERCHANT_KEY,
      seed: 7,
      now: () => clock.t,
      retryScheduleMs: [20, 40],
      stateFile,
    })
    client = createOxaPayClient({
      baseUrl: fake.apiBaseUrl,
      merchantKey: MERCHANT_KEY,
      backoffMs: 1,
      logger: silentLogger,
    })
    const back = fake.invoice(wl.trackId)!
    assert.deepEqual(
      [back.type, back.whiteLabel!.address, back.whiteLabel!.payAmount],
      ['white_label', wl.address, '14.0292'],
    )
    assert.equal(fake.payAddress(wl.address).status, 'paid')
  })
})
