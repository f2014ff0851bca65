import { createHash } from 'node:crypto'
import type { Db } from '../../db/connect.ts'
import type { Deps } from '../../deps.ts'
import type { Logger } from '../../lib/logger.ts'
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
 * `POST /API/on_payment_status`. A callback is stored before anything else is done with it (with
 * the SHA-256 and size of its body); then:
 * - a bad or missing signature (checked in constant time over the raw bytes, before parsing)
 *   changes nothing else and is answered 401 by the route. Anyone can send one, so it is stored in
 *   bounded form — digest, size, address, time and only the first REJECTED_BODY_PREFIX_BYTES of the
 *   body — and only within a storage budget (REJECTED_STORED_PER_MINUTE overall and
 *   REJECTED_STORED_PER_ADDRESS_PER_MINUTE per client address); beyond it, it is counted and logged
 *   (one line per minute), and costs no database statement at all;
 * - a signed body oxbill cannot read is kept whole, flagged for review, and acknowledged (OxaPay
 *   would only resend the same bytes);
 * - otherwise the settlement function applies it, idempotently.
 * Returns whether the signature was valid; the route answers `ok` then, even for ignored statuses.
 */
export async function receiveCallback(
  deps: Pick<Deps, 'db' | 'oxapay' | 'runner' | 'logger' | 'clock'>,
  input: CallbackInput,
): Promise<{ signatureValid: boolean }> {
  const valid = deps.oxapay.verifyCallback(input.rawBody, input.signature)
  if (!valid) {
    if (rejectedBudgetOf(deps.db).admit(input.ip, deps.clock.now().getTime(), deps.logger)) {
      await storeRejected(deps.db, input)
    }
    return { signatureValid: false }
  }
  let parsed: OxaCallback | null = null
  let unreadable: string | null = null
  try {
    parsed = parseCallback(input.rawBody)
  } catch (err) {
    unreadable = err instanceof Error ? err.message : String(err)
  }
  const eventId = newId('event')
  await deps.db
    .insertInto('payment_events')
    .values({
      id: eventId,
      source: 'callback',
      track_id: parsed?.trackId ?? null,
      status: parsed?.status ?? null,
      raw_status: parsed?.rawStatus ?? null,
      // A signed body is kept as sent (the body limit bounds it).
      raw_body: storableText(input.rawBody),
      signature_valid: true,
      ip_address: input.ip ?? null,
      body_sha256: sha256(input.rawBody),
      body_bytes: input.rawBody.length,
      processed: parsed === null,
      flagged: unreadable !== null,
      outcome: unreadable !== null ? `flagged: unreadable callback (${unreadable})` : null,
    })
    .execute()
  if (parsed === null) return { signatureValid: true }

  const obs = fromCallback(parsed)
  const cents = (await needsValue(deps, obs.trackId, dedupeKey(obs)))
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
async function needsValue(deps: Pick<Deps, 'db'>, trackId: string, key: string): Promise<boolean> {
  const p = await deps.db.selectFrom('payments').select('id').where('track_id', '=', trackId).executeTakeFirst()
  if (!p) return false
  const seen = await deps.db
    .selectFrom('payment_events')
    .select('id')
    .where('dedupe_key', '=', key)
    .where('applied', '=', true)
    .executeTakeFirst()
  return !seen
}

/** How much of a rejected callback's body is kept (its digest and size are kept too). */
export const REJECTED_BODY_PREFIX_BYTES = 256
/** At most this many rejected callbacks are stored per minute, whoever sends them… */
export const REJECTED_STORED_PER_MINUTE = 60
/** …and at most this many per client address. */
export const REJECTED_STORED_PER_ADDRESS_PER_MINUTE = 10

/** Stores a callback whose signature did not verify: digest, size, address, time, first bytes. */
async function storeRejected(db: Db, input: CallbackInput): Promise<void> {
  const size = input.rawBody.length
  const truncated = size > REJECTED_BODY_PREFIX_BYTES
  await db
    .insertInto('payment_events')
    .values({
      id: newId('event'),
      source: 'callback',
      track_id: null,
      status: null,
      raw_status: null,
      raw_body: storableText(input.rawBody.subarray(0, REJECTED_BODY_PREFIX_BYTES)),
      signature_valid: false,
      ip_address: input.ip ?? null,
      body_sha256: sha256(input.rawBody),
      body_bytes: size,
      processed: true,
      flagged: false,
      outcome: `rejected: bad or missing HMAC signature${truncated ? `; first ${REJECTED_BODY_PREFIX_BYTES} of ${size} bytes kept` : ''}`,
    })
    .execute()
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** PostgreSQL text cannot hold NUL; anything else is kept as sent (a cut multi-byte character becomes U+FFFD). */
const storableText = (b: Buffer): string => b.toString('utf8').replaceAll('\u0000', '\uFFFD')

/**
 * The storage budget of rejected callbacks: fixed one-minute windows, counted in this process
 * before any database statement, so a flood of unsigned callbacks costs at most
 * REJECTED_STORED_PER_MINUTE inserts a minute (per process) however fast it comes. Memory is
 * bounded too: an address is remembered only once one of its callbacks is stored.
 */
export class RejectedCallbackBudget {
  private window = -1
  private stored = 0
  private dropped = 0
  private readonly perAddress = new Map<string, number>()

  constructor(
    readonly perMinute = REJECTED_STORED_PER_MINUTE,
    readonly perAddressPerMinute = REJECTED_STORED_PER_ADDRESS_PER_MINUTE,
  ) {}

  /** Whether a rejected callback from `ip` at `nowMs` may be stored; counts (and logs) it when not. */
  admit(ip: string | undefined, nowMs: number, logger: Logger): boolean {
    const window = Math.floor(nowMs / 60_000)
    if (window !== this.window) {
      if (this.dropped > 0) {
        logger.warn(
          { stored: this.stored, dropped: this.dropped },
          'rejected OxaPay callbacks over the storage budget were not stored',
        )
      }
      this.window = window
      this.stored = 0
      this.dropped = 0
      this.perAddress.clear()
    }
    const address = ip ?? 'unknown'
    const fromAddress = this.perAddress.get(address) ?? 0
    if (this.stored >= this.perMinute || fromAddress >= this.perAddressPerMinute) {
      if (this.dropped === 0) {
        logger.warn(
          { ip: address, perMinute: this.perMinute, perAddressPerMinute: this.perAddressPerMinute },
          'rejected OxaPay callbacks over the storage budget: counting, not storing, until the minute ends',
        )
      }
      this.dropped++
      return false
    }
    this.stored++
    this.perAddress.set(address, fromAddress + 1)
    return true
  }

  /** This window's counts (for tests and diagnostics). */
  counts(): { stored: number; dropped: number } {
    return { stored: this.stored, dropped: this.dropped }
  }
}

/** One budget per database per process: it bounds what is written there. */
const budgets = new WeakMap<Db, RejectedCallbackBudget>()

export function rejectedBudgetOf(db: Db): RejectedCallbackBudget {
  let b = budgets.get(db)
  if (!b) budgets.set(db, (b = new RejectedCallbackBudget()))
  return b
}
