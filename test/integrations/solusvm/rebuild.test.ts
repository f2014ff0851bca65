import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createSolusVmClient, consoleUrl } from '../../../src/integrations/solusvm/client.ts'
import { resetPasswordOf, vncPassword, vncUrl } from '../../../src/integrations/solusvm/map.ts'
import { startFakeSolusVm, type FakeSolusVmHandle } from '../../../src/fakes/solusvm/server.ts'
import { passwordDigest, VNC_TTL_MS } from '../../../src/fakes/solusvm/state.ts'
import type { SolusVmApi } from '../../../src/integrations/solusvm/types.ts'
import { AppError } from '../../../src/lib/errors.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { TOKEN, createInput } from './helpers.ts'

// The rebuild calls of the real adapter against the fake, on a manual clock: tasks finish and
// console links expire when the test says so.
describe('SolusVM adapter: reinstall, reset password, console, boot mode', () => {
  let fake: FakeSolusVmHandle
  let client: SolusVmApi
  let now = Date.parse('2030-06-01T00:00:00Z')
  const advance = (ms: number): void => {
    now += ms
  }
  let vmId: number

  before(async () => {
    fake = await startFakeSolusVm({ token: TOKEN, createDelayMs: 100, taskDelayMs: 100, clock: () => now })
    client = createSolusVmClient({
      baseUrl: fake.url,
      token: TOKEN,
      retries: 0,
      backoffMs: 1,
      pollIntervalMs: 5,
      logger: silentLogger,
    })
    vmId = (await client.createServer(createInput({ password: 'First-Pa55word' }))).id
    advance(101)
    assert.equal((await client.getServer(vmId))?.status, 'started')
  })
  after(async () => {
    await fake.close()
  })
  const vm = () => fake.servers().find(s => s.id === vmId)!

  it('opens a console link that the master accepts until it expires 5 minutes later', async () => {
    const c = await client.openConsole(vmId)
    assert.equal(c.password, vm().vncPassword)
    const url = new URL(c.url)
    assert.equal(`${url.protocol}//${url.host}${url.pathname}`, `ws://${new URL(fake.url).host}/vnc`)
    url.protocol = 'http:'
    assert.equal((await fetch(url)).status, 200)
    advance(VNC_TTL_MS - 1)
    assert.equal((await fetch(url)).status, 200, 'still valid just before the end')
    advance(2)
    assert.equal((await fetch(url)).status, 403, 'expired')
    const fresh = new URL((await client.openConsole(vmId)).url)
    assert.notEqual(fresh.searchParams.get('url'), url.searchParams.get('url'), 'minted per request')
  })

  it('reinstalls as a task: busy meanwhile (409, retryable), then the new image and password', async () => {
    const task = await client.reinstallServer(vmId, { osVersionId: 13, password: 'Second-Pa55word' })
    assert.equal(task.action, 'vm-reinstall')
    assert.equal((await client.getServer(vmId))?.status, 'processing')
    await assert.rejects(client.restartServer(vmId), (e: AppError) => e.retryable && /busy/.test(e.message))
    await assert.rejects(client.openConsole(vmId), (e: AppError) => e instanceof AppError)
    assert.equal(vm().osVersionId, 6, 'nothing changes before the task is done')
    advance(101)
    assert.equal((await client.waitForTask(task.id, 1000)).status, 'done')
    assert.equal(vm().osVersionId, 13)
    assert.equal(vm().passwordSha256, passwordDigest('Second-Pa55word'))
    await assert.rejects(client.reinstallServer(vmId, { osVersionId: 999_999, password: 'x-Pa55word' }), /os/)
  })

  it('resets the password: answered at once by default, a task in e-mail mode', async () => {
    const answered = await client.resetPassword(vmId)
    assert.equal(answered.task, null)
    assert.ok(answered.password !== null && answered.password.length >= 8)
    assert.equal(vm().passwordSha256, passwordDigest(answered.password))
    fake.setResetPasswordMode('email')
    const mailed = await client.resetPassword(vmId)
    assert.equal(mailed.password, null)
    assert.equal(mailed.task?.action, 'vm-password-change')
    const before = vm().passwordSha256
    advance(101)
    await client.waitForTask(mailed.task.id, 1000)
    assert.notEqual(vm().passwordSha256, before)
    fake.setResetPasswordMode('password')
  })

  it('sets the boot mode, which GET servers/{id} reports', async () => {
    assert.equal((await client.setBootMode(vmId, 'rescue')).bootMode, 'rescue')
    assert.equal((await client.getServer(vmId))?.bootMode, 'rescue')
    assert.equal((await client.setBootMode(vmId, 'disk')).bootMode, 'disk')
  })

  it('refuses a console for a stopped VM (a permanent error)', async () => {
    const stop = await client.stopServer(vmId)
    advance(101)
    await client.waitForTask(stop.id, 1000)
    await assert.rejects(client.openConsole(vmId), (e: AppError) => !e.retryable && /not running/.test(e.message))
  })
})

describe('SolusVM mapping of the rebuild answers', () => {
  it('reads the VNC password from either settings shape', () => {
    assert.equal(vncPassword({ data: { settings: { vnc_password: 'a1' } } }), 'a1')
    assert.equal(vncPassword({ data: { settings: { vnc: { password: 'b2' } } } }), 'b2')
    assert.equal(vncPassword({ data: { settings: {} } }), null)
    assert.equal(vncPassword({ data: {} }), null)
  })
  it('reads the console token top-level or in data, and builds the websocket URL', () => {
    assert.equal(vncUrl({ url: 't1' }), 't1')
    assert.equal(vncUrl({ data: { url: 't2' } }), 't2')
    assert.equal(vncUrl({ data: {} }), null)
    assert.equal(consoleUrl('https://solus.example.com/api/v1', 'a b'), 'wss://solus.example.com/vnc?url=a%20b')
    assert.equal(consoleUrl('http://127.0.0.1:9000/api/v1', 'tok'), 'ws://127.0.0.1:9000/vnc?url=tok')
    assert.equal(consoleUrl('https://x.test/api/v1', 'wss://vnc.x.test/abc'), 'wss://vnc.x.test/abc')
  })
  it('reads a reset password only when one came', () => {
    assert.equal(resetPasswordOf({ data: { password: 'p' } }), 'p')
    assert.equal(resetPasswordOf({ data: { id: 3, action: 'vm-password-change', status: 'pending' } }), null)
    assert.equal(resetPasswordOf({ data: { password: '' } }), null)
  })
})
