import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { LightMyRequestResponse } from 'fastify'
import { loadConfig, type Config } from '../src/config.ts'
import { buildOxbill, type Built } from '../src/app/build.ts'
import { connectDb, type DbHandle } from '../src/db/connect.ts'
import { silentLogger } from '../src/lib/logger.ts'
import { seedDemo } from '../src/seed/seed-demo.ts'
import { parseAmount } from '../src/lib/money.ts'
import { credit } from '../src/domain/billing/ledger.ts'
import { issueApiKey } from '../src/domain/auth/api-keys.ts'
import { newUuid } from '../src/lib/ids.ts'
import type { Clock } from '../src/deps.ts'
import { waitFor } from './wait.ts'

export const onPostgres = process.env.OXBILL_TEST_DB === 'postgres'
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** A fresh database: PGlite in memory, or a new PostgreSQL database that `drop()` removes. */
export async function freshDb(): Promise<DbHandle & { drop(): Promise<void>; url?: string }> {
  if (!onPostgres) {
    const h = await connectDb({ dataDir: 'memory://' })
    return { ...h, drop: () => h.close() }
  }
  const name = `oxbill_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const h = await connectDb({ databaseUrl: url.toString(), dataDir: 'memory://', poolSize: 20 })
  return {
    ...h,
    url: url.toString(),
    drop: async () => {
      await h.close()
      const a = new pg.Client({ connectionString: ADMIN_URL })
      await a.connect()
      // pg-pool's end() resolves before its clients have finished disconnecting; a FORCE drop that
      // kills one of them makes it emit an unhandled 'error'. Wait (briefly) until they are gone.
      // A straggler past the wait is dropped by FORCE anyway, so a timeout here is not a failure.
      await waitFor(
        async () => {
          const { rows } = await a.query<{ n: string }>(
            'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          )
          return rows[0]!.n === '0'
        },
        { timeoutMs: 1000, intervalMs: 20, what: 'the pool to disconnect' },
      ).catch(() => {})
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(public current: Date | null = null) {}
  now(): Date {
    return this.current ?? new Date()
  }
}

/** Wall time that tests can step forward: time keeps flowing, and a step skips ahead at once. */
export class SteppedClock implements Clock {
  private offsetMs = 0
  now(): Date {
    return new Date(Date.now() + this.offsetMs)
  }
  advance(ms: number): void {
    this.offsetMs += ms
  }
}

export interface TestEnv extends Built {
  config: Readonly<Config>
  clock: TestClock
  /** Time of the rate-limit windows: `advance(1000)` starts a new window. */
  rateLimitClock: SteppedClock
  dbHandle: Awaited<ReturnType<typeof freshDb>>
  /** `remoteAddress` is the client's address as the server sees it (default 127.0.0.1, loopback). */
  request(opts: {
    method?: string
    url: string
    body?: unknown
    key?: string
    headers?: Record<string, string>
    rawBody?: string
    remoteAddress?: string
  }): Promise<LightMyRequestResponse>
  /** Runs due jobs until the order leaves `processing` (jobs retried with a backoff are not due at once). */
  settle(orderId: string): Promise<string>
  /** A new user with `balance` and an API key (admin when asked). */
  user(balance?: string, admin?: boolean): Promise<{ id: string; key: string; keyId: string }>
  close(): Promise<void>
}

/**
 * One oxbill per test file (a PGlite costs seconds), with fast fake providers and demo data.
 * `listen: true` also binds the app to a loopback port, so the fake OxaPay's callbacks reach it
 * (the callback URL follows the listen address when PUBLIC_URL is unset).
 */
export async function startTestEnv(
  opts: { env?: Record<string, string>; seed?: boolean; listen?: boolean } = {},
): Promise<TestEnv> {
  const dbHandle = await freshDb()
  const config = loadConfig([], {
    DATA_DIR: 'memory://',
    FAKE_PROVIDERS: 'true',
    PROVISION_DEADLINE_MS: '5000',
    JOB_MAX_ATTEMPTS: '3',
    IN_PROCESS_WORKER: 'false',
    RATE_LIMIT_PER_SECOND: '0',
    ...opts.env,
  })
  const clock = new TestClock()
  const rateLimitClock = new SteppedClock()
  const built = await buildOxbill(config, {
    logger: silentLogger,
    clock,
    rateLimitClock,
    db: dbHandle,
    fakeTuning: {
      solusvm: { createDelayMs: 30, taskDelayMs: 20 },
      pollIntervalMs: 10,
      oxapayRetryScheduleMs: [50, 100, 200, 400],
    },
    runnerTuning: { backoffBaseMs: 10, backoffCapMs: 50, startTimeoutMs: 5000, taskTimeoutMs: 5000 },
  })
  if (opts.listen === true) await built.app.listen({ port: 0, host: '127.0.0.1' })
  if (opts.seed !== false) {
    await seedDemo(built.deps.db, built.deps.secretBox)
    await built.runner.drain()
  }
  const env: TestEnv = {
    ...built,
    config,
    clock,
    rateLimitClock,
    dbHandle,
    request: async ({ method = 'POST', url, body, key, headers = {}, rawBody, remoteAddress }) =>
      built.app.inject({
        method: method as 'POST',
        url,
        ...(remoteAddress !== undefined ? { remoteAddress } : {}),
        headers: {
          ...(key !== undefined ? { 'x-api-key': key } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      }),
    settle: async orderId => {
      let status = 'processing'
      await waitFor(
        async () => {
          await built.runner.drain()
          const o = await built.deps.db
            .selectFrom('orders')
            .select('status')
            .where('id', '=', orderId)
            .executeTakeFirstOrThrow()
          status = o.status
          return status !== 'processing'
        },
        { timeoutMs: 10_000, intervalMs: 20, what: `order ${orderId} to leave processing` },
      )
      return status
    },
    user: async (balance = '100.00', admin = false) => {
      const id = newUuid()
      const db = built.deps.db
      await db
        .insertInto('users')
        .values({ id, username: `u-${id.slice(0, 8)}`, email: `${id}@test.invalid` })
        .execute()
      const amount = parseAmount(balance)!
      if (amount > 0n) {
        await db
          .transaction()
          .execute(trx => credit(trx, { userId: id, amount, kind: 'adjustment', reason: 'test funds', actor: 'test' }))
      }
      const k = await issueApiKey(db, { userId: id, scopes: admin ? ['admin'] : [] })
      return { id, key: k.key, keyId: k.id }
    },
    close: async () => {
      await built.close()
      await dbHandle.drop()
    },
  }
  return env
}
