import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { onPostgres, startTestEnv, type TestEnv } from '../helper.ts'
import { seedCatalog } from '../../src/seed/seed-demo.ts'
import { startFakeSolusVm, type FakeSolusVmHandle } from '../../src/fakes/solusvm/server.ts'
import { fakeSolusCatalog } from '../../src/seed/demo-catalog.ts'
import { assertAuditsClean } from '../audits.ts'
import { waitFor as waitUntil } from '../wait.ts'

// Worker processes share one database, which only PostgreSQL allows.
const skip = onPostgres ? false : 'worker processes need PostgreSQL (runs in the PostgreSQL suite)'
const SECRETS_KEY = randomBytes(32).toString('base64')

let env: TestEnv
before(async () => {
  if (skip) return
  // Deadline 0: the API only writes orders and jobs; the worker processes below run them.
  env = await startTestEnv({ seed: false, env: { PROVISION_DEADLINE_MS: '0', SECRETS_KEY } })
  await seedCatalog(env.deps.db)
})
after(async () => {
  if (!skip) await env.close()
})

function startWorker(fake: FakeSolusVmHandle, token: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    env: {
      ...process.env,
      DATABASE_URL: env.dbHandle.url!,
      SECRETS_KEY,
      SOLUSVM_URL: fake.url,
      SOLUSVM_TOKEN: token,
      FAKE_PROVIDERS: 'true',
      JOB_LEASE_MS: '1500',
      WORKER_POLL_MS: '50',
      WORKER_CONCURRENCY: '8',
      SOLUSVM_POLL_MS: '25',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return child
}

/** The workers are other processes: the database is the only place their progress shows. */
const waitFor = (what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<void> =>
  waitUntil(cond, { what, timeoutMs, intervalMs: 100 })

const stop = async (c: ChildProcess) => {
  if (c.exitCode !== null || c.signalCode !== null) return
  const exited = new Promise(resolve => c.once('exit', resolve))
  c.kill('SIGTERM')
  await exited
}

test(
  'SIGKILL of a worker in the middle of a job: after restart the job completes, one VM, one debit',
  { skip, timeout: 60_000 },
  async () => {
    const token = randomBytes(16).toString('hex')
    const slow = await startFakeSolusVm({ token, catalog: fakeSolusCatalog(), createDelayMs: 4000 })
    try {
      const u = await env.user('50.00')
      const res = await env.request({
        url: '/API/orders/create_order',
        key: u.key,
        body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
      })
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().status, 'processing')
      const orderId = res.json().order_id as string

      const first = startWorker(slow, token)
      await waitFor('the VM to be created at SolusVM', async () => slow.servers().length === 1, 20_000)
      first.kill('SIGKILL')
      await new Promise(resolve => first.once('exit', resolve))
      const job = await env.deps.db
        .selectFrom('jobs')
        .selectAll()
        .where('order_id', '=', orderId)
        .executeTakeFirstOrThrow()
      assert.equal(job.state, 'running', 'the killed worker held the job')

      const second = startWorker(slow, token)
      try {
        await waitFor(
          'the order to complete',
          async () => {
            const o = await env.deps.db
              .selectFrom('orders')
              .select('status')
              .where('id', '=', orderId)
              .executeTakeFirstOrThrow()
            return o.status === 'completed'
          },
          30_000,
        )
      } finally {
        await stop(second)
      }
      assert.equal(slow.servers().length, 1, 'exactly one VM')
      const debits = await env.deps.db
        .selectFrom('ledger_entries')
        .select('delta_cents')
        .where('order_id', '=', orderId)
        .execute()
      assert.deepEqual(
        debits.map(d => d.delta_cents),
        [-1299n],
      )
      const done = await env.deps.db
        .selectFrom('jobs')
        .select(['state', 'attempts'])
        .where('order_id', '=', orderId)
        .executeTakeFirstOrThrow()
      assert.equal(done.state, 'done')
      assert.equal(done.attempts, 2)
    } finally {
      await slow.close()
    }
  },
)

test('two worker processes over 200 orders: every job done exactly once', { skip, timeout: 120_000 }, async () => {
  const token = randomBytes(16).toString('hex')
  const fake = await startFakeSolusVm({ token, catalog: fakeSolusCatalog(), createDelayMs: 20, taskDelayMs: 10 })
  const workers: ChildProcess[] = []
  try {
    const users = await Promise.all(Array.from({ length: 20 }, () => env.user('200.00')))
    const orderIds: string[] = []
    for (let i = 0; i < 200; i++) {
      const u = users[i % users.length]!
      const res = await env.request({
        url: '/API/orders/create_order',
        key: u.key,
        body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: `w${i}` },
      })
      assert.equal(res.statusCode, 200)
      orderIds.push(res.json().order_id)
    }
    workers.push(startWorker(fake, token), startWorker(fake, token))
    await waitFor(
      '200 jobs done',
      async () => {
        const left = await env.deps.db
          .selectFrom('jobs')
          .select(eb => eb.fn.countAll<string>().as('n'))
          .where('order_id', 'in', orderIds)
          .where('state', '!=', 'done')
          .executeTakeFirstOrThrow()
        return Number(left.n) === 0
      },
      100_000,
    )
    const jobs = await env.deps.db
      .selectFrom('jobs')
      .select(['attempts', 'state'])
      .where('order_id', 'in', orderIds)
      .execute()
    assert.equal(jobs.length, 200)
    assert.ok(
      jobs.every(j => j.state === 'done' && j.attempts === 1),
      'each job claimed and run once',
    )
    assert.equal(fake.servers().length, 200, 'one VM per order')
    const completed = await env.deps.db
      .selectFrom('orders')
      .select('id')
      .where('id', 'in', orderIds)
      .where('status', '=', 'completed')
      .execute()
    assert.equal(completed.length, 200)
    await assertAuditsClean(env)
  } finally {
    await Promise.all(workers.map(stop))
    await fake.close()
  }
})
