import { isIP } from 'node:net'
import { parseArgs } from 'node:util'

/**
 * Configuration is read once, here, from the environment and command-line flags (flags win),
 * validated, and frozen. Nothing else in oxbill reads process.env.
 */
export interface Config {
  host: string
  port: number
  dataDir: string
  /** PostgreSQL when set; PGlite in `dataDir` otherwise. */
  databaseUrl: string | undefined
  /** PostgreSQL connections per process. */
  databasePoolSize: number
  logLevel: string
  /** Base64 32-byte key for secrets at rest; in zero-setup mode generated into the data directory. */
  secretsKey: string | undefined
  /** Seed the docs' demo world on first start (always in zero-setup mode, opt-in with PostgreSQL). */
  seedDemo: boolean
  /** Start fake SolusVM/Plesk/OxaPay servers in-process on loopback for every provider without a URL. */
  fakeProviders: boolean
  solusvm: { url: string | undefined; token: string | undefined; pollMs: number }
  plesk: { url: string | undefined; apiKey: string | undefined }
  /**
   * `underPaidCoverage` (percent, 0–60) is sent with every invoice when set; unset, OxaPay applies
   * the merchant's own setting. Within it, a short payment still counts as paid.
   * `defaultPayCurrency` / `defaultNetwork`: the coin (upper-case symbol) and network of a
   * white-label invoice whose client named none; an unset network is OxaPay's default for the coin.
   */
  oxapay: {
    url: string | undefined
    merchantKey: string | undefined
    underPaidCoverage: number | undefined
    defaultPayCurrency: string
    defaultNetwork: string | undefined
  }
  /** The URL OxaPay calls back (this server as seen from the internet); unset, the listen address. */
  publicUrl: string | undefined
  /** How long an order request waits for its provisioning job before answering `processing`. */
  provisionDeadlineMs: number
  jobMaxAttempts: number
  /** Run the job worker inside the API process. */
  inProcessWorker: boolean
  workerPollMs: number
  /** A claimed job's lease; a crashed worker's job is taken over after it expires. */
  jobLeaseMs: number
  workerConcurrency: number
  /** Requests per second per API key (or per IP without a key); 0 turns the limiter off. */
  rateLimitPerSecond: number
  idempotencyRetentionHours: number
  invoiceLifetimeMinutes: number
  /** Unpaid, unexpired crypto invoices (orders and top-ups) one customer may hold; a new one beyond it is refused. */
  maxOpenInvoicesPerUser: number
  /** How often the worker polls OxaPay for open payments and cancels orders whose invoice expired. */
  reconcileIntervalMs: number
  /** How often the worker renews, suspends and resumes services whose term ends (`services.lifecycle`). */
  lifecycleIntervalMs: number
  /** Auto-renew services whose term ends within this many hours. */
  autoRenewAheadHours: number
  /** Suspend an unpaid service this many hours after its term ended. */
  suspendGraceHours: number
  /**
   * Peers whose `X-Forwarded-For` is believed (addresses, CIDRs, or proxy-addr's `loopback`,
   * `linklocal`, `uniquelocal`); empty: none, the client is the socket's peer. Rate limits, stored
   * payment addresses and the loopback-only demo key all use the client address this gives.
   */
  trustProxy: readonly string[]
  /** Failed authentications per client address per second; past it, keys from there are not looked up (429). */
  authFailuresPerSecond: number
  /** Validly signed payment callbacks per client address per second. */
  callbackRateLimitPerSecond: number
  /** Payment callbacks with a bad or missing signature per client address per second; past it, 429 and not stored. */
  callbackRejectsPerSecond: number
  /** The whole request (headers and body) must arrive within this, else 408 and the connection is closed. */
  requestTimeoutMs: number
  /** The request headers must arrive within this (at most `requestTimeoutMs`). */
  headersTimeoutMs: number
  /** A connection without traffic either way for this long is closed; 0 never. More than `provisionDeadlineMs`. */
  connectionTimeoutMs: number
  /** A pinned error response (a 402 replayed for its Idempotency-Key) is forgotten after this. */
  idempotencyErrorRetentionMinutes: number
  /**
   * Unknown body fields and query parameters on the documented 0xhost endpoints: false (default)
   * ignores them and names them in the answer's `warnings`; true refuses them with 400
   * `unknown_field`, as oxbill's own endpoints always do.
   */
  strictUnknownFields: boolean
}

