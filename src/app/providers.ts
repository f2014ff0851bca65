import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config.ts'
import type { Logger } from '../lib/logger.ts'
import type { SolusVmApi } from '../integrations/solusvm/types.ts'
import type { PleskApi } from '../integrations/plesk/types.ts'
import type { DemoWallet, OxaPayApi } from '../integrations/oxapay/types.ts'
import { createFakeWalletClient } from '../fakes/oxapay/wallet-client.ts'
import { createSolusVmClient } from '../integrations/solusvm/client.ts'
import { createPleskClient } from '../integrations/plesk/client.ts'
import { createOxaPayClient } from '../integrations/oxapay/client.ts'
import { startFakeSolusVm, type FakeSolusVmHandle, type FakeSolusVmOptions } from '../fakes/solusvm/server.ts'
import { startFakePlesk, type FakePleskHandle } from '../fakes/plesk/server.ts'
import { startFakeOxaPay, type FakeOxaPayHandle } from '../fakes/oxapay/server.ts'
import { startFakeSmtp, type FakeSmtpHandle } from '../fakes/smtp/server.ts'
import { createMailer, type Mailer } from '../integrations/mail/mailer.ts'
import { fakeSolusCatalog } from '../seed/demo-catalog.ts'

export interface Providers {
  solusvm: SolusVmApi
  /** The SolusVM API base the adapter talks to: SOLUSVM_URL, or the in-process fake's. */
  solusvmUrl: string
  plesk: PleskApi
  oxapay: OxaPayApi
  demoWallet?: DemoWallet
  /** The real SMTP adapter, against SMTP_URL or the fake sink; undefined when mail is off. */
  mailer?: Mailer
  /** The in-process fake servers, when configuration asked for them. */
  fakes: {
    solusvm?: FakeSolusVmHandle
    plesk?: FakePleskHandle
    oxapay?: FakeOxaPayHandle
    /** The mail sink (no SMTP_URL, fake providers): keeps mail in `<dataDir>/mail/`, or in memory. */
    smtp?: FakeSmtpHandle
  }
  close(): Promise<void>
}

export interface FakeTuning {
  solusvm?: Partial<FakeSolusVmOptions>
  /** Poll interval of the SolusVM adapter (fast in tests). */
  pollIntervalMs?: number
  oxapayRetryScheduleMs?: number[]
  /** Keep the fakes' state in this directory, so a restart of zero-setup mode finds its VMs again. */
  stateDir?: string
}

/**
 * Builds the REAL adapters. A provider without a URL gets a fake server started on a loopback
 * port (zero-setup mode and tests), so the same HTTP code path runs everywhere.
 */
export async function startProviders(
  config: Readonly<Config>,
  logger: Logger,
  tuning: FakeTuning = {},
): Promise<Providers> {
  const fakes: Providers['fakes'] = {}
  const secret = () => randomBytes(24).toString('hex')
  const stateFile = (name: string): { stateFile?: string } =>
    tuning.stateDir !== undefined ? { stateFile: join(tuning.stateDir, `${name}.json`) } : {}
  if (tuning.stateDir !== undefined) mkdirSync(tuning.stateDir, { recursive: true })

  let solusUrl = config.solusvm.url
  let solusToken = config.solusvm.token
  if (!solusUrl) {
    solusToken = secret()
    fakes.solusvm = await startFakeSolusVm({
      token: solusToken,
      catalog: fakeSolusCatalog(),
      ...stateFile('solusvm'),
      ...tuning.solusvm,
    })
    solusUrl = fakes.solusvm.url
  }
  let pleskUrl = config.plesk.url
  let pleskKey = config.plesk.apiKey
  if (!pleskUrl) {
    pleskKey = secret()
    fakes.plesk = await startFakePlesk({ apiKey: pleskKey, ...stateFile('plesk') })
    pleskUrl = fakes.plesk.url
  }
  let oxaUrl = config.oxapay.url
  let oxaKey = config.oxapay.merchantKey
  if (!oxaUrl) {
    oxaKey = secret()
    fakes.oxapay = await startFakeOxaPay({
      merchantKey: oxaKey,
      retryScheduleMs: tuning.oxapayRetryScheduleMs,
      ...stateFile('oxapay'),
    })
    oxaUrl = `${fakes.oxapay.url}/v1`
  }
  const closeFakes = async (): Promise<void> => {
    await Promise.all(Object.values(fakes).map(f => f.close()))
  }
  let mailer: Mailer | undefined
  try {
    mailer = await startMail(config, logger, fakes)
  } catch (err) {
    // The mail directory may be unwritable: the fakes started so far must not outlive the failure.
    await closeFakes()
    throw err
  }
  return {
    solusvmUrl: solusUrl,
    solusvm: createSolusVmClient({
      baseUrl: solusUrl,
      token: solusToken!,
      pollIntervalMs: tuning.pollIntervalMs ?? config.solusvm.pollMs,
      logger,
    }),
    plesk: createPleskClient({
      baseUrl: pleskUrl,
      ...(config.plesk.panelUrl !== undefined ? { panelUrl: config.plesk.panelUrl } : {}),
      apiKey: pleskKey,
      logger,
    }),
    oxapay: createOxaPayClient({ baseUrl: oxaUrl, merchantKey: oxaKey!, logger }),
    ...(fakes.oxapay ? { demoWallet: createFakeWalletClient(fakes.oxapay.url) } : {}),
    ...(mailer ? { mailer } : {}),
    fakes,
    close: async () => {
      mailer?.close()
      await closeFakes()
    },
  }
}

/**
 * The mailer: against SMTP_URL; else, with fake providers, against a sink started here on
 * loopback (the real adapter still runs, over real SMTP), keeping mail in `<dataDir>/mail/` where
 * `oxbill mail` reads it, or in memory for a `memory://` data directory; else none.
 */
async function startMail(
  config: Readonly<Config>,
  logger: Logger,
  fakes: Providers['fakes'],
): Promise<Mailer | undefined> {
  const from = { name: config.mail.fromName, address: config.mail.fromAddress }
  if (config.mail.smtpUrl !== undefined) return createMailer({ url: config.mail.smtpUrl, from, logger })
  if (!config.fakeProviders) {
    logger.warn('SMTP_URL is not set: no mail will be sent (set it, or FAKE_PROVIDERS=true to keep mail locally)')
    return undefined
  }
  const onDisk = !config.dataDir.startsWith('memory://')
  fakes.smtp = await startFakeSmtp({
    ...(onDisk ? { dataDir: config.dataDir } : {}),
    onWarning: msg => logger.warn(msg),
  })
  return createMailer({ url: fakes.smtp.url, from, logger })
}
