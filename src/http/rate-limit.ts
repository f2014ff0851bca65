import { createHash } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { wallClock, type Clock } from '../lib/clock.ts'
import { AppError } from '../lib/errors.ts'
import { sessionToken } from './session-cookie.ts'

/**
 * Counts hits per key in fixed windows of `windowMs` that start at a key's first hit (so a burst
 * is never split in two by a clock boundary). Entries whose window has passed are swept once per
 * window, so memory is what about two windows saw, never a history; past `maxKeys` live keys, new
 * keys are not tracked (fail open: a flood from that many addresses is not something per-address
 * limits can stop anyway). Time comes from `clock` (wall time by default) so tests can step past
 * a window instead of waiting for it.
 */
export class WindowCounter {
  private readonly entries = new Map<string, { start: number; n: number }>()
  private lastSweep = 0

  constructor(
    readonly max: number,
    private readonly windowMs = 1000,
    private readonly maxKeys = 200_000,
    private readonly clock: Clock = wallClock,
  ) {}

  private now(): number {
    return this.clock.now().getTime()
  }

  private live(key: string, now: number): { start: number; n: number } | undefined {
    if (now - this.lastSweep >= this.windowMs) {
      this.lastSweep = now
      for (const [k, e] of this.entries) if (now - e.start >= this.windowMs) this.entries.delete(k)
    }
    const e = this.entries.get(key)
    return e !== undefined && now - e.start < this.windowMs ? e : undefined
  }

  /** Counts one hit; false when `key` had already used its budget in its current window. */
  hit(key: string, now = this.now()): boolean {
    let e = this.live(key, now)
    if (e === undefined) {
      if (this.entries.size >= this.maxKeys && !this.entries.has(key)) return true
      e = { start: now, n: 0 }
      this.entries.set(key, e)
    }
    if (e.n >= this.max) return false
    e.n++
    return true
  }

  /** Gives back one hit (a look-up that turned out to be a valid key). */
  refund(key: string, now = this.now()): void {
    const e = this.live(key, now)
    if (e !== undefined && e.n > 0) e.n--
  }

  remaining(key: string, now = this.now()): number {
    return Math.max(0, this.max - (this.live(key, now)?.n ?? 0))
  }

  /** Whole seconds until `key`'s window ends (at least 1). */
  retryAfterSeconds(key: string, now = this.now()): number {
    const e = this.live(key, now)
    return e === undefined ? 1 : Math.max(1, Math.ceil((e.start + this.windowMs - now) / 1000))
  }
}

/**
 * The budgets of one API process (counters are per process: with N instances the effective limits
 * are N times higher). Every budget is per client address (`req.ip`, which follows TRUST_PROXY)
 * except the per-key one.
 */
export interface AbuseLimits {
  /** Requests per API key (by digest), before authentication: authenticated traffic. */
  perKey: WindowCounter
  /** Requests without a key, per address (the payment callback excepted: it has its own budgets). */
  keyless: WindowCounter
  /**
   * Look-ups of keys not recently seen valid, per address. Charged before the database look-up
   * and given back when the key turns out valid, so it counts failed authentications: past it, a
   * flood of garbage keys is answered 429 without touching the database.
   */
  authFailures: WindowCounter
  /** Keys (digests) that authenticated recently: their look-ups skip the failure budget. */
  knownKeys: Set<string>
  /** Validly signed payment callbacks, per address. */
  signedCallbacks: WindowCounter
  /** Payment callbacks with a bad or missing signature, per address; past it, 429 and not stored. */
  rejectedCallbacks: WindowCounter
}

declare module 'fastify' {
  interface FastifyInstance {
    abuseLimits: AbuseLimits | null
  }
  /** `callback`: the route counts its own requests (signed and rejected apart), not the key-less budget. */
  interface FastifyContextConfig {
    rateLimit?: 'callback'
  }
}

const KNOWN_KEYS_MAX = 50_000

/** Short digest of a presented key: counters and the known-key set never hold a key itself. */
export const keyDigest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)