export class ConfigError extends Error {}

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'seed-demo': { type: 'boolean' },
  'no-worker': { type: 'boolean' },
  'log-level': { type: 'string' },
} as const

/** Parses flags (`--port 9000`) and environment into a frozen Config; throws ConfigError naming the bad variable. */
export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: false, allowPositionals: true })
  const str = (flag: keyof typeof FLAGS, name: string): string | undefined => {
    const v = values[flag] ?? env[name]
    return typeof v === 'string' && v !== '' ? v : undefined
  }
  const databaseUrl = str('database-url', 'DATABASE_URL')
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const zeroSetup = databaseUrl === undefined

  const e = (name: string): string | undefined => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined)
  const fakeProviders = bool(e('FAKE_PROVIDERS'), zeroSetup, 'FAKE_PROVIDERS')
  const solusvm = {
    url: url(e('SOLUSVM_URL'), 'SOLUSVM_URL'),
    token: e('SOLUSVM_TOKEN'),
    pollMs: int(e('SOLUSVM_POLL_MS'), 1000, 'SOLUSVM_POLL_MS', 10, 60000),
  }
  const plesk = { url: url(e('PLESK_URL'), 'PLESK_URL'), apiKey: e('PLESK_API_KEY') }
  const coverage = e('OXAPAY_UNDERPAID_COVERAGE')
  const oxapay = {
    url: url(e('OXAPAY_URL'), 'OXAPAY_URL'),
    merchantKey: e('OXAPAY_MERCHANT_KEY'),
    underPaidCoverage: coverage === undefined ? undefined : int(coverage, 0, 'OXAPAY_UNDERPAID_COVERAGE', 0, 60),
    defaultPayCurrency: coinSymbol(e('OXAPAY_DEFAULT_PAY_CURRENCY'), 'USDT', 'OXAPAY_DEFAULT_PAY_CURRENCY'),
    defaultNetwork: networkName(e('OXAPAY_DEFAULT_NETWORK'), 'OXAPAY_DEFAULT_NETWORK'),
  }
  const secretsKey = e('SECRETS_KEY')
  if (secretsKey !== undefined && Buffer.from(secretsKey, 'base64').length !== 32) {
    throw new ConfigError('SECRETS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)')
  }

  const config: Config = {
    host: str('host', 'HOST') ?? '127.0.0.1',
    port: int(str('port', 'PORT'), 8080, 'PORT', 0, 65535),
    dataDir: str('data-dir', 'DATA_DIR') ?? './data',
    databaseUrl,
    databasePoolSize: int(e('DATABASE_POOL_SIZE'), 20, 'DATABASE_POOL_SIZE', 1, 1000),
    logLevel: str('log-level', 'LOG_LEVEL') ?? 'info',
    secretsKey,
    seedDemo: values['seed-demo'] === true || bool(e('SEED_DEMO'), zeroSetup, 'SEED_DEMO'),
    fakeProviders,
    solusvm,
    plesk,
    oxapay,
    publicUrl: url(e('PUBLIC_URL'), 'PUBLIC_URL'),
    provisionDeadlineMs: int(e('PROVISION_DEADLINE_MS'), 15000, 'PROVISION_DEADLINE_MS', 0, 600000),
    jobMaxAttempts: int(e('JOB_MAX_ATTEMPTS'), 8, 'JOB_MAX_ATTEMPTS', 1, 100),
    inProcessWorker: values['no-worker'] !== true && bool(e('IN_PROCESS_WORKER'), true, 'IN_PROCESS_WORKER'),
    workerPollMs: int(e('WORKER_POLL_MS'), 1000, 'WORKER_POLL_MS', 10, 60000),
    jobLeaseMs: int(e('JOB_LEASE_MS'), 60000, 'JOB_LEASE_MS', 300, 3600000),
    workerConcurrency: int(e('WORKER_CONCURRENCY'), 4, 'WORKER_CONCURRENCY', 1, 64),
    rateLimitPerSecond: int(e('RATE_LIMIT_PER_SECOND'), 100, 'RATE_LIMIT_PER_SECOND', 0, 1_000_000),
    idempotencyRetentionHours: int(e('IDEMPOTENCY_RETENTION_HOURS'), 48, 'IDEMPOTENCY_RETENTION_HOURS', 24, 24 * 90),
    invoiceLifetimeMinutes: int(e('INVOICE_LIFETIME_MINUTES'), 60, 'INVOICE_LIFETIME_MINUTES', 15, 2880),
    maxOpenInvoicesPerUser: int(e('MAX_OPEN_INVOICES_PER_USER'), 10, 'MAX_OPEN_INVOICES_PER_USER', 1, 1000),
    reconcileIntervalMs: int(e('RECONCILE_INTERVAL_MS'), 60000, 'RECONCILE_INTERVAL_MS', 1000, 3600000),
    lifecycleIntervalMs: int(e('LIFECYCLE_INTERVAL_MS'), 300000, 'LIFECYCLE_INTERVAL_MS', 1000, 86400000),
    autoRenewAheadHours: int(e('AUTO_RENEW_AHEAD_HOURS'), 24, 'AUTO_RENEW_AHEAD_HOURS', 0, 720),
    suspendGraceHours: int(e('SUSPEND_GRACE_HOURS'), 0, 'SUSPEND_GRACE_HOURS', 0, 8760),
    trustProxy: Object.freeze(proxyList(e('TRUST_PROXY'), 'TRUST_PROXY')),
    authFailuresPerSecond: int(e('AUTH_FAILURES_PER_SECOND'), 10, 'AUTH_FAILURES_PER_SECOND', 1, 1_000_000),
    callbackRateLimitPerSecond: int(
      e('CALLBACK_RATE_LIMIT_PER_SECOND'),
      100,
      'CALLBACK_RATE_LIMIT_PER_SECOND',
      1,
      1_000_000,
    ),
    callbackRejectsPerSecond: int(e('CALLBACK_REJECTS_PER_SECOND'), 5, 'CALLBACK_REJECTS_PER_SECOND', 1, 1_000_000),
    requestTimeoutMs: int(e('REQUEST_TIMEOUT_MS'), 30000, 'REQUEST_TIMEOUT_MS', 100, 600000),
    headersTimeoutMs: int(e('HEADERS_TIMEOUT_MS'), 10000, 'HEADERS_TIMEOUT_MS', 100, 600000),
    connectionTimeoutMs: int(e('CONNECTION_TIMEOUT_MS'), 120000, 'CONNECTION_TIMEOUT_MS', 0, 3600000),
    idempotencyErrorRetentionMinutes: int(
      e('IDEMPOTENCY_ERROR_RETENTION_MINUTES'),
      60,
      'IDEMPOTENCY_ERROR_RETENTION_MINUTES',
      1,
      24 * 90 * 60,
    ),
    strictUnknownFields: bool(e('STRICT_UNKNOWN_FIELDS'), false, 'STRICT_UNKNOWN_FIELDS'),
  }
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new ConfigError(
      `HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS (${config.requestTimeoutMs}), got '${config.headersTimeoutMs}'`,
    )
  }
  // An order request may wait PROVISION_DEADLINE_MS without a byte on the socket.
  if (config.connectionTimeoutMs !== 0 && config.connectionTimeoutMs <= config.provisionDeadlineMs) {
    throw new ConfigError(
      `CONNECTION_TIMEOUT_MS must be 0 or more than PROVISION_DEADLINE_MS (${config.provisionDeadlineMs}), got '${config.connectionTimeoutMs}'`,
    )
  }
  if (config.idempotencyErrorRetentionMinutes > config.idempotencyRetentionHours * 60) {
    throw new ConfigError(
      `IDEMPOTENCY_ERROR_RETENTION_MINUTES must not exceed IDEMPOTENCY_RETENTION_HOURS × 60 (${config.idempotencyRetentionHours * 60}), got '${config.idempotencyErrorRetentionMinutes}'`,
    )
  }
  return Object.freeze(config)
}

