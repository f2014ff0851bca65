import { promises as dns } from 'node:dns'
import { isIP } from 'node:net'
import { AppError } from '../../lib/errors.ts'
import { publicOnly, type AddressPolicy } from './address-policy.ts'

/**
 * The registration-time check of a customer's webhook URL. It refuses what can never be a
 * legitimate public receiver before anything is stored; the sender checks the resolved address
 * again at connect time, because DNS answers may change between now and then.
 */

export interface ResolvedAddress {
  address: string
  family: number
}

/** Every A/AAAA answer for a host name. Injectable so tests control DNS, including rebinding. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>

export const systemResolver: Resolver = async hostname => dns.lookup(hostname, { all: true, verbatim: true })

export interface WebhookPolicy {
  /** Which addresses may be reached (default: public unicast only). */
  addresses?: AddressPolicy
  /** Accept `http:` URLs (a local receiver, tests); `https:` only otherwise. */
  allowHttp?: boolean
  resolve?: Resolver
}

export const MAX_URL_LENGTH = 2048

export type UrlRefusalCode = 'invalid_url' | 'url_not_allowed'

export interface UrlRefusal {
  ok: false
  /** `invalid_url`: not a usable URL; `url_not_allowed`: a URL, but pointing where we do not send. */
  code: UrlRefusalCode
  reason: string
  /** Set when the refusal is the address policy's: the address that was refused. */
  address?: string
}

export type UrlCheck = { ok: true; url: string } | UrlRefusal

const refuse = (code: UrlRefusalCode, reason: string, address?: string): UrlRefusal =>
  address === undefined ? { ok: false, code, reason } : { ok: false, code, reason, address }

/** The hostname without IPv6 brackets, and whether it is an IP literal (what is dialled). */
export function hostOf(url: URL): { host: string; literal: boolean } {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return { host, literal: isIP(host) !== 0 }
}

/**
 * The checks that need no DNS: parse, scheme, userinfo, host, length, and an IP-literal host
 * against the address policy. WHATWG parsing has already turned `2130706433` and `0177.0.0.1`
 * into `127.0.0.1`, so the literal check sees the address that would be dialled. The sender runs
 * this too, on the stored URL.
 */
export function checkUrlSyntax(input: string, policy: WebhookPolicy = {}): UrlCheck {
  const result = parseWebhookUrl(input, policy)
  return result.ok ? { ok: true, url: result.url.href } : result
}

export function parseWebhookUrl(input: string, policy: WebhookPolicy): { ok: true; url: URL } | UrlRefusal {
  if (input.length > MAX_URL_LENGTH) return refuse('invalid_url', `longer than ${MAX_URL_LENGTH} characters`)
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return refuse('invalid_url', 'not an absolute URL')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp === true)) {
    return refuse(
      'url_not_allowed',
      policy.allowHttp === true ? 'the scheme must be https or http' : 'the scheme must be https',
    )
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('invalid_url', 'credentials in the URL are not accepted')
  }
  const { host, literal } = hostOf(url)
  if (host === '') return refuse('invalid_url', 'the URL has no host')
  // The fragment never reaches the receiver; dropping it keeps the stored URL what is sent.
  url.hash = ''
  if (url.href.length > MAX_URL_LENGTH) return refuse('invalid_url', `longer than ${MAX_URL_LENGTH} characters`)
  if (literal) {
    const verdict = (policy.addresses ?? publicOnly).check(host)
    if (!verdict.allowed) return refuse('url_not_allowed', verdict.reason, host)
  }
  return { ok: true, url }
}

/**
 * The full registration check: `checkUrlSyntax`, then for a host name every resolved address must
 * be allowed (one private answer among public ones is enough to refuse: a client may pick any).
 * Resolves to the normalised URL to store, or a refusal; never rejects.
 */
export async function checkWebhookUrl(input: string, policy: WebhookPolicy = {}): Promise<UrlCheck> {
  const syntax = parseWebhookUrl(input, policy)
  if (!syntax.ok) return syntax
  const url = syntax.url.href
  const { host, literal } = hostOf(syntax.url)
  if (literal) return { ok: true, url }
  let answers: ResolvedAddress[]
  try {
    answers = await (policy.resolve ?? systemResolver)(host)
  } catch {
    return refuse('url_not_allowed', `the host ${host} does not resolve`)
  }
  if (answers.length === 0) return refuse('url_not_allowed', `the host ${host} does not resolve`)
  const addresses = policy.addresses ?? publicOnly
  for (const answer of answers) {
    const verdict = addresses.check(answer.address)
    if (!verdict.allowed) {
      return refuse('url_not_allowed', `the host ${host} resolves to ${verdict.reason}`, answer.address)
    }
  }
  return { ok: true, url }
}

/** The refusal as the API's error: 400 `validation_error` on field `url`, with the code and reason. */
export function urlRefusalError(refusal: UrlRefusal): AppError {
  const message =
    refusal.code === 'invalid_url'
      ? `the webhook URL is not valid: ${refusal.reason}`
      : `the webhook URL is not allowed: ${refusal.reason}`
  return new AppError('validation_error', message, {
    details: { field: 'url', code: refusal.code, reason: refusal.reason },
  })
}

/** `checkWebhookUrl`, throwing the refusal as an AppError: for use-cases that store the URL. */
export async function requireWebhookUrl(input: string, policy: WebhookPolicy = {}): Promise<string> {
  const result = await checkWebhookUrl(input, policy)
  if (!result.ok) throw urlRefusalError(result)
  return result.url
}
