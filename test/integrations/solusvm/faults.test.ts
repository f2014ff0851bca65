import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { AppError } from '../../../src/lib/errors.ts'
import { createSolusVmClient } from '../../../src/integrations/solusvm/client.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { createInput, memoryLogger, startEnv, TOKEN, type Env } from './helpers.ts'

const isRetryable = (err: unknown): boolean => (err as AppError).retryable === true
const expectError =
  (check: (err: AppError) => void) =>
  (err: unknown): boolean => {
    check(err as AppError)
    return true
  }

describe('SolusVM adapter against injected faults', () => {
  let env: Env
  before(async () => {
    env = await startEnv()
  })
  after(async () => {
    await env.close()
  })

  it('retries a GET answered 500 and succeeds', async () => {
    const s = await env.client.createServer(createInput())
    env.fake.injectFault({ method: 'GET', path: `/servers/${s.id}`, fault: 'http500', times: 2 })
    assert.equal((await env.client.getServer(s.id))?.id, s.id)
  })

  it('retries a GET whose socket is dropped and succeeds', async () => {
    const s = await env.client.createServer(createInput())
    env.fake.injectFault({ method: 'GET', path: new RegExp(`^/servers/${s.id}$`), fault: 'drop' })
    assert.equal((await env.client.getServer(s.id))?.id, s.id)
  })

  it('does not resend a create answered 500, so no duplicate appears', async () => {
    const input = createInput()
    env.fake.injectFault({ method: 'POST', path: '/servers', fault: 'http500' })
    await assert.rejects(
      env.client.createServer(input),
      expectError(err => {
        assert.equal(err.retryable, true)
        assert.equal(err.code, 'provider_unavailable')
      }),
    )
    assert.equal(env.fake.servers().filter(s => s.description === input.reference).length, 0)
    // The caller's retry: look up first, then create once.
    assert.equal(await env.client.findServerByReference(input.reference), null)
    await env.client.createServer(input)
    assert.equal(env.fake.servers().filter(s => s.description === input.reference).length, 1)
  })

  it('a create whose response is lost throws retryable, and the lookup finds the one server', async () => {
    const input = createInput()
    env.fake.injectFault({ method: 'POST', path: '/api/v1/servers', fault: 'lose-response' })
    await assert.rejects(env.client.createServer(input), isRetryable)
    const found = await env.client.findServerByReference(input.reference)
    assert.ok(found)
    assert.equal(found.description, input.reference)
    assert.equal(env.fake.servers().filter(s => s.description === input.reference).length, 1)
    assert.equal((await env.client.waitUntilStarted(found.id, 2000)).status, 'started')
  })

  it('reports a name conflict as a permanent error', async () => {
    env.fake.injectFault({ method: 'POST', path: '/servers', fault: 'exists' })
    await assert.rejects(
      env.client.createServer(createInput()),
      expectError(err => {
        assert.equal(err.retryable, false)
        assert.match(err.message, /already been taken/)
      }),
    )
  })

  it('a failed task is a permanent error carrying the task output', async () => {
    const s = await env.client.createServer(createInput({ planId: 1 }))
    await env.client.waitUntilStarted(s.id, 2000)
    env.fake.injectFault({ method: 'POST', path: /\/resize$/, fault: 'task-fail' })
    const task = await env.client.resizeServer(s.id, 4)
    await assert.rejects(
      env.client.waitForTask(task.id, 2000),
      expectError(err => {
        assert.equal(err.retryable, false)
        assert.match(err.message, /ended failed/)
        assert.match(err.message, /simulated failure/)
      }),
    )
    assert.equal((await env.client.getServer(s.id))?.planId, 1)
  })

  it('a server that finishes provisioning stopped is a permanent error with the create output', async () => {
    env.fake.injectFault({ fault: 'start-fail' })
    const s = await env.client.createServer(createInput())
    await assert.rejects(
      env.client.waitUntilStarted(s.id, 2000),
      expectError(err => {
        assert.equal(err.retryable, false)
        assert.match(err.message, /as stopped/)
        assert.match(err.message, /simulated start failure/)
      }),
    )
  })

  it('a bad token is permanent and the message never shows a token or password', async () => {
    const wrong = 'wrong-token-0a9d8c7b'
    const client = createSolusVmClient({
      baseUrl: env.fake.url,
      token: wrong,
      pollIntervalMs: 10,
      backoffMs: 5,
      logger: silentLogger,
    })
    const input = createInput()
    for (const call of [
      () => client.getServer(1),
      () => client.createServer(input),
      () => client.findServerByReference('x'),
    ]) {
      await assert.rejects(
        call(),
        expectError(err => {
          assert.equal(err.retryable, false)
          assert.equal(err.code, 'provider_error')
          assert.match(err.message, /SolusVM rejected the API token \(HTTP 401\)/)
          for (const secret of [wrong, TOKEN, input.password]) assert.ok(!err.message.includes(secret))
          assert.ok(!JSON.stringify(err.details).includes(wrong))
        }),
      )
    }
  })

  // The fault holds the request forever: without the client's timeout the test times out instead.
  it('a request that is never answered times out as retryable', { timeout: 10_000 }, async () => {
    const quick = createSolusVmClient({
      baseUrl: env.fake.url,
      token: TOKEN,
      timeoutMs: 100,
      retries: 0,
      logger: silentLogger,
    })
    env.fake.injectFault({ method: 'GET', path: '/servers/1', fault: 'timeout' })
    await assert.rejects(
      quick.getServer(1),
      expectError(err => {
        assert.equal(err.retryable, true)
        assert.match(err.message, /timed out/)
      }),
    )
  })

  it('waiting past the deadline is retryable (server and task)', async () => {
    const slow = await startEnv({ createDelayMs: 5000, taskDelayMs: 5000 })
    try {
      const s = await slow.client.createServer(createInput())
      await assert.rejects(
        slow.client.waitUntilStarted(s.id, 60),
        expectError(err => {
          assert.equal(err.retryable, true)
          assert.match(err.message, /still processing after 60 ms/)
        }),
      )
      const busyTask = slow.fake.tasks().find(t => t.serverId === s.id)
      assert.ok(busyTask)
      await assert.rejects(slow.client.waitForTask(busyTask.id, 40), isRetryable)
    } finally {
      await slow.close()
    }
  })

  it('no log line of a create (ok, rejected, or unauthenticated) holds the password or the token', async () => {
    const { logger, lines } = memoryLogger()
    const client = createSolusVmClient({
      baseUrl: env.fake.url,
      token: TOKEN,
      pollIntervalMs: 10,
      backoffMs: 5,
      logger,
    })
    const input = createInput({ password: 'Very-Secret-Root-Pw-42' })
    const s = await client.createServer(input)
    await client.waitUntilStarted(s.id, 2000)
    await assert.rejects(client.createServer({ ...input, planId: 999 }))
    env.fake.injectFault({ method: 'POST', path: '/servers', fault: 'lose-response' })
    await assert.rejects(client.createServer(input))
    const bad = createSolusVmClient({ baseUrl: env.fake.url, token: 'bad-token-xyz-123', logger })
    await assert.rejects(bad.createServer(input))
    assert.ok(lines.length >= 4, 'the adapter logged something')
    assert.ok(lines.some(l => l.includes('solusvm create server')))
    for (const line of lines) {
      for (const secret of [input.password, TOKEN, 'bad-token-xyz-123']) {
        assert.ok(!line.includes(secret), `leak in: ${line}`)
      }
    }
  })

  it('survives random 500s and drops on reads with retries', async () => {
    const flaky = await startEnv({ failRate: 0.3, dropRate: 0.1, seed: 7 }, { retries: 8 })
    try {
      for (let i = 0; i < 10; i++) await flaky.client.findServerByReference('srv_none')
    } finally {
      await flaky.close()
    }
  })
})
