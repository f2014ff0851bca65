import { isIP } from 'node:net'
import { Type, type Static, type TInteger, type TSchema } from 'typebox'
import type { Config } from './types.ts'

/** `host`, `solusvm.pollMs`…: every leaf of Config, the place one variable fills. */
export type ConfigPath = LeafPaths<Config>
type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends readonly unknown[] ? K : T[K] extends object ? `${K}.${LeafPaths<T[K]>}` : K
}[keyof T & string]
type At<T, P extends string> = P extends `${infer A}.${infer B}`
  ? A extends keyof T
    ? At<T[A], B>
    : never
  : P extends keyof T
    ? T[P]
    : never

/** What a default may depend on: only whether oxbill runs without PostgreSQL (zero-setup mode). */
export interface DefaultContext {
  zeroSetup: boolean
}

export const GROUPS = {
  server: 'HTTP server',
  storage: 'Database and data',
  providers: 'Providers',
  payments: 'Payments (OxaPay)',
  jobs: 'Jobs and workers',
  lifecycle: 'Service lifecycle',
  notify: 'E-mail and webhooks',
  limits: 'Rate limits and idempotency',
  accounts: 'Customer accounts',
} as const
export type Group = keyof typeof GROUPS

/**
 * One environment variable. `type` is the TypeBox schema of its parsed value: integers are checked
 * against its `minimum`/`maximum`, strings against its `pattern` or refinement, an array's items
 * one by one (comma-separated); `must` finishes the error message of a refused string.
 */
export interface EnvVar<S extends TSchema = TSchema, P extends ConfigPath = ConfigPath, D = unknown> {
  group: Group
  field: P
  type: S
  /** One line for `--help` and the README; integer bounds are appended there. */
  doc: string
  default?: D
  /** The default as the docs show it, when it is not a plain value (computed, or left to someone else). */
  shown?: string
  /** `--port 9000` wins over PORT; a boolean flag, when given, sets the value it names. */
  flag?: string | { name: string; sets: boolean }
  must?: string
  /** Applied before the check, and what is kept: an operator's ` btc ` means BTC; a list's entries one by one. */
  normalize?: (raw: string) => string
  /** Never echoed in an error: the value may hold a password or a key. */
  secret?: true
}

type Fits<P extends ConfigPath, V> = [V] extends [At<Config, P>]
  ? unknown
  : { field_cannot_hold_this_type: [P, V, At<Config, P>] }

/**
 * Declares a variable; the compiler checks that its parsed value (`undefined` too when it has no
 * default) fits the Config field it fills.
 */
export function envVar<
  S extends TSchema,
  P extends ConfigPath,
  D extends Static<S> | ((c: DefaultContext) => Static<S>) | undefined = undefined,
>(spec: EnvVar<S, P, D> & Fits<P, undefined extends D ? Static<S> | undefined : Static<S>>): EnvVar<S, P, D> {
  return spec
}

export const int = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum })

/** An integer variable's bounds, as `int` wrote them into its schema; undefined for other types. */
export function boundsOf(type: TSchema): { minimum: number; maximum: number } | undefined {
  if (!Type.IsInteger(type)) return undefined
  const { minimum = 0, maximum = Number.MAX_SAFE_INTEGER } = type as TInteger & { minimum?: number; maximum?: number }
  return { minimum, maximum }
}

export const bool = Type.Boolean()

export const text = Type.String()

export const httpUrl = {
  type: Type.Refine(Type.String(), isHttpUrl),
  must: 'be an http(s) URL',
}

function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** `10.0.0.1`, `10.1.0.0/16`, `::1`, or one of proxy-addr's named ranges. */
export function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true
  const [addr, prefix, extra] = entry.split('/')
  const family = isIP(addr ?? '')
  const bits = family === 4 ? 32 : 128
  return (
    family !== 0 &&
    extra === undefined &&
    (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))
  )
}

/** The default of what zero-setup mode turns on: true without DATABASE_URL. */
export const inZeroSetup = (c: DefaultContext): boolean => c.zeroSetup