/**
 * What the server and the worker need on top of a database: provider settings (or fakes) and,
 * with PostgreSQL, a secrets key. One-shot admin commands skip this check.
 */
export function assertRunnable(c: Readonly<Config>): void {
  pair('SOLUSVM_URL', c.solusvm.url, 'SOLUSVM_TOKEN', c.solusvm.token, c.fakeProviders)
  pair('PLESK_URL', c.plesk.url, 'PLESK_API_KEY', c.plesk.apiKey, c.fakeProviders)
  pair('OXAPAY_URL', c.oxapay.url, 'OXAPAY_MERCHANT_KEY', c.oxapay.merchantKey, c.fakeProviders)
  // The real OxaPay cannot call back a loopback default; the fake, in-process, can.
  if (c.oxapay.url !== undefined && c.publicUrl === undefined) {
    throw new ConfigError(
      'PUBLIC_URL is required with OXAPAY_URL (the URL OxaPay calls back, e.g. https://billing.example.com)',
    )
  }
  if (c.databaseUrl !== undefined && c.secretsKey === undefined) {
    throw new ConfigError('SECRETS_KEY is required with DATABASE_URL (openssl rand -base64 32)')
  }
}

function int(raw: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got '${raw}'`)
  }
  return Number(raw)
}

function bool(raw: string | undefined, fallback: boolean, name: string): boolean {
  if (raw === undefined) return fallback
  if (['1', 'true', 'yes'].includes(raw)) return true
  if (['0', 'false', 'no'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got '${raw}'`)
}

