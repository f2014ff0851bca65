import type { Config } from './config.ts'
import type { Db } from './db/connect.ts'
import type { Logger } from './lib/logger.ts'
import type { SecretBox } from './lib/secret-box.ts'
import type { Clock } from './lib/clock.ts'
import type { JobQueue } from './outbox/types.ts'
import type { SolusVmApi } from './integrations/solusvm/types.ts'
import type { PleskApi } from './integrations/plesk/types.ts'
import type { DemoWallet, OxaPayApi } from './integrations/oxapay/types.ts'

export { systemClock, wallClock, type Clock } from './lib/clock.ts'

/** Everything a use-case may need, built once in the composition root (`app/build.ts`). */
export interface Deps {
  config: Readonly<Config>
  db: Db
  dbKind: 'pglite' | 'postgres'
  logger: Logger
  clock: Clock
  secretBox: SecretBox
  runner: JobQueue
  solusvm: SolusVmApi
  plesk: PleskApi
  oxapay: OxaPayApi
  /** Zero-setup mode only: pays invoices from the fake OxaPay's wallet (checkout page's button). */
  demoWallet?: DemoWallet
  /** Base URL OxaPay calls back: PUBLIC_URL, else the address this server listens on. */
  publicUrl(): string
}
