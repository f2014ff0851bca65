import { parseArgs } from 'node:util'
import { Type } from 'typebox'
import Value from 'typebox/value'
import { boundsOf, type EnvVar } from './define.ts'
import { VARS, type VarName } from './schema.ts'
import { ConfigError, type Config } from './types.ts'

const FLAGS: Record<string, { type: 'string' | 'boolean' }> = {}
for (const v of Object.values(VARS) as EnvVar[]) {
  if (typeof v.flag === 'string') FLAGS[v.flag] = { type: 'string' }
  else if (v.flag) FLAGS[v.flag.name] = { type: 'boolean' }
}

/**
 * Parses flags (`--port 9000`) and environment into a frozen Config, every variable as
 * `./schema.ts` describes it; throws ConfigError naming the bad variable.
 */
export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: false, allowPositionals: true })
  const read = (name: VarName, spec: EnvVar, zeroSetup: boolean): unknown => {
    if (typeof spec.flag === 'object' && values[spec.flag.name] === true) return spec.flag.sets
    const given = typeof spec.flag === 'string' ? (values[spec.flag] ?? env[name]) : env[name]
    if (typeof given === 'string' && given !== '') return decode(name, spec, given)
    return typeof spec.default === 'function' ? spec.default({ zeroSetup }) : spec.default
  }
  // Zero-setup mode (no PostgreSQL) is what other defaults depend on, so it is settled first.
  const zeroSetup = read('DATABASE_URL', VARS.DATABASE_URL, true) === undefined
  const config: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(VARS) as Array<[VarName, EnvVar]>) {
    const [head, leaf] = spec.field.split('.') as [string, string | undefined]
    const value = read(name, spec, zeroSetup)
    const kept = Array.isArray(value) ? Object.freeze([...value]) : value
    if (leaf === undefined) config[head] = kept
    else ((config[head] ??= {}) as Record<string, unknown>)[leaf] = kept
  }
  return Object.freeze(checkTogether(config as unknown as Config))
}

/** The raw string into the value `spec.type` describes, or a ConfigError saying what was expected. */
export function decode(name: string, spec: EnvVar, raw: string): unknown {
  const refuse = (got: string): never => {
    throw new ConfigError(`${name} must ${mustOf(spec)}${spec.secret ? '' : `, got '${got}'`}`)
  }
  const { type } = spec
  if (Type.IsInteger(type)) {
    if (!/^\d+$/.test(raw) || !Value.Check(type, Number(raw))) refuse(raw)
    return Number(raw)
  }
  if (Type.IsBoolean(type)) {
    if (['1', 'true', 'yes'].includes(raw)) return true
    if (['0', 'false', 'no'].includes(raw)) return false
    return refuse(raw)
  }
  if (Type.IsArray(type)) {
    const entries = raw
      .split(',')
      .map(s => s.trim())
      .filter(s => s !== '')
    return entries.map(entry => {
      const value = spec.normalize ? spec.normalize(entry) : entry
      return Value.Check(type.items, value) ? value : refuse(entry)
    })
  }
  const value = spec.normalize ? spec.normalize(raw) : raw
  if (!Value.Check(type, value)) refuse(raw)
  return value
}

/** What a refused value should have been: from the schema's bounds, or the variable's own words. */
export function mustOf(spec: EnvVar): string {
  const bounds = boundsOf(spec.type)
  if (bounds) return `be an integer between ${bounds.minimum} and ${bounds.maximum}`
  if (Type.IsBoolean(spec.type)) return 'be true or false'
  return spec.must ?? 'be valid'
}

/** Bounds one variable puts on another. */
function checkTogether(config: Config): Config {
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
  return config
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
  // The sink's default From (.invalid) is refused by real mail servers, or lands in spam.
  if (c.mail.smtpUrl !== undefined && c.mail.fromAddress.endsWith('.invalid')) {
    throw new ConfigError(
      'MAIL_FROM_ADDRESS is required with SMTP_URL (the address mail comes from, e.g. billing@example.com)',
    )
  }
  if (c.databaseUrl !== undefined && c.secretsKey === undefined) {
    throw new ConfigError('SECRETS_KEY is required with DATABASE_URL (openssl rand -base64 32)')
  }
}

function pair(
  urlName: VarName,
  u: string | undefined,
  credName: VarName,
  cred: string | undefined,
  fakes: boolean,
): void {
  if (u !== undefined && cred === undefined) throw new ConfigError(`${credName} is required when ${urlName} is set`)
  if (u === undefined && !fakes) {
    throw new ConfigError(`${urlName} is required (or set FAKE_PROVIDERS=true to use the built-in fake servers)`)
  }
}
