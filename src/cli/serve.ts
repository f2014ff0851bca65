import { join } from 'node:path'
import { assertRunnable, loadConfig } from '../config.ts'
import { createLogger } from '../lib/logger.ts'
import { buildOxbill, type Built } from '../app/build.ts'
import { seedDemo, DEMO_API_KEY, DEMO_USER_ID } from '../seed/seed-demo.ts'

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

async function start(
  argv: string[],
  withHttp: boolean,
): Promise<{ built: Built; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig(argv)
  assertRunnable(config)
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
  await built.app.listen({ host: config.host, port: config.port })
  if (config.inProcessWorker) built.runner.start()
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
  if (built.providers.fakes.oxapay) {
    lines.push('crypto orders (type_payment "crypto"): pay an invoice with curl -X POST "<payment_url>"')
  }
  if (config.seedDemo) {
    lines.push(`demo user: ${DEMO_USER_ID}`, `demo API key: ${DEMO_API_KEY} (accepted from loopback only)`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
  await onSignal(() => built.close())
  return 0
}

/** `oxbill worker`: runs jobs only; any number of workers may share one PostgreSQL. */
export async function worker(argv: string[]): Promise<number> {
  const { built } = await start(argv, false)
  built.runner.start()
  built.deps.logger.info('worker started')
  await onSignal(() => built.close())
  return 0
}