/** A key that authenticated: later look-ups of it from an address over its failure budget still run. */
export function rememberKey(limits: AbuseLimits, digest: string): void {
  if (limits.knownKeys.size >= KNOWN_KEYS_MAX) limits.knownKeys.clear()
  limits.knownKeys.add(digest)
}

/**
 * The client a budget is charged to: an IPv4 address, or the /64 of an IPv6 address (one
 * subscriber usually holds a whole /64, so per-address IPv6 budgets would be free to multiply).
 */
export function clientAddress(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)
  if (mapped) return mapped[1]!
  if (isIPv4(ip)) return ip
  const bare = ip.split('%')[0]!
  if (!isIPv6(bare)) return ip
  return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`
}

function expandIPv6(ip: string): string[] {
  let s = ip
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s)
  if (v4) {
    const p = v4[1]!.split('.').map(Number)
    s = `${s.slice(0, -v4[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`
  }
  const [head, rest] = s.split('::') as [string, string | undefined]
  const h = head === '' ? [] : head.split(':')
  const r = rest === undefined || rest === '' ? [] : rest.split(':')
  const fill = rest === undefined ? [] : Array<string>(8 - h.length - r.length).fill('0')
  return [...h, ...fill, ...r].map(g => parseInt(g, 16).toString(16))
}

/** A 429 with Retry-After; the error handler writes the envelope and keeps the header. */
export function rateLimited(reply: FastifyReply, counter: WindowCounter, bucket: string, message: string): AppError {
  const after = counter.retryAfterSeconds(bucket)
  void reply.header('retry-after', String(after))
  return new AppError('rate_limited', `${message}; retry in ${after} second${after === 1 ? '' : 's'}`, {
    retryable: true,
  })
}

/**
 * Per-key rate limit (Stripe's 100 requests/s per account as the default), before authentication
 * so that floods cost nothing; requests without a key are limited per client address. Keys that
 * fail are limited per address in `auth.ts` (the failure budget), the payment callback in its
 * route. RATE_LIMIT_PER_SECOND=0 turns every budget off.
 */
export function registerRateLimit(
  app: FastifyInstance,
  config: Readonly<
    Pick<
      Config,
      'rateLimitPerSecond' | 'authFailuresPerSecond' | 'callbackRateLimitPerSecond' | 'callbackRejectsPerSecond'
    >
  >,
  clock: Clock = wallClock,
): void {
  if (config.rateLimitPerSecond <= 0) {
    app.decorate('abuseLimits', null)
    return
  }
  const counter = (max: number): WindowCounter => new WindowCounter(max, 1000, undefined, clock)
  const limits: AbuseLimits = {
    perKey: counter(config.rateLimitPerSecond),
    keyless: counter(config.rateLimitPerSecond),
    authFailures: counter(config.authFailuresPerSecond),
    knownKeys: new Set(),
    signedCallbacks: counter(config.callbackRateLimitPerSecond),
    rejectedCallbacks: counter(config.callbackRejectsPerSecond),
  }
  app.decorate('abuseLimits', limits)
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.config.rateLimit === 'callback') return
    const header = req.headers['x-api-key']
    const key = typeof header === 'string' && header.length > 0 ? header : undefined
    // A portal session is a principal like a key: the same per-principal budget, by its digest.
    const session = key === undefined && header === undefined ? sessionToken(req) : undefined
    const [counter, bucket, what] =
      key !== undefined
        ? [limits.perKey, `k:${keyDigest(key)}`, 'for this API key']
        : session !== undefined
          ? [limits.perKey, `s:${keyDigest(session)}`, 'for this session']
          : [limits.keyless, `ip:${clientAddress(req.ip)}`, 'from this address without an API key']
    const ok = counter.hit(bucket)
    void reply.header('x-ratelimit-limit', String(counter.max))
    void reply.header('x-ratelimit-remaining', String(counter.remaining(bucket)))
    void reply.header('x-ratelimit-reset', String(counter.retryAfterSeconds(bucket)))
    if (!ok) throw rateLimited(reply, counter, bucket, `too many requests ${what}: at most ${counter.max} per second`)
  })
}
