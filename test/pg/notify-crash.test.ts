/**
 * Exactly once across crashes (issue 11, item 4): worker processes are SIGKILLed at random while
 * a stream of events is written. Every event must reach every subscribed endpoint and address;
 * a receiver de-duplicating by webhook-id sees each once, the mail sink (de-duplicating by
 * Message-ID) holds one mail per (event, address), and every delivery ends `delivered`.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { onPostgres, startTestEnv, type TestEnv } from '../helper.ts'
import { startReceiver, webhookHeadersOf, type Receiver } from '../integrations/webhooks/helpers.ts'
import { startFakeSmtp, type FakeSmtpHandle } from '../../src/fakes/smtp/server.ts'
import { recordEvent } from '../../src/domain/events/record-event.ts'
import { waitFor } from '../wait.ts'

const skip = onPostgres ? false : 'worker processes share one database, which only PostgreSQL allows'
const SECRETS_KEY = randomBytes(32).toString('base64')

let env: TestEnv
let receiver: Receiver
let smtp: FakeSmtpHandle
before(async () => {
  if (skip) return
  smtp = await startFakeSmtp()
  env = await startTestEnv({
    seed: false,
    env: {
      SECRETS_KEY,
      SMTP_URL: smtp.url,
      MAIL_FROM_ADDRESS: 'billing@example.net',
      WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8',
      WEBHOOK_ALLOW_HTTP: 'true',
    },
  })
  receiver = await startReceiver()
})
after(async () => {
  if (skip) return
  await receiver.close()
  await env.close()
  await smtp.close()
})

/** A worker process; `ready` resolves once it says its loops run (booting takes seconds here). */
function startWorker(): ChildProcess & { ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    env: {
      ...process.env,
      DATABASE_URL: env.dbHandle.url!,
      SECRETS_KEY,
      FAKE_PROVIDERS: 'true',
      SMTP_URL: smtp.url,
      MAIL_FROM_ADDRESS: 'billing@example.net',
      WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8',
      WEBHOOK_ALLOW_HTTP: 'true',
      JOB_LEASE_MS: '1500',
      NOTIFY_POLL_MS: '20',
      WORKER_POLL_MS: '200',
      WORKER_CONCURRENCY: '4',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const ready = new Promise<void>(resolve => {
    let seen = ''
    child.stdout.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096)
      if (seen.includes('oxbill worker running')) resolve()
    })
    child.once('exit', () => resolve())
  })
  return Object.assign(child, { ready })
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise(resolve => c.once('exit', resolve))

