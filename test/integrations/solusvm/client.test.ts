import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createInput, startEnv, type Env } from './helpers.ts'

describe('SolusVM adapter against the fake (happy paths)', () => {
  let env: Env
  before(async () => {
    env = await startEnv()
  })
  after(async () => {
    await env.close()
  })

  it('creates a server that starts with a primary IP', async () => {
    const input = createInput({ planId: 2 })
    const created = await env.client.createServer(input)
    assert.equal(created.status, 'processing')
    assert.equal(created.isProcessing, true)
    assert.equal(created.description, input.reference)
    assert.equal(created.name, input.hostname)
    assert.match(created.primaryIp ?? '', /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/)
    const started = await env.client.waitUntilStarted(created.id, 2000)
    assert.equal(started.status, 'started')
    assert.equal(started.isProcessing, false)
    assert.equal(started.primaryIp, created.primaryIp)
    assert.equal(started.planId, 2)
  })

  it('finds a server by reference across pages and returns null for an unknown one', async () => {
    const paged = await startEnv({ perPage: 2 })
    try {
      const inputs = [createInput(), createInput(), createInput(), createInput(), createInput()]
      for (const i of inputs) await paged.client.createServer(i)
      const last = inputs[4]!
      const found = await paged.client.findServerByReference(last.reference)
      assert.equal(found?.description, last.reference)
      assert.equal(found?.name, last.hostname)
      assert.equal(await paged.client.findServerByReference('srv_missing'), null)
    } finally {
      await paged.close()
    }
  })

  it('getServer returns null for an unknown id', async () => {
    assert.equal(await env.client.getServer(99999), null)
  })

  it('resizes a server to another plan', async () => {
    const s = await env.client.createServer(createInput({ planId: 1 }))
    await env.client.waitUntilStarted(s.id, 2000)
    const task = await env.client.resizeServer(s.id, 5)
    assert.equal(task.action, 'vm-resize')
    assert.ok(['pending', 'queued', 'running'].includes(task.status))
    const done = await env.client.waitForTask(task.id, 2000)
    assert.equal(done.status, 'done')
    assert.equal((await env.client.getServer(s.id))?.planId, 5)
    const record = env.fake.servers().find(r => r.id === s.id)
    assert.equal(record?.planId, 5)
  })

  it('suspends and resumes a server', async () => {
    const s = await env.client.createServer(createInput())
    await env.client.waitUntilStarted(s.id, 2000)
    await env.client.waitForTask((await env.client.suspendServer(s.id)).id, 2000)
    assert.equal((await env.client.getServer(s.id))?.isSuspended, true)
    await env.client.waitForTask((await env.client.resumeServer(s.id)).id, 2000)
    assert.equal((await env.client.getServer(s.id))?.isSuspended, false)
  })

  it('adds an IPv4 address (task, then server)', async () => {
    const s = await env.client.createServer(createInput())
    await env.client.waitUntilStarted(s.id, 2000)
    const after = await env.client.addIpv4(s.id)
    assert.equal(after.ipv4.length, 2)
    assert.equal(after.primaryIp, s.primaryIp)
    assert.notEqual(after.ipv4[1], after.ipv4[0])
  })

  it('adds an IPv4 address when SolusVM answers at once', async () => {
    const sync = await startEnv({ ipsImmediate: true })
    try {
      const s = await sync.client.createServer(createInput())
      await sync.client.waitUntilStarted(s.id, 2000)
      assert.equal((await sync.client.addIpv4(s.id)).ipv4.length, 2)
    } finally {
      await sync.close()
    }
  })

  it('deletes a server so that getServer returns null', async () => {
    const s = await env.client.createServer(createInput())
    await env.client.waitUntilStarted(s.id, 2000)
    const task = await env.client.deleteServer(s.id)
    assert.equal(task.action, 'vm-delete')
    await env.client.waitForTask(task.id, 2000)
    assert.equal(await env.client.getServer(s.id), null)
    // A repeated delete (e.g. after a lost answer) is already done.
    assert.equal((await env.client.deleteServer(s.id)).status, 'done')
  })

  it('reads usage for every specification', async () => {
    const s = await env.client.createServer(createInput({ planId: 3 }))
    const cpu = await env.client.usage(s.id, 'cpu')
    assert.equal(cpu.name, 'CPU')
    assert.deepEqual(cpu.interval, { value: 4, measurement: 'second' })
    assert.ok(cpu.items.length > 0)
    assert.deepEqual(Object.keys(cpu.items[0]!).sort(), ['cpu_count', 'cpu_time', 'load_average', 'time'])
    assert.equal(cpu.items[0]!.cpu_count, 2)
    assert.equal((await env.client.usage(s.id, 'memory')).name, 'Memory')
    assert.equal((await env.client.usage(s.id, 'disk')).name, 'Disks')
    assert.equal((await env.client.usage(s.id, 'network')).name, 'Network')
  })

  it('reads usage over the uuid route too', async () => {
    const byUuid = await startEnv({}, { usageRoute: 'uuid' })
    try {
      const s = await byUuid.client.createServer(createInput())
      const mem = await byUuid.client.usage(s.id, 'memory')
      assert.equal(mem.name, 'Memory')
      assert.ok(mem.items.length > 0)
    } finally {
      await byUuid.close()
    }
  })

  it('rejects an action while the server is busy with a retryable error', async () => {
    const slow = await startEnv({ createDelayMs: 2000 })
    try {
      const s = await slow.client.createServer(createInput())
      await assert.rejects(slow.client.suspendServer(s.id), (err: Error & { retryable?: boolean }) => {
        assert.equal(err.retryable, true)
        assert.match(err.message, /HTTP 409.*busy/)
        return true
      })
    } finally {
      await slow.close()
    }
  })

  it('reports a validation error as permanent with the field messages', async () => {
    await assert.rejects(
      env.client.createServer(createInput({ planId: 999 })),
      (err: Error & { retryable?: boolean; code?: string }) => {
        assert.equal(err.retryable, false)
        assert.equal(err.code, 'provider_error')
        assert.match(err.message, /HTTP 422/)
        assert.match(err.message, /plan: The selected plan is invalid/)
        return true
      },
    )
  })
})
