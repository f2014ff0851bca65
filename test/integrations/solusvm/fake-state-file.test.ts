import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '../../wait.ts'
import { after, describe, it } from 'node:test'
import { createSolusVmClient } from '../../../src/integrations/solusvm/client.ts'
import { startFakeSolusVm, type FakeSolusVmHandle, type FakeSolusVmOptions } from '../../../src/fakes/solusvm/server.ts'
import type { SolusServer, SolusVmApi } from '../../../src/integrations/solusvm/types.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { createInput, TOKEN } from './helpers.ts'

const PASSWORD = 'R00t-Secret-Never-On-Disk'

describe('fake SolusVM state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxbill-fake-solusvm-'))
  // Closing again is harmless; this only matters when an assertion fails before a test's own close.
  const opened: FakeSolusVmHandle[] = []
  after(async () => {
    await Promise.all(opened.map(f => f.close()))
    rmSync(dir, { recursive: true, force: true })
  })
  // A manual clock lets "time passes while the fake is down" happen instantly.
  let now = Date.parse('2025-03-01T12:00:00Z')

  async function start(
    stateFile: string,
    over: Partial<FakeSolusVmOptions> = {},
  ): Promise<{ fake: FakeSolusVmHandle; client: SolusVmApi }> {
    const fake = await startFakeSolusVm({
      token: TOKEN,
      createDelayMs: 1000,
      taskDelayMs: 400,
      clock: () => now,
      stateFile,
      ...over,
    })
    opened.push(fake)
    const client = createSolusVmClient({
      baseUrl: fake.url,
      token: TOKEN,
      retries: 0,
      pollIntervalMs: 10,
      logger: silentLogger,
    })
    return { fake, client }
  }

  it('keeps servers, tasks and counters across a restart and runs the clock on load', async () => {
    const file = join(dir, 'restart.json')
    const one = await start(file)
    const a = await one.client.createServer(createInput({ password: PASSWORD }))
    now += 1000
    assert.equal((await one.client.getServer(a.id))?.status, 'started')
    const resize = await one.client.resizeServer(a.id, 2)
    const b = await one.client.createServer(createInput({ password: PASSWORD }))
    assert.equal(b.status, 'processing')
    await one.fake.close()

    const text = readFileSync(file, 'utf8')
    assert.equal(JSON.parse(text).format, 'oxbill-fake-solusvm')
    assert.equal(text.includes(PASSWORD), false)
    assert.equal(existsSync(`${file}.tmp`), false)

    now += 1500 // b's create delay and the resize elapse while no fake runs
    const two = await start(file)
    // Created first: with the seeded PRNG restarted instead of restored, it would get a's UUID.
    const c = await two.client.createServer(createInput({ password: PASSWORD }))
    const a2 = await two.client.getServer(a.id)
    const b2 = await two.client.getServer(b.id)
    assert.deepEqual(pick(a2!), { ...pick(a), status: 'started', isProcessing: false, planId: 2 })
    assert.deepEqual(pick(b2!), { ...pick(b), status: 'started', isProcessing: false })
    assert.equal((await two.client.getTask(resize.id)).status, 'done')

    assert.ok(c.id > b.id, 'server ids keep increasing')
    assert.ok(![a.uuid, b.uuid].includes(c.uuid), 'a new UUID, not a replay of the seeded sequence')
    assert.ok(!a2!.ipv4.concat(b2!.ipv4).includes(c.primaryIp!), 'a free IP')
    const task = await two.client.suspendServer(a.id)
    assert.ok(task.id > resize.id, 'task ids keep increasing')
    await two.fake.close()

    // c was created 0 ms ago on this clock: still processing after a reload, started once its delay passes.
    const three = await start(file)
    assert.equal((await three.client.getServer(c.id))?.status, 'processing')
    now += 1000
    assert.equal((await three.client.getServer(c.id))?.status, 'started')
    assert.equal((await three.client.getServer(a.id))?.isSuspended, true)
    assert.deepEqual(
      three.fake.servers().map(s => s.id),
      [a.id, b.id, c.id],
    )
    await three.fake.close()
  })

  it('writes soon after a change, without waiting for close', async () => {
    const file = join(dir, 'debounce.json')
    const { fake, client } = await start(file)
    const s = await client.createServer(createInput())
    const savedIds = (): number[] => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')).state.servers.map((x: { id: number }) => x.id)
      } catch {
        return []
      }
    }
    // Checked before close(), whose own write would hide a debounce that never fires.
    await waitFor(() => savedIds().length > 0, { what: 'the debounced write' })
    assert.deepEqual(savedIds(), [s.id])
    await fake.close()
  })

  const corrupt: Array<[string, string]> = [
    ['not JSON', '{"format": "oxbill-fake-sol'],
    ["another fake's file", JSON.stringify({ format: 'oxbill-fake-plesk', version: 1, state: {} })],
    [
      'a bad server record',
      JSON.stringify({
        format: 'oxbill-fake-solusvm',
        version: 1,
        state: { servers: [{ id: 'x' }], tasks: [], counters: { server: 1, task: 1, ip: 1, ipCursor: 0 }, random: 1 },
      }),
    ],
  ]
  for (const [label, content] of corrupt) {
    it(`moves ${label} aside and starts empty`, async () => {
      const sub = mkdtempSync(join(dir, 'corrupt-'))
      const file = join(sub, 'state.json')
      writeFileSync(file, content)
      const warnings: string[] = []
      const { fake, client } = await start(file, { onWarning: msg => warnings.push(msg) })
      assert.equal(warnings.length, 1)
      assert.match(warnings[0]!, /fake SolusVM: state file .* is unreadable/)
      const aside = readdirSync(sub).filter(n => n.startsWith('state.json.corrupt-'))
      assert.equal(aside.length, 1)
      assert.equal(readFileSync(join(sub, aside[0]!), 'utf8'), content)
      assert.deepEqual(fake.servers(), [])
      const s = await client.createServer(createInput())
      assert.equal(s.id, 1)
      await fake.close()
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).state.servers.length, 1)
    })
  }
})

function pick(s: SolusServer): Partial<SolusServer> {
  return {
    id: s.id,
    uuid: s.uuid,
    name: s.name,
    description: s.description,
    status: s.status,
    isProcessing: s.isProcessing,
    primaryIp: s.primaryIp,
    planId: s.planId,
  }
}
