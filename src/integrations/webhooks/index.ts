/**
 * Outbound webhooks, protocol side only: Standard Webhooks v1 signing, the SSRF guard for
 * customer-chosen URLs (at registration and again at connect time), one delivery attempt, and
 * the retry schedule. It knows nothing of endpoints tables, events or workers: the domain decides
 * what to send and records what happened; this module decides how it goes over the wire.
 */
export { newEndpointSecret, secretKey, isEndpointSecret, SECRET_PREFIX, SECRET_BYTES } from './secrets.ts'
export {
  signatureEntry,
  signatureHeader,
  webhookHeaders,
  WEBHOOKS_USER_AGENT,
  type SignInput,
  type HeaderInput,
} from './sign.ts'
export {
  createAddressPolicy,
  addressRange,
  publicOnly,
  type AddressPolicy,
  type AddressPolicyOptions,
  type AddressVerdict,
} from './address-policy.ts'
export {
  checkWebhookUrl,
  checkUrlSyntax,
  requireWebhookUrl,
  urlRefusalError,
  systemResolver,
  MAX_URL_LENGTH,
  type WebhookPolicy,
  type Resolver,
  type ResolvedAddress,
  type UrlCheck,
  type UrlRefusal,
  type UrlRefusalCode,
} from './url-policy.ts'
export {
  deliver,
  parseRetryAfter,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  EXCERPT_BYTES,
  type DeliverInput,
  type DeliveryResult,
  type DeliveryOutcome,
  type DeliveryErrorClass,
} from './sender.ts'
export {
  nextAttemptAt,
  baseDelaySeconds,
  RETRY_DELAYS_SECONDS,
  MAX_ATTEMPTS,
  JITTER,
  MAX_RETRY_AFTER_SECONDS,
} from './schedule.ts'
