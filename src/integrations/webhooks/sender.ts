import http from 'node:http'
import https from 'node:https'
import type { LookupFunction, Socket } from 'node:net'
import { publicOnly } from './address-policy.ts'
import { webhookHeaders } from './sign.ts'
import { hostOf, parseWebhookUrl, systemResolver, type ResolvedAddress, type WebhookPolicy } from './url-policy.ts'

/**
 * One delivery attempt of one signed message to one endpoint. The address check runs again here,
 * at connect time, on the addresses actually dialled: a host that resolved to a public address at
 * registration may answer 127.0.0.1 now (DNS rebinding). Redirects are never followed (a 3xx is a
 * failure, and following one would let a public host send us anywhere). Every network failure
 * comes back as a result with an error class, for the delivery log and the retry decision.
 */

export type DeliveryOutcome = 'delivered' | 'failed' | 'gone'

export type DeliveryErrorClass =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'unreachable'
  | 'dns'
  | 'address_not_allowed'
  | 'invalid_url'
  | 'url_not_allowed'
  | 'redirect'
  | 'http_status'
  | 'tls'
  | 'network'

export interface DeliveryResult {
  /** `delivered`: 2xx. `gone`: 410, the receiver asks us to disable the endpoint. `failed`: retry. */
  outcome: DeliveryOutcome
  /** The HTTP status, when a response arrived. */
  status?: number
  latencyMs: number
  /** The first 4 KiB of the response body (UTF-8, possibly cut mid-character), for the delivery log. */
  excerpt: string
  error?: DeliveryErrorClass
  /** A human-readable line about the failure (never contains secrets or the request body). */
  detail?: string
  /** From a `Retry-After` header (seconds or HTTP date), on a response that was not a success. */
  retryAfterSeconds?: number
}

export interface DeliverInput {
  url: string
  /** The message id: the same on every attempt of one event. */
  id: string
  /** Unix seconds of this attempt. */
  timestampSeconds: number
  /** The JSON body exactly as it is signed and sent. */
  body: string
  /** The endpoint's active secrets (two during a rotation). */
  secrets: readonly string[]
  /** Whole attempt: connect, send, response head. Default 15 s. */
  timeoutMs?: number
  /** Until the TCP connection is up. Default 5 s (never more than timeoutMs). */
  connectTimeoutMs?: number
  policy?: WebhookPolicy
  userAgent?: string
  /** Wall time in ms, only to turn a `Retry-After` date into seconds. Default Date.now. */
  now?: () => number
}

export const DEFAULT_TIMEOUT_MS = 15_000
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000
/** How much of a response body is read before the connection is dropped. */
export const MAX_RESPONSE_BYTES = 64 * 1024
/** How much of it is kept as the excerpt. */
export const EXCERPT_BYTES = 4 * 1024

class BlockedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_NOT_ALLOWED'
}

class DeliveryTimeout extends Error {
  readonly code = 'ERR_WEBHOOK_TIMEOUT'
}

