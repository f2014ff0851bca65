/**
 * What oxbill runs with: parsed once from the environment and command-line flags by
 * `loadConfig` (`./parse.ts`), every field filled by one variable of `./schema.ts`, then frozen.
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
  plesk: { url: string | undefined; apiKey: string | undefined; panelUrl: string | undefined }
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
  /** Terminate a service still suspended (unpaid) this many hours after its term ended. */
  terminateSuspendedAfterHours: number
  /** An immediate cancellation credits the unused paid time (off by default). */
  cancelRefundUnused: boolean
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
  /**
   * The customer portal (issue 12): `distDir` is the Vite build served at `/`; the `brand…`
   * fields are what `GET /API/branding` tells the portal (colours `#rrggbb`, a logo path or URL).
   */
  web: {
    distDir: string
    brandName: string
    brandLogoUrl: string | undefined
    brandPrimaryColor: string
    brandAccentColor: string
  }
  /**
   * E-mail (issue 11). `smtpUrl` unset: with fake providers, an in-process SMTP sink keeps every
   * mail in `<dataDir>/mail/` (`oxbill mail`, `/dev/mail`); without them, no mail is sent.
   * `operatorAddress` receives events that concern no customer (an operator endpoint disabled).
   */
  mail: {
    smtpUrl: string | undefined
    fromName: string
    fromAddress: string
    templatesDir: string | undefined
    operatorAddress: string | undefined
  }
  /**
   * Outbound webhooks: `allowCidrs` are the only private/loopback ranges a URL may reach (SSRF
   * allow-list, e.g. a local receiver); `allowHttp` accepts `http:` URLs besides `https:`.
   * `disableAfterHours`: an endpoint failing without a success for this long is disabled.
   */
  webhooks: { allowCidrs: readonly string[]; allowHttp: boolean; disableAfterHours: number }
  /** How often the notification worker looks for events to fan out and deliveries that are due. */
  notifyPollMs: number
  /**
   * Customer accounts (issue 12): self-service signup, and the cookie sessions' idle and absolute
   * timeouts; `sessionCookieSecure` `auto` marks the cookie Secure when the request came over HTTPS.
   */
  accounts: {
    signupEnabled: boolean
    sessionIdleMinutes: number
    sessionAbsoluteHours: number
    sessionCookieSecure: 'auto' | 'true' | 'false'
  }
}

/** A missing or invalid setting; its message names the variable, and never echoes a secret. */
export class ConfigError extends Error {}
