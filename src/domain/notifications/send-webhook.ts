import { deliver, type DeliveryResult } from '../../integrations/webhooks/sender.ts'
import { nextAttemptAt } from '../../integrations/webhooks/schedule.ts'
import { wallClock } from '../../lib/clock.ts'
import type { Db } from '../../db/connect.ts'
import { recordEvent } from '../events/record-event.ts'
import { abandonQueuedDeliveries } from '../webhooks/abandon-deliveries.ts'
import type { EndpointRow } from '../webhooks/owner.ts'
import type { Claimed } from './claim.ts'
import { webhookBody } from './event-body.ts'
import type { NotifyDeps, NotifySettings } from './notify-deps.ts'

export type SendOutcome = 'delivered' | 'retry' | 'failed' | 'abandoned' | 'lost'

/** The secrets a delivery is signed with now: the current one, and the previous one during a rotation. */
function secretsOf(deps: NotifyDeps, ep: EndpointRow, now: Date): string[] {
  const secrets = [deps.secretBox.open(ep.secret_sealed)]
  if (ep.previous_secret_sealed !== null && ep.previous_secret_until !== null && ep.previous_secret_until > now) {
    secrets.push(deps.secretBox.open(ep.previous_secret_sealed))
  }
  return secrets
}

/**
 * Sends one claimed webhook delivery and records what happened. No transaction is open during
 * the HTTP call: the claim committed before, the outcome commits after, and only if this claim
 * still holds the lease. A worker that dies in between leaves the delivery `sending`; when the
 * lease runs out another worker sends it again with the same `webhook-id` (the event id), which
 * is how a receiver that de-duplicates by id sees it once.
 */
export async function sendWebhookDelivery(
  deps: NotifyDeps,
  settings: NotifySettings,
  claimed: Claimed,
  token: string,
): Promise<SendOutcome> {
  const row = await deps.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .selectAll('e')
    .select(['ev.type as ev_type', 'ev.occurred_at as ev_at', 'ev.user_id as ev_user', 'ev.data as ev_data'])
    .where('d.id', '=', claimed.id)
    .executeTakeFirstOrThrow()
  const endpoint: EndpointRow = row
  const now = deps.clock.now()
  if (endpoint.status !== 'enabled') {
    return record(deps.db, claimed, token, now, async trx => {
      await trx
        .updateTable('webhook_deliveries')
        .set({ state: 'abandoned', last_error: `endpoint ${endpoint.status}`, lease_token: null, lease_until: null })
        .where('id', '=', claimed.id)
        .execute()
      return 'abandoned'
    })
  }
  const started = deps.clock.now()
  let result: DeliveryResult
  try {
    result = await deliver({
      url: endpoint.url,
      id: claimed.event_id,
      // The receiver checks this against its own clock (5 minutes' tolerance): wall time, not business time.
      timestampSeconds: Math.floor(wallClock.now().getTime() / 1000),
      body: webhookBody({
        id: claimed.event_id,
        type: row.ev_type,
        occurred_at: row.ev_at,
        user_id: row.ev_user,
        data: row.ev_data,
      }),
      secrets: secretsOf(deps, endpoint, now),
      policy: deps.webhookPolicy,
    })
  } catch (err) {
    // deliver() reports failures as results; this is a bug or an unreadable secret. Retry later.
    result = { outcome: 'failed', latencyMs: 0, excerpt: '', error: 'network', detail: (err as Error).message }
  }
  const done = deps.clock.now()
  return record(deps.db, claimed, token, done, async trx => {
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: claimed.id,
        attempt: claimed.attempts,
        started_at: started,
        latency_ms: Math.round(result.latencyMs),
        outcome: result.outcome,
        status: result.status ?? null,
        error: result.outcome === 'delivered' ? null : (result.detail ?? result.error ?? null),
        response_excerpt: result.excerpt.replaceAll('\u0000', ''),
      })
      .onConflict(oc => oc.columns(['delivery_id', 'attempt']).doNothing())
      .execute()
    const lastError = result.outcome === 'delivered' ? null : (result.detail ?? result.error ?? 'failed')
    if (result.outcome === 'delivered') {
      await trx
        .updateTable('webhook_deliveries')
        .set({
          state: 'delivered',
          delivered_at: done,
          last_status: result.status ?? null,
          last_error: null,
          lease_token: null,
          lease_until: null,
        })
        .where('id', '=', claimed.id)
        .execute()
      await trx
        .updateTable('webhook_endpoints')
        .set({ failing_since: null })
        .where('id', '=', endpoint.id)
        .where('failing_since', 'is not', null)
        .execute()
      return 'delivered'
    }
    const next =
      result.outcome === 'gone'
        ? null
        : nextAttemptAt(claimed.attempts - claimed.round_start, done, settings.random, result.retryAfterSeconds)
    await trx
      .updateTable('webhook_deliveries')
      .set({
        state: next === null ? 'failed' : 'pending',
        next_attempt_at: next ?? done,
        last_status: result.status ?? null,
        last_error: lastError,
        lease_token: null,
        lease_until: null,
      })
      .where('id', '=', claimed.id)
      .execute()
    await noteFailure(trx, deps, settings, endpoint, done, result.outcome === 'gone')
    return next === null ? 'failed' : 'retry'
  })
}