/**
 * `Retry-After` as seconds from now: either delta-seconds or an HTTP date (a date in the past is 0).
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) {
    const seconds = Number(text)
    return Number.isSafeInteger(seconds) ? seconds : undefined
  }
  if (!/[a-z]/i.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - nowMs) / 1000))
}

function errorCode(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorCode(err.errors[0])
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

function classify(err: unknown): DeliveryErrorClass {
  if (err instanceof BlockedAddressError) return 'address_not_allowed'
  if (err instanceof DeliveryTimeout) return 'timeout'
  const code = errorCode(err)
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection_refused'
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection_reset'
    case 'ETIMEDOUT':
      return 'timeout'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return 'unreachable'
    case 'EPROTO':
      return 'tls'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ENODATA':
      return 'dns'
  }
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/.test(code)) return 'tls'
  return 'network'
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err))

function wantedFamily(family: number | string | undefined): 4 | 6 | undefined {
  if (family === 4 || family === 'IPv4') return 4
  if (family === 6 || family === 'IPv6') return 6
  return undefined
}

/** Sends one attempt. Resolves with the outcome; rejects only for a malformed id or secret. */
export async function deliver(input: DeliverInput): Promise<DeliveryResult> {
  const started = performance.now()
  const latency = (): number => Math.round(performance.now() - started)
  const policy = input.policy ?? {}
  const addresses = policy.addresses ?? publicOnly
  const resolveHost = policy.resolve ?? systemResolver
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const connectTimeoutMs = Math.min(input.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs)
  const failed = (error: DeliveryErrorClass, detail: string): DeliveryResult => ({
    outcome: 'failed',
    latencyMs: latency(),
    excerpt: '',
    error,
    detail,
  })

  // Signing first: a malformed secret is a bug to surface, not a delivery failure to retry.
  const headers = webhookHeaders({
    id: input.id,
    timestampSeconds: input.timestampSeconds,
    body: input.body,
    secrets: input.secrets,
    userAgent: input.userAgent,
  })

  // The stored URL is checked again: the policy may have changed since registration.
  const parsed = parseWebhookUrl(input.url, policy)
  if (!parsed.ok) {
    const error = parsed.address !== undefined ? 'address_not_allowed' : parsed.code
    return failed(error, parsed.reason)
  }
  const url = parsed.url
  const { host } = hostOf(url)

  // Resolve, refuse if ANY answer is not allowed, and hand net only the checked answers, so the
  // address connected to is one that passed. (net skips `lookup` for an IP literal; that case was
  // checked by parseWebhookUrl and is checked again on the socket below.)
  const lookup: LookupFunction = (hostname, options, callback) => {
    const deny = (err: Error): void => callback(err, '')
    resolveHost(hostname).then(
      (answers: ResolvedAddress[]) => {
        for (const answer of answers) {
          const verdict = addresses.check(answer.address)
          if (!verdict.allowed) return deny(new BlockedAddressError(`${hostname} resolves to ${verdict.reason}`))
        }
        const family = wantedFamily(options.family)
        const usable = family === undefined ? answers : answers.filter(a => a.family === family)
        const first = usable[0]
        if (!first) {
          return deny(Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }))
        }
        if (options.all === true) {
          callback(
            null,
            usable.map(a => ({ address: a.address, family: a.family })),
          )
        } else {
          callback(null, first.address, first.family)
        }
      },
      (err: unknown) => deny(err instanceof Error ? err : new Error(String(err))),
    )
  }

  return new Promise<DeliveryResult>(resolve => {
    let done = false
    let response: { status: number; retryAfterSeconds?: number; location?: string } | undefined
    const kept: Buffer[] = []
    let keptBytes = 0
    let readBytes = 0

    const client = url.protocol === 'https:' ? https : http
    const req = client.request({
      protocol: url.protocol,
      hostname: host,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(input.body)) },
      // A fresh connection per attempt, so the socket checked below is the one used.
      agent: false,
      lookup,
    })

    const finish = (result: DeliveryResult): void => {
      if (done) return
      done = true
      clearTimeout(totalTimer)
      clearTimeout(connectTimer)
      req.destroy()
      resolve(result)
    }

    const fromResponse = (): DeliveryResult => {
      const status = response?.status ?? 0
      const excerpt = Buffer.concat(kept).subarray(0, EXCERPT_BYTES).toString('utf8')
      const base = { status, latencyMs: latency(), excerpt }
      if (status >= 200 && status < 300) return { outcome: 'delivered', ...base }
      const retryAfter = response?.retryAfterSeconds
      const extra = retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }
      if (status === 410) return { outcome: 'gone', ...base, ...extra }
      if (status >= 300 && status < 400) {
        const to = response?.location === undefined ? '' : ` to ${response.location}`
        return { outcome: 'failed', ...base, ...extra, error: 'redirect', detail: `HTTP ${status}${to}, not followed` }
      }
      return { outcome: 'failed', ...base, ...extra, error: 'http_status', detail: `HTTP ${status}` }
    }

    const fail = (err: unknown): void => {
      // Once the status line is in, the outcome is the receiver's answer; a body cut short only
      // shortens the excerpt.
      if (response) finish(fromResponse())
      else finish(failed(classify(err), describe(err)))
    }

    const totalTimer = setTimeout(() => fail(new DeliveryTimeout(`no response within ${timeoutMs} ms`)), timeoutMs)
    const connectTimer = setTimeout(
      () => fail(new DeliveryTimeout(`not connected within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    )

    req.on('error', fail)
    req.on('socket', (socket: Socket) => {
      const onConnect = (): void => {
        clearTimeout(connectTimer)
        // Second check, on the address the kernel actually connected to. Nothing has been
        // written yet: the headers and body go out only after this passes.
        const remote = socket.remoteAddress
        const verdict = remote === undefined ? undefined : addresses.check(remote)
        if (!verdict?.allowed) {
          const why = verdict && !verdict.allowed ? verdict.reason : 'the peer address is unknown'
          return fail(new BlockedAddressError(`connected to ${why}`))
        }
        req.end(input.body)
      }
      if (!socket.connecting && socket.remoteAddress !== undefined) onConnect()
      else socket.once('connect', onConnect)
    })
    req.on('response', res => {
      const retryAfter = res.headers['retry-after']
      const location = res.headers.location
      response = {
        status: res.statusCode ?? 0,
        retryAfterSeconds: parseRetryAfter(retryAfter, (input.now ?? Date.now)()),
        location,
      }
      const end = (): void => finish(fromResponse())
      res.on('data', (chunk: Buffer) => {
        readBytes += chunk.length
        if (keptBytes < EXCERPT_BYTES) {
          const part = chunk.subarray(0, EXCERPT_BYTES - keptBytes)
          kept.push(part)
          keptBytes += part.length
        }
        if (readBytes >= MAX_RESPONSE_BYTES) end()
      })
      res.on('end', end)
      res.on('error', end)
      res.on('close', end)
    })
  })
}