function url(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined
  try {
    const u = new URL(raw)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol')
    return raw
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got '${raw}'`)
  }
}

/** A coin symbol as OxaPay spells them (USDT, BTC, POL…): 2–10 letters or digits, kept upper-case. */
function coinSymbol(raw: string | undefined, fallback: string, name: string): string {
  if (raw === undefined) return fallback
  const v = raw.trim().toUpperCase()
  if (!/^[A-Z0-9]{2,10}$/.test(v)) {
    throw new ConfigError(`${name} must be a coin symbol of 2 to 10 letters or digits (e.g. USDT), got '${raw}'`)
  }
  return v
}

/** A network name as sent to OxaPay (TRC20, Tron, Ethereum Network…): 1–50 letters, digits, spaces, dots, dashes. */
function networkName(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined
  const v = raw.trim()
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,49}$/.test(v)) {
    throw new ConfigError(
      `${name} must be a network name of 1 to 50 letters, digits, spaces, dots or dashes (e.g. TRC20), got '${raw}'`,
    )
  }
  return v
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** `10.0.0.1, 10.1.0.0/16, ::1, loopback`: addresses or CIDRs (or proxy-addr's named ranges), comma-separated. */
function proxyList(raw: string | undefined, name: string): string[] {
  if (raw === undefined) return []
  const entries = raw
    .split(',')
    .map(s => s.trim())
    .filter(s => s !== '')
  for (const entry of entries) {
    if (PROXY_NAMES.has(entry)) continue
    const [addr, prefix, extra] = entry.split('/')
    const family = isIP(addr ?? '')
    const bits = family === 4 ? 32 : 128
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits))
    ) {
      throw new ConfigError(
        `${name} must be comma-separated IP addresses or CIDRs (e.g. 10.0.0.1,10.1.0.0/16), got '${entry}'`,
      )
    }
  }
  return entries
}

function pair(
  urlName: string,
  u: string | undefined,
  credName: string,
  cred: string | undefined,
  fakes: boolean,
): void {
  if (u !== undefined && cred === undefined) throw new ConfigError(`${credName} is required when ${urlName} is set`)
  if (u === undefined && !fakes) {
    throw new ConfigError(`${urlName} is required (or set FAKE_PROVIDERS=true to use the built-in fake servers)`)
  }
}
