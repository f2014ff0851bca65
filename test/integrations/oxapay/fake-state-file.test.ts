import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createOxaPayClient } from '../../../src/integrations/oxapay/client.ts'
import { startFakeOxaPay, type FakeOxaPayHandle, type FakeOxaPayOptions } from '../../../src/fakes/oxapay/server.ts'
import type { CreateInvoiceInput, OxaPayApi } from '../../../src/integrations/oxapay/types.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { MERCHANT_KEY, startReceiver, type Receiver } from './helpers.ts'

describe('fake OxaPay state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxbill-fake-oxapay-'))
  // Closing again is harmless; this only matters when an assertion fails before a test's own close.
  const opened: FakeOxaPayHandle[] = []
  let receiver: Receiver
  let now = Date.parse('2025-05-01T08:00:00Z')
  before(async () => {
    receiver = await startReceiver()
  })
  after(async () => {
    await Promise.all(opened.map(f => f.close()))
    await receiver.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function start(
    stateFile: string,
    over: Partial<FakeOxaPayOptions> = {},
  ): Promise<{ fake: FakeOxaPayHandle; client: OxaPayApi }> {
    const fake = await startFakeOxaPay({ merchantKey: MERCHANT_KEY, seed: 5, now: () => now, stateFile, ...over })
    opened.push(fake)
    return {
      fake,
      client: createOxaPayClient({
        baseUrl: fake.apiBaseUrl,
        merchantKey: MERCHANT_KEY,
        retries: 0,
        logger: silentLogger,
      }),
    }
  }

  async function pay(fake: FakeOxaPayHandle, trackId: string, amount?: string): Promise<void> {
    const res = await fetch(`${fake.url}/__fake/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ track_id: trackId, amount }),
    })
    assert.equal(res.status, 200)
  }

  const input = (orderId: string, lifetimeMinutes: number): CreateInvoiceInput => ({
    amount: '10',
    currency: 'USD',
    lifetimeMinutes,
    callbackUrl: receiver.url,
    orderId,
  })

  it('keeps invoices, payments and counters across a restart; expiry runs on the stored clock', async () => {
    const file = join(dir, 'restart.json')
    const one = await start(file)
    const paid = await one.client.createInvoice(input('ord-paid', 60))
    const partial = await one.client.createInvoice(input('ord-partial', 60))
    const lapsing = await one.client.createInvoice(input('ord-lapsing', 15))
    await pay(one.fake, paid.trackId)
    await pay(one.fake, partial.trackId, '4')
    await one.fake.idle()
    const paidBefore = await one.client.getPayment(paid.trackId)
    const partialBefore = await one.client.getPayment(partial.trackId)
    const lastCallbackId = Math.max(...one.fake.deliveries().map(d => d.callbackId))
    await one.fake.close()

    const text = readFileSync(file, 'utf8')
    assert.equal(JSON.parse(text).format, 'oxbill-fake-oxapay')
    assert.equal(text.includes(MERCHANT_KEY), false)
    assert.equal(statSync(file).mode & 0o077, 0, 'owner-only file')

    now += 20 * 60_000 // the 15-minute invoice runs out while no fake runs
    const two = await start(file)
    assert.deepEqual(await two.client.getPayment(paid.trackId), paidBefore)
    const partialAfter = await two.client.getPayment(partial.trackId)
    assert.deepEqual(partialAfter, partialBefore)
    assert.equal(partialAfter.status, 'paying')
    assert.equal(two.fake.invoice(partial.trackId)?.credited, '4')
    assert.equal((await two.client.getPayment(lapsing.trackId)).status, 'expired')

    const fresh = await two.client.createInvoice(input('ord-fresh', 30))
    assert.ok(![paid.trackId, partial.trackId, lapsing.trackId].includes(fresh.trackId))
    await pay(two.fake, partial.trackId, '6')
    await two.fake.idle()
    assert.equal((await two.client.getPayment(partial.trackId)).status, 'paid')
    const ids = two.fake.deliveries().map(d => d.callbackId)
    assert.ok(ids.length > 0 && Math.min(...ids) > lastCallbackId, 'callback ids keep increasing')
    const hashes = [paidBefore, partialAfter].flatMap(p => p.txs.map(tx => tx.txHash))
    const newHash = (await two.client.getPayment(partial.trackId)).txs.at(-1)!.txHash
    assert.ok(!hashes.includes(newHash))
    await two.fake.close()

    const three = await start(file)
    assert.deepEqual(
      three.fake.invoices().map(i => [i.orderId, i.status]),
      [
        ['ord-paid', 'paid'],
        ['ord-partial', 'paid'],
        ['ord-lapsing', 'expired'],
        ['ord-fresh', 'new'],
      ],
    )
    await three.fake.close()
  })

  it('moves a file of an unknown version aside and starts empty', async () => {
    const sub = mkdtempSync(join(dir, 'corrupt-'))
    const file = join(sub, 'state.json')
    const content = JSON.stringify({ format: 'oxbill-fake-oxapay', version: 99, state: { invoices: [] } })
    writeFileSync(file, content)
    const warnings: string[] = []
    const { fake, client } = await start(file, { onWarning: msg => warnings.push(msg) })
    assert.equal(warnings.length, 1)
    assert.match(
      warnings[0]!,
      /fake OxaPay: state file .* is unreadable \(unsupported version 99\); starting empty, moved to .*corrupt-\d+/,
    )
    const aside = readdirSync(sub).filter(n => n.startsWith('state.json.corrupt-'))
    assert.equal(readFileSync(join(sub, aside[0]!), 'utf8'), content)
    assert.deepEqual(fake.invoices(), [])
    await client.createInvoice(input('ord-after', 30))
    await fake.close()
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).state.invoices.length, 1)
  })

  it('warns on stderr by default when the file cannot be read at all', async () => {
    const sub = mkdtempSync(join(dir, 'unreadable-'))
    const file = join(sub, 'state.json')
    mkdirSync(file) // a directory where the file should be: reading fails with EISDIR
    const written: string[] = []
    const write = process.stderr.write
    process.stderr.write = (chunk: string) => {
      written.push(String(chunk))
      return true
    }
    let started: Promise<{ fake: FakeOxaPayHandle; client: OxaPayApi }>
    try {
      started = start(file) // the file is read synchronously, before the first await
    } finally {
      process.stderr.write = write
    }
    const { fake } = await started
    assert.equal(written.length, 1)
    assert.match(written[0]!, /^fake OxaPay: state file .* is unreadable \(EISDIR.*\n$/)
    assert.equal(readdirSync(sub).filter(n => n.startsWith('state.json.corrupt-')).length, 1)
    await fake.close()
  })
})