test(
  'SIGKILLs of workers during a stream of events: every endpoint and address gets every event, once by id',
  { skip, timeout: 300_000 },
  async () => {
    const users = await Promise.all([env.user('0.00'), env.user('0.00'), env.user('0.00')])
    const secrets = new Map<string, string>()
    const register = async (key: string, path: string, url: string, events?: string[]) => {
      const res = await env.request({
        url,
        key,
        body: { url: `${receiver.url}/${path}`, ...(events ? { events } : {}) },
      })
      assert.equal(res.statusCode, 201, res.body)
      secrets.set(`/hook/${path}`, res.json<{ secret: string }>().secret)
    }
    const adminUser = await env.user('0.00', true)
    await register(users[0].key, 'a-all', '/API/webhooks')
    await register(users[0].key, 'a-resumed', '/API/webhooks', ['service.resumed'])
    await register(users[1].key, 'b-all', '/API/webhooks')
    await register(adminUser.key, 'operator', '/API/admin/webhooks')

    // The receiver verifies every request with standardwebhooks and answers after a random delay,
    // so kills land before, during and after sends.
    const seen = new Map<string, number>()
    let badSignatures = 0
    receiver.handler = (req, res) => {
      try {
        new Webhook(secrets.get(req.path)!).verify(req.body, webhookHeadersOf(req.headers))
      } catch {
        badSignatures += 1
        return void res.writeHead(401).end()
      }
      const key = `${req.path} ${String(req.headers['webhook-id'])}`
      seen.set(key, (seen.get(key) ?? 0) + 1)
      setTimeout(() => res.writeHead(204).end(), randomInt(50, 400))
    }

    const workers = [startWorker(), startWorker()]
    const stream = { on: true, kills: 0 }
    // The killer strikes while deliveries are being sent (rows `sending`), so kills cut workers
    // between a send and its record; restarted workers get time to boot before the next strike.
    const sending = async () =>
      Number(
        (
          await env.deps.db
            .selectFrom('webhook_deliveries')
            .select(eb => eb.fn.countAll<string>().as('n'))
            .where('state', '=', 'sending')
            .executeTakeFirstOrThrow()
        ).n,
      )
    const killer = (async () => {
      while (stream.on) {
        await Promise.all(workers.map(w => w.ready))
        await new Promise(resolve => setTimeout(resolve, randomInt(100, 400)))
        for (let t = 0; t < 250 && stream.on && (await sending()) === 0; t++) {
          await new Promise(resolve => setTimeout(resolve, 20))
        }
        if (!stream.on) break
        // Both at once: whichever holds the claims dies with them.
        for (const w of workers) w.kill('SIGKILL')
        await Promise.all(workers.map(exited))
        stream.kills += 1
        workers.splice(0, workers.length, startWorker(), startWorker())
      }
    })()

    const written: Array<{ id: string; type: string; userId: string }> = []
    // At least 240 events, then more at a slower pace until the killer has struck three times
    // (workers boot slowly on a loaded machine; two minutes at most).
    const deadline = Date.now() + 120_000
    for (let i = 0; i < 240 || (stream.kills < 3 && Date.now() < deadline); i++) {
      const u = users[i % users.length]!
      const service = { kind: 'server' as const, id: `srv_${i}`, name: `s${i}`, expires_at: '2027-01-01T00:00:00Z' }
      const type = i % 2 === 0 ? 'balance.low' : 'service.resumed'
      const id = await env.deps.db.transaction().execute(trx =>
        type === 'balance.low'
          ? recordEvent(trx, {
              type,
              userId: u.id,
              data: { balance: '0.00', needed: '1.00', service },
              now: new Date(),
            })
          : recordEvent(trx, { type, userId: u.id, data: { service }, now: new Date() }),
      )
      written.push({ id, type, userId: u.id })
      if (i >= 240) await new Promise(resolve => setTimeout(resolve, 200))
      else if (i % 5 === 0) await new Promise(resolve => setTimeout(resolve, 100))
    }
    stream.on = false
    await killer

    try {
      await waitFor(
        async () => {
          const open = await env.deps.db
            .selectFrom('events')
            .select(eb => eb.fn.countAll<string>().as('n'))
            .where('fanned_out', '=', false)
            .executeTakeFirstOrThrow()
          const hooks = await env.deps.db
            .selectFrom('webhook_deliveries')
            .select(eb => eb.fn.countAll<string>().as('n'))
            .where('state', '<>', 'delivered')
            .executeTakeFirstOrThrow()
          const mails = await env.deps.db
            .selectFrom('mail_deliveries')
            .select(eb => eb.fn.countAll<string>().as('n'))
            .where('state', '<>', 'delivered')
            .executeTakeFirstOrThrow()
          return Number(open.n) + Number(hooks.n) + Number(mails.n) === 0
        },
        { timeoutMs: 90_000, intervalMs: 200, what: 'every delivery to be delivered' },
      )
    } catch (err) {
      const states = await env.deps.db
        .selectFrom('webhook_deliveries')
        .select(['state', 'last_error', 'attempts', 'next_attempt_at'])
        .where('state', '<>', 'delivered')
        .limit(5)
        .execute()
      const mails = await env.deps.db
        .selectFrom('mail_deliveries')
        .select(['state', 'last_error', 'attempts', 'next_attempt_at'])
        .where('state', '<>', 'delivered')
        .limit(5)
        .execute()
      throw new Error(`${(err as Error).message}: ${JSON.stringify({ states, mails })}`)
    } finally {
      for (const w of workers) w.kill('SIGTERM')
      await Promise.all(workers.map(exited))
    }

    // Expected: (endpoint, event) for each subscription; the events between the writes' own
    // (the registrations wrote none) are exactly `written`.
    const expected = new Set<string>()
    for (const e of written) {
      if (e.userId === users[0].id) {
        expected.add(`/hook/a-all ${e.id}`)
        if (e.type === 'service.resumed') expected.add(`/hook/a-resumed ${e.id}`)
      }
      if (e.userId === users[1].id) expected.add(`/hook/b-all ${e.id}`)
      expected.add(`/hook/operator ${e.id}`)
    }
    assert.equal(badSignatures, 0)
    assert.deepEqual([...seen.keys()].sort(), [...expected].sort(), 'every (endpoint, event), nothing else')
    const copies = [...seen.values()].reduce((a, b) => a + b, 0) - seen.size
    assert.ok(stream.kills >= 2, `only ${stream.kills} kills`)
    // Receivers answer in 0.05–0.4 s, so some kills land between a send and its record: those
    // deliveries were sent again, with the same id (which is why they count once above).
    assert.ok(copies > 0, 'some kill landed mid-send (else this test proves less than it says)')

    // Mail: one per (event, customer address), recorded once by Message-ID.
    const byMessageId = new Map(smtp.listMessages().map(m => [m.message_id!, m]))
    const rows = await env.deps.db.selectFrom('mail_deliveries').select(['message_id', 'event_id']).execute()
    assert.equal(rows.length, written.length)
    assert.deepEqual(new Set(rows.map(r => r.event_id)), new Set(written.map(w => w.id)))
    assert.equal(byMessageId.size, written.length, 'one mail per event')
    for (const r of rows) assert.ok(byMessageId.has(r.message_id), `mail ${r.message_id} arrived`)
    const mailCopies = smtp.duplicateCount()
    process.stdout.write(
      `# ${stream.kills} SIGKILLs; ${seen.size} webhook deliveries (${copies} re-sent copies, dropped by id); ${byMessageId.size} mails (${mailCopies} copies, dropped by Message-ID)\n`,
    )
  },
)
