/**
 * `npm run bench`: order throughput and latency through the real HTTP API on PostgreSQL.
 * A fresh database is created (BENCH_DATABASE_URL, default the local server) and dropped.
 * Orders are new-server orders with PROVISION_DEADLINE_MS=0: the measured path is auth, validation,
 * the order transaction (debit, order, ledger, server, job) and the response — not SolusVM.
 * Afterwards the bank invariant is checked: balance = Σ ledger, one ledger debit and one job per order.
 */
import autocannon from 'autocannon'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { buildOxbill } from '../src/app/build.ts'
import { silentLogger } from '../src/lib/logger.ts'
import { seedCatalog } from '../src/seed/seed-demo.ts'
import { issueApiKey } from '../src/domain/auth/api-keys.ts'
import { credit, auditLedger } from '../src/domain/billing/ledger.ts'
import { newUuid } from '../src/lib/ids.ts'

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const USERS = Number(process.env.BENCH_USERS ?? 1000)

async function main(): Promise<void> {
  const name = `oxbill_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const config = loadConfig([], {
    DATABASE_URL: url.toString(),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    FAKE_PROVIDERS: 'true',
    PROVISION_DEADLINE_MS: '0',
    IN_PROCESS_WORKER: 'false',
    RATE_LIMIT_PER_SECOND: '0',
    LOG_LEVEL: 'silent',
  })
  const built = await buildOxbill(config, { logger: silentLogger })
  try {
    const db = built.deps.db
    await seedCatalog(db)
    const users: Array<{ id: string; key: string }> = []
    for (let i = 0; i < USERS; i++) {
      const id = newUuid()
      await db
        .insertInto('users')
        .values({ id, username: `b${i}`, email: `b${i}@bench.invalid` })
        .execute()
      await db
        .transaction()
        .execute(trx =>
          credit(trx, { userId: id, amount: 100_000_000n, kind: 'opening_balance', reason: 'bench', actor: 'bench' }),
        )
      users.push({ id, key: (await issueApiKey(db, { userId: id })).key })
    }
    await built.app.listen({ host: '127.0.0.1', port: 0 })
    const address = built.app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const request = (u: { id: string; key: string }) => ({
      method: 'POST' as const,
      path: '/API/orders/create_order',
      headers: { 'x-api-key': u.key, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' }),
    })
    const rows: string[] = []
    for (const [label, reqs, connections] of [
      [`uniform (${USERS} customers)`, users.map(request), 16],
      [`uniform (${USERS} customers)`, users.map(request), 64],
      ['hot (1 customer)', [request(users[0]!)], 16],
    ] as const) {
      // The load generator runs in a worker thread, so the API's event loop has the main thread to itself.
      const r = await autocannon({
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: DURATION,
        requests: [...reqs],
        workers: 1,
      })
      const errors = r.non2xx + r.errors + r.timeouts
      rows.push(
        `| ${label} | ${connections} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p97_5} | ${r.latency.p99} | ${r.latency.max} | ${errors} |`,
      )
    }
    // Let the last in-flight requests finish before counting.
    await new Promise(resolve => setTimeout(resolve, 1000))
    const counts = await db
      .selectFrom('orders')
      .select(eb => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    const debits = await db
      .selectFrom('ledger_entries')
      .select(eb => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'order_debit')
      .executeTakeFirstOrThrow()
    const jobs = await db
      .selectFrom('jobs')
      .select(eb => eb.fn.countAll<string>().as('n'))
      .where('order_id', 'is not', null)
      .executeTakeFirstOrThrow()
    const audit = await auditLedger(db)
    console.log(
      `\n| scenario | connections | orders/s | p50 ms | p97.5 ms | p99 ms | max ms | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n${rows.join('\n')}`,
    )
    console.log(
      `\norders ${counts.n}, ledger debits ${debits.n}, jobs ${jobs.n}, audit violations ${audit.violations.length} over ${audit.users} users`,
    )
    if (counts.n !== debits.n || counts.n !== jobs.n || audit.violations.length > 0) process.exitCode = 1
  } finally {
    await built.close()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

await main()
