import type { Deps } from '../../deps.ts'
import { parseCallback } from '../../integrations/oxapay/callback.ts'
import type { OxaCallback } from '../../integrations/oxapay/types.ts'
import { newId } from '../../lib/ids.ts'
import { dedupeKey, fromCallback } from './observation.ts'
import { priceSource } from './price-list.ts'
import { receivedCents } from './received-value.ts'
import { settlePayment } from './settle-payment.ts'

export interface CallbackInput {
  /** The exact bytes received: the signature covers them, not a re-serialised parse. */
  rawBody: Buffer
  /** Header `HMAC`. */
  signature: string | undefined
  ip?: string
}

/**
 * `POST /API/on_payment_status`. Every callback is stored as received, first; then:
 * - a bad or missing signature (checked in constant time over the raw bytes, before parsing)
 *   changes nothing else and is answered 401 by the route;
 * - a signed body oxbill cannot read is kept flagged for review and acknowledged (OxaPay would
 *   only resend the same bytes);
 * - otherwise the settlement function applies it, idempotently.
 * Returns whether the signature was valid; the route answers `ok` then, even for ignored statuses.
 */
export async function receiveCallback (deps: Pick<Deps, 'db' | 'oxapay' | 'runner' | 'logger' | 'clock'>, input: CallbackInput): Promise<{ signatureValid: boolean }> {
  const valid = deps.oxapay.verifyCallback(input.rawBody, input.signature)
  let parsed: OxaCallback | null = null
  let unreadable: string | null = null
  if (valid) {
    try { parsed = parseCallback(input.rawBody) } catch (err) { unreadable = err instanceof Error ? err.message : String(err) }
  }
  const eventId = newId('event')
  await deps.db.insertInto('payment_events').values({
    id: eventId, source: 'callback', track_id: parsed?.trackId ?? null, status: parsed?.status ?? null, raw_status: parsed?.rawStatus ?? null,
    // PostgreSQL text cannot hold NUL; anything else is kept as sent (the body limit bounds it).
    raw_body: input.rawBody.toString('utf8').replaceAll('\u0000', '\uFFFD'), signature_valid: valid, ip_address: input.ip ?? null,
    processed: parsed === null, flagged: unreadable !== null,
    outcome: !valid ? 'rejected: bad or missing HMAC signature' : unreadable !== null ? `flagged: unreadable callback (${unreadable})` : null,
  }).execute()
  if (!valid || parsed === null) return { signatureValid: valid }

  const obs = fromCallback(parsed)
  const cents = await needsValue(deps, obs.trackId, dedupeKey(obs))
    ? await receivedCents(obs.txs, obs.currency ?? 'EUR', priceSource(deps.oxapay))
    : null
  const result = await settlePayment(deps, { obs, receivedCents: cents, eventId, rawBody: '' })
  deps.logger.info({ trackId: obs.trackId, status: obs.rawStatus, outcome: result.outcome }, 'OxaPay callback')
  if (result.jobIds.length > 0) deps.runner.poke()
  return { signatureValid: true }
}

/**
 * Whether the callback can take effect, read before the settlement transaction so that price
 * lists are fetched (a network call) only when needed and never inside the transaction. The
 * settlement re-checks under its lock; a wrong "no" here only means the value is taken as unknown
 * for an event that settlement then finds to be a duplicate or unknown anyway.
 */
async function needsValue (deps: Pick<Deps, 'db'>, trackId: string, key: string): Promise<boolean> {
  const p = await deps.db.selectFrom('payments').select('id').where('track_id', '=', trackId).executeTakeFirst()
  if (!p) return false
  const seen = await deps.db.selectFrom('payment_events').select('id').where('dedupe_key', '=', key).where('applied', '=', true).executeTakeFirst()
  return !seen
}
