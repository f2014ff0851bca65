import type { Config } from './config.ts'
import type { Db } from './db/connect.ts'
import type { Logger } from './lib/logger.ts'
import type { SecretBox } from './lib/secret-box.ts'
import type { Clock } from './lib/clock.ts'
import type { JobQueue } from './outbox/types.ts'
import type { SolusVmApi } from './integrations/solusvm/types.ts'
import type { PleskApi } from './integrations/plesk/types.ts'
import type { DemoWallet, OxaPayApi } from './integrations/oxapay/types.ts'
import type { Mailer } from './integrations/mail/mailer.ts'
import type { WebhookPolicy } from './integrations/webhooks/url-policy.ts'

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
  /** Sends mail (SMTP_URL, or zero-setup's sink); undefined when mail is off. */
  mailer?: Mailer
  /** What webhook URLs may reach (SSRF policy with the operator's allow-list), at registration and at send. */
  webhookPolicy: WebhookPolicy
  /**
   * Zero-setup mode only (no SMTP_URL, fake providers): what the in-process mail sink received,
   * for the loopback-only `/dev/mail` pages. Its list is oldest first; undefined without the sink.
   */
  devMail?: {
    listMessages(): Array<{ id: string; from: string; to: string[]; subject: string; received_at: string }>
    /** `headers` as sent (lower-case names), `subject` and `record.from` decoded, `html` '' when none. */
    readMessage(id: string): Promise<{
      record: { from: string; to: string[]; received_at: string }
      subject: string
      headers: Record<string, string>
      text: string
      html: string
      raw: string
    } | null>
  }
}
