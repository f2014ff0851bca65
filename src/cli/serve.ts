import { join } from 'node:path'
import { assertRunnable, ConfigError, loadConfig, type Config } from '../config.ts'
import { checkMailTemplates } from '../domain/notifications/render-mail.ts'
import { mailOperator } from '../domain/notifications/send-mail.ts'
import { SAMPLE_CONTEXTS, SAMPLE_CONTEXTS_SPARSE } from '../domain/notifications/sample-contexts.ts'
import { redactSmtpUrl } from '../integrations/mail/mailer.ts'
import { createLogger } from '../lib/logger.ts'
import { buildOxbill, type Built } from '../app/build.ts'
import { seedDemo, DEMO_API_KEY, DEMO_USER_ID } from '../seed/seed-demo.ts'
import { ensureDemoPassword } from '../seed/demo-password.ts'

function onSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise(resolve => {
    let stopping = false
    const handler = () => {
      if (stopping) return
      stopping = true
      void stop().finally(resolve)
    }
    process.once('SIGINT', handler)
    process.once('SIGTERM', handler)
  })
}

/**
 * MAIL_TEMPLATES_DIR, checked before anything starts: every mail rendered through it with the
 * sample events (their optional parts filled, then empty), so a typo is a start-up error, not a
 * failed mail hours later. Throws a ConfigError listing every problem.
 */
export function assertMailTemplates(config: Readonly<Config>): void {
  const overrideDir = config.mail.templatesDir
  if (overrideDir === undefined) return
  // The operator exactly as the sender names it, so the check renders what will be sent.
  const opts = { overrideDir, operator: mailOperator(config) }
  const problems = [
    ...new Set([...checkMailTemplates(opts, SAMPLE_CONTEXTS), ...checkMailTemplates(opts, SAMPLE_CONTEXTS_SPARSE)]),
  ]
  if (problems.length > 0) {
    throw new ConfigError(
      `MAIL_TEMPLATES_DIR (${overrideDir}) has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map(p => `  - ${p}`).join('\n')}`,
    )
  }
}

async function start(
  argv: string[],
  withHttp: boolean,
): Promise<{ built: Built; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig(argv)
  assertRunnable(config)
  assertMailTemplates(config)
  const logger = createLogger(config.logLevel)
  const stateDir =
    config.databaseUrl === undefined && !config.dataDir.startsWith('memory://')
      ? join(config.dataDir, 'fakes')
      : undefined
  const built = await buildOxbill(config, { logger, fakeTuning: { stateDir } })
  if (withHttp && config.seedDemo) {
    if (await seedDemo(built.deps.db, built.deps.secretBox)) {
      logger.info('demo data seeded')
      await built.runner.drain()
    }
  }
  return { built, config }
}

/** `oxbill serve` (npm start): the API, with the worker in-process unless --no-worker. */
export async function serve(argv: string[]): Promise<number> {
  const { built, config } = await start(argv, true)
  // Zero-setup mode (no DATABASE_URL): the demo customer can sign in to the portal too.
  const demoLogin =
    config.seedDemo && config.databaseUrl === undefined ? await ensureDemoPassword(built.deps.db, config.dataDir) : null
  await built.app.listen({ host: config.host, port: config.port })
  if (config.inProcessWorker) {
    built.runner.start()
    built.notifier.start()
  }
  const address = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`
  const lines = [
    `oxbill listening on ${address} (database: ${built.deps.dbKind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
  ]
  if (Object.keys(built.providers.fakes).length > 0) {
    lines.push(
      `fake providers on loopback: ${Object.entries(built.providers.fakes)
        .map(([k, v]) => `${k} ${v.url}`)
        .join(', ')}`,
    )
  }
  if (built.providers.fakes.smtp) {
    const kept = config.dataDir.startsWith('memory://') ? 'in memory' : `in ${join(config.dataDir, 'mail')}`
    lines.push(`mail is not delivered but kept ${kept}: npx oxbill mail, or ${address}/dev/mail`)
  } else if (config.mail.smtpUrl !== undefined) {
    lines.push(`mail via ${redactSmtpUrl(config.mail.smtpUrl)}`)
  } else {
    lines.push('no mail is sent (SMTP_URL is not set)')
  }
  if (built.providers.fakes.oxapay) {
    lines.push('crypto orders (type_payment "crypto"): pay an invoice with curl -X POST "<payment_url>"')
  }
  if (config.seedDemo) {
    lines.push(`demo user: ${DEMO_USER_ID}`, `demo API key: ${DEMO_API_KEY} (accepted from loopback only)`)
  }
  if (demoLogin) lines.push(`demo customer: ${demoLogin.email} / ${demoLogin.password}`)
  process.stdout.write(`${lines.join('\n')}\n`)
  await onSignal(() => built.close())
  return 0
}

/** `oxbill worker`: runs jobs only; any number of workers may share one PostgreSQL. */
export async function worker(argv: string[]): Promise<number> {
  const { built } = await start(argv, false)
  built.runner.start()
  built.notifier.start()
  built.deps.logger.info('worker started')
  // Like serve's banner: one line on stdout once the loops run (scripts and tests wait for it).
  process.stdout.write(`oxbill worker running (pid ${process.pid}): jobs and notifications\n`)
  await onSignal(() => built.close())
  return 0
}
