import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createInput, startEnv, type Env } from './helpers.ts'
import { AppError } from '../../../src/lib/errors.ts'

// The adapter's power calls against the fake SolusVM: the real paths (panel-actions.md §1.1),
// tasks that finish over time, the power state they leave, a busy server and injected failures.

let env: Env
before(async () => {
  env = await startEnv()
})
after(async () => {
  await env.close()
})

async function started(): Promise<number> {
  const s = await env.client.createServer(createInput())
  await env.client.waitUntilStarted(s.id, 5000)
  return s.id
}
const state = (id: number) => env.fake.servers().find(s => s.id === id)!

test('start, stop (forced), shutdown (graceful) and restart: one task each, the power state follows', async () => {
  const id = await started()
  const steps = [
    ['stopServer', 'vm-stop', 'stopped', true],
    ['startServer', 'vm-start', 'started', undefined],
    ['shutdownServer', 'vm-stop', 'stopped', false],
    ['startServer', 'vm-start', 'started', undefined],
    ['restartServer', 'vm-restart', 'started', undefined],
  ] as const
  for (const [method, action, power, forced] of steps) {
    const task = await env.client[method](id)
    assert.equal(task.action, action)
    assert.notEqual(task.status, 'done', 'SolusVM answers before the task ran')
    const done = await env.client.waitForTask(task.id, 5000)
    assert.equal(done.status, 'done')
    assert.equal(state(id).baseStatus, power, method)
    assert.equal((await env.client.getServer(id))!.status, power)
    const effect = env.fake.tasks().find(t => t.id === task.id)!.effect as { forced?: boolean }
    if (forced !== undefined) assert.equal(effect.forced, forced, method)
  }
  const paths = env.fake
    .requests()
    .filter(r => r.method === 'POST' && r.path.startsWith(`/api/v1/servers/${id}/`))
    .map(r => r.path.slice(`/api/v1/servers/${id}/`.length))
  assert.deepEqual(paths, ['stop', 'start', 'stop', 'start', 'restart'])
})

test('a second action while a task runs is refused as busy (retryable); a failed task is permanent', async () => {
  const id = await started()
  // Slow tasks, so the second call surely meets the first one's.
  const slow = await startEnv({ taskDelayMs: 1000 })
  try {
    const vm = await slow.client.createServer(createInput())
    await slow.client.waitUntilStarted(vm.id, 5000)
    const first = await slow.client.restartServer(vm.id)
    await assert.rejects(slow.client.stopServer(vm.id), (e: AppError) => e.retryable && /busy/.test(e.message))
    await slow.client.waitForTask(first.id, 5000)
  } finally {
    await slow.close()
  }
  env.fake.injectFault({ method: 'POST', path: `/servers/${id}/start`, fault: 'task-fail' })
  const failing = await env.client.startServer(id)
  await assert.rejects(
    env.client.waitForTask(failing.id, 5000),
    (e: AppError) => !e.retryable && /vm-start/.test(e.message),
  )
  env.fake.injectFault({ method: 'POST', path: `/servers/${id}/stop`, fault: 'http500' })
  await assert.rejects(env.client.shutdownServer(id), (e: AppError) => e.retryable && /500/.test(e.message))
  assert.equal(
    env.fake.tasks().filter(t => t.serverId === id && t.action === 'vm-stop').length,
    0,
    'a 500 did nothing, and a POST is not resent by the HTTP client',
  )
})

test('the fake refuses a force that is not a boolean, as Laravel would', async () => {
  const id = await started()
  const res = await fetch(`${env.fake.url}/servers/${id}/stop`, {
    method: 'POST',
    headers: { Authorization: 'Bearer test-token-5f2b9c1e7a', 'Content-Type': 'application/json' },
    body: JSON.stringify({ force: 'yes' }),
  })
  assert.equal(res.status, 422)
  assert.deepEqual(((await res.json()) as { errors: unknown }).errors, {
    force: ['The force field must be true or false.'],
  })
})
