import { AppError } from '../../lib/errors.ts'
import { int, isRecord, str, unexpected, type Json } from './map.ts'

/**
 * Every v1 answer is `{data, message, error, status, version}`. Success needs HTTP 2xx AND body
 * `status === 200` (OxaPay's own clients test the body; a Cloudflare 403 may wrap a body 401).
 * Failures are classified by the body `status` when there is one, else by the HTTP status.
 */
export type OxaFailureReason = 'auth' | 'validation' | 'not_found' | 'unavailable' | 'unexpected'

/** Returns `data` of a success envelope; otherwise throws a classified AppError. */
export function unwrapEnvelope(res: { status: number; text: string }, secret: string): Json {
  let body: unknown = null
  try {
    body = JSON.parse(res.text)
  } catch {
    body = null
  }
  const env = isRecord(body) ? body : null
  const bodyStatus = env ? int(env.status) : null
  const httpOk = res.status >= 200 && res.status < 300
  if (httpOk && bodyStatus === 200) {
    if (!env || !isRecord(env.data)) throw unexpected('success envelope without data')
    return env.data
  }
  const code = bodyStatus ?? res.status
  const error = env && isRecord(env.error) ? env.error : {}
  const key = str(error.key)
  // The provider's text is shown to operators; make sure it can never echo our key back.
  const providerMessage = redact(str(error.message) ?? (env ? str(env.message) : null), secret)
  const details: Record<string, unknown> = { provider: 'oxapay', httpStatus: res.status, status: code }
  if (key) details.key = key
  if (providerMessage) details.providerMessage = providerMessage
  const suffix = providerMessage ? `: ${providerMessage}` : ''

  if (code === 401 || code === 403) {
    return fail('provider_error', `oxapay rejected the merchant API key (status ${code})`, 'auth', details)
  }
  if (code === 400 || code === 422) {
    return fail(
      'provider_error',
      `oxapay rejected the request${key ? ` (${key})` : ''}${suffix}`,
      'validation',
      details,
    )
  }
  if (code === 404) return fail('provider_error', `oxapay: not found${suffix}`, 'not_found', details)
  if (code === 429 || code >= 500) {
    return fail('provider_unavailable', `oxapay unavailable (status ${code})${suffix}`, 'unavailable', details, true)
  }
  if (httpOk && !env) return fail('provider_error', 'oxapay answered a non-JSON body', 'unexpected', details)
  return fail('provider_error', `oxapay answered status ${code}${suffix}`, 'unexpected', details)
}

function fail(
  code: 'provider_error' | 'provider_unavailable',
  message: string,
  reason: OxaFailureReason,
  details: Record<string, unknown>,
  retryable = false,
): never {
  throw new AppError(code, message, { retryable, details: { ...details, reason } })
}

function redact(text: string | null, secret: string): string | null {
  if (text === null || secret === '') return text
  return text.split(secret).join('[redacted]')
}
