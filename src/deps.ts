import type { Config } from './config.ts'
import type { Db } from './db/connect.ts'
import type { Logger } from './lib/logger.ts'
import type { SecretBox } from './lib/secret-box.ts'
import type { JobRunner } from './jobs/runner.ts'
import type { SolusVmApi } from './integrations/solusvm/types.ts'
import type { PleskApi } from './integrations/plesk/types.ts'
import type { OxaPayApi } from './integrations/oxapay/types.ts'

/** The clock every business rule reads (proration, expiry), so tests can fix "now". */
export interface Clock {
  now(): Date
}
export const systemClock: Clock = { now: () => new Date() }
/**
 * Infrastructure time: job leases, heartbeats and retry backoff, idempotency and invoice-claim
 * leases, cache TTLs, polling order. These compare against the database's `now()` or against
 * other processes, so they stay on wall time even when a test moves the business clock.
 */
export const wallClock: Clock = systemClock

/** Everything a use-case may need, built once in the composition root (`app/build.ts`). */
export interface Deps {
  config: Readonly<Config>
  db: Db
  dbKind: 'pglite' | 'postgres'
  logger: Logger
  clock: Clock
  secretBox: SecretBox
  runner: JobRunner
  solusvm: SolusVmApi
  plesk: PleskApi
  oxapay: OxaPayApi
  /** Base URL OxaPay calls back: PUBLIC_URL, else the address this server listens on. */
  publicUrl(): string
}
