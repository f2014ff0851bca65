import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { systemClock, type Clock, type Deps } from '../deps.ts'
import { connectDb, type DbHandle } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import type { Logger } from '../lib/logger.ts'
import { createSecretBox } from '../lib/secret-box.ts'
import { JobRunner } from '../jobs/runner.ts'
import { Notifier } from '../jobs/notifier.ts'
import { notifySettings, type NotifySettings } from '../domain/notifications/notify-deps.ts'
import { jobDefinitions } from '../jobs/catalog.ts'
import { JobKind } from '../outbox/kinds.ts'
import { buildHttpApp } from '../http/app.ts'
import { startProviders, type FakeTuning, type Providers } from './providers.ts'
import { resolveSecretsKey } from './secrets-key.ts'
import { createAddressPolicy } from '../integrations/webhooks/address-policy.ts'

export interface BuildOptions {
  logger: Logger
  clock?: Clock
  /** An already open database (tests share one PGlite per file). */
  db?: DbHandle
  fakeTuning?: FakeTuning
  /** Time of the HTTP rate-limit windows (default wall time), so tests step past a window. */
  rateLimitClock?: Clock
  runnerTuning?: {
    leaseMs?: number
    backoffBaseMs?: number
    backoffCapMs?: number
    startTimeoutMs?: number
    taskTimeoutMs?: number
  }
  /** Lease, batch sizes and jitter of the notification worker (tests). */
  notifyTuning?: Partial<NotifySettings>
}

export interface Built {
  deps: Deps
  /** The worker itself (start, drain, stop); use-cases see it only as `deps.runner`, a JobQueue. */
  runner: JobRunner
  /** The notification worker (events → webhooks and mail); started beside the job runner. */
  notifier: Notifier
  app: FastifyInstance
  providers: Providers
  close(): Promise<void>
}

/** The composition root: database, providers, job runner, HTTP app. Nothing is wired anywhere else. */
export async function buildOxbill(config: Readonly<Config>, opts: BuildOptions): Promise<Built> {
  const handle =
    opts.db ??
    (await connectDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
      onIdleError: err =>
        opts.logger.warn({ error: err.message }, 'an idle database connection failed; the pool replaces it'),
    }))
  // Started fakes listen on ports: a build that fails after them closes them too.
  let started: Providers | undefined
  try {
    await migrateToLatest(handle.db)
    const providers = await startProviders(config, opts.logger, opts.fakeTuning)
    started = providers
    const secretBox = createSecretBox(resolveSecretsKey(config.secretsKey, config.dataDir))
    const clock = opts.clock ?? systemClock
    const runner = new JobRunner({
      db: handle.db,
      definitions: jobDefinitions(
        {
          db: handle.db,
          solusvm: providers.solusvm,
          plesk: providers.plesk,
          oxapay: providers.oxapay,
          logger: opts.logger,
          clock,
          config,
          ...(providers.mailer ? { mailer: providers.mailer } : {}),
        },
        {
          startTimeoutMs: opts.runnerTuning?.startTimeoutMs ?? 600_000,
          taskTimeoutMs: opts.runnerTuning?.taskTimeoutMs ?? 600_000,
        },
      ),
      secretBox,
      logger: opts.logger.child({ component: 'worker' }),
      pollMs: config.workerPollMs,
      leaseMs: opts.runnerTuning?.leaseMs ?? config.jobLeaseMs,
      concurrency: config.workerConcurrency,
      backoffBaseMs: opts.runnerTuning?.backoffBaseMs,
      backoffCapMs: opts.runnerTuning?.backoffCapMs,
      schedules: [
        { kind: JobKind.paymentsReconcile, everyMs: config.reconcileIntervalMs },
        { kind: JobKind.servicesLifecycle, everyMs: config.lifecycleIntervalMs },
      ],
    })
    // The callback URL is resolved when an invoice is created: PUBLIC_URL, else the address the
    // server actually listens on (port 0 included), else HOST:PORT from the configuration.
    const listening: { app?: FastifyInstance } = {}
    const publicUrl = (): string =>
      config.publicUrl ?? listeningUrl(listening.app) ?? `http://${urlHost(config.host)}:${config.port}`
    const deps: Deps = {
      config,
      db: handle.db,
      dbKind: handle.kind,
      logger: opts.logger,
      clock,
      secretBox,
      runner,
      solusvm: providers.solusvm,
      plesk: providers.plesk,
      oxapay: providers.oxapay,
      ...(providers.demoWallet ? { demoWallet: providers.demoWallet } : {}),
      publicUrl,
      ...(providers.mailer ? { mailer: providers.mailer } : {}),
      webhookPolicy: {
        addresses: createAddressPolicy({ allow: config.webhooks.allowCidrs }),
        allowHttp: config.webhooks.allowHttp,
      },
      ...(providers.fakes.smtp ? { devMail: providers.fakes.smtp } : {}),
    }
    const notifier = new Notifier(deps, notifySettings(deps, opts.notifyTuning), config.notifyPollMs)
    const httpApp = await buildHttpApp(deps, { rateLimitClock: opts.rateLimitClock, solusvmUrl: providers.solusvmUrl })
    listening.app = httpApp
    return {
      deps,
      runner,
      notifier,
      app: httpApp,
      providers,
      close: async () => {
        await httpApp.close()
        await runner.stop()
        await notifier.stop()
        await providers.close()
        if (!opts.db) await handle.close()
      },
    }
  } catch (err) {
    await started?.close().catch(() => {})
    if (!opts.db) await handle.close()
    throw err
  }
}

/** A wildcard listen address is reached on loopback; IPv6 literals need brackets in a URL. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

function listeningUrl(app: FastifyInstance | undefined): string | undefined {
  const addr = app?.server.listening ? app.server.address() : null
  if (addr === null || addr === undefined || typeof addr === 'string') return undefined
  return `http://${urlHost(addr.address)}:${addr.port}`
}