/** Commits `fn` only while `token` still holds the delivery's lease; else another worker owns it. */
async function record(
  db: Db,
  claimed: Claimed,
  token: string,
  now: Date,
  fn: (trx: Db) => Promise<SendOutcome>,
): Promise<SendOutcome> {
  return db.transaction().execute(async trx => {
    const held = await trx
      .updateTable('webhook_deliveries')
      .set({ updated_at: now })
      .where('id', '=', claimed.id)
      .where('lease_token', '=', token)
      .where('state', '=', 'sending')
      .executeTakeFirst()
    if (Number(held.numUpdatedRows) !== 1) return 'lost'
    return fn(trx)
  })
}

/**
 * A failure counts against the endpoint: `failing_since` marks the first since the last success,
 * and an endpoint failing for `disableAfterHours` (or answering 410 Gone) is disabled — once:
 * the UPDATE that flips it is the one that writes the `webhook_endpoint.disabled` event, which
 * reaches its owner by mail (and the owner's other endpoints). What was queued for it is abandoned.
 */
async function noteFailure(
  trx: Db,
  deps: NotifyDeps,
  settings: NotifySettings,
  endpoint: EndpointRow,
  now: Date,
  gone: boolean,
): Promise<void> {
  const ep = await trx
    .updateTable('webhook_endpoints')
    .set(eb => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(now)) }))
    .where('id', '=', endpoint.id)
    .returning(['failing_since', 'status'])
    .executeTakeFirstOrThrow()
  const since = ep.failing_since ?? now
  const tooLong = now.getTime() - since.getTime() >= settings.disableAfterHours * 3_600_000
  if (ep.status !== 'enabled' || (!gone && !tooLong)) return
  const reason = gone
    ? 'the receiver answered 410 Gone'
    : `every delivery failed for ${settings.disableAfterHours} hours`
  const flipped = await trx
    .updateTable('webhook_endpoints')
    .set({ status: 'disabled', disabled_reason: reason, updated_at: now })
    .where('id', '=', endpoint.id)
    .where('status', '=', 'enabled')
    .executeTakeFirst()
  if (Number(flipped.numUpdatedRows) !== 1) return
  await abandonQueuedDeliveries(trx, endpoint.id, 'endpoint disabled', now)
  await recordEvent(trx, {
    type: 'webhook_endpoint.disabled',
    userId: endpoint.user_id,
    data: { endpoint: { id: endpoint.id, url: endpoint.url }, failing_since: since.toISOString(), reason },
    now,
  })
  deps.logger.warn({ endpoint_id: endpoint.id, reason }, 'webhook endpoint disabled')
}
