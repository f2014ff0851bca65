import { AppError } from '../../lib/errors.ts'
import type { EventType } from '../events/catalog.ts'
import type { Claimed } from './claim.ts'
import type { NotifyDeps, NotifySettings } from './notify-deps.ts'
import { nextAttemptAt } from '../../integrations/webhooks/schedule.ts'
import { renderMail, type MailContext } from './render-mail.ts'
import type { SendOutcome } from './send-webhook.ts'

/** The operator as the templates name it: MAIL_FROM_NAME, the contact address, the public URL. */
export function mailOperator(config: NotifyDeps['config']) {
  return {
    name: config.mail.fromName,
    address: config.mail.operatorAddress ?? config.mail.fromAddress,
    ...(config.publicUrl !== undefined ? { url: config.publicUrl } : {}),
  }
}

/**
 * Renders and sends one claimed mail, then records the outcome under the claim's lease, as for
 * webhooks: nothing is held open during the SMTP conversation. A re-send after a crash carries
 * the same Message-ID. SMTP down or a 4xx answer: retried on the webhook schedule (about three
 * days); a 5xx answer or a broken template: failed at once, visible in the admin API.
 */
export async function sendMailDelivery(
  deps: NotifyDeps,
  settings: NotifySettings,
  claimed: Claimed,
  token: string,
): Promise<SendOutcome> {
  const mailer = deps.mailer
  const row = await deps.db
    .selectFrom('mail_deliveries as m')
    .innerJoin('events as ev', 'ev.id', 'm.event_id')
    .select(['m.address', 'm.message_id', 'ev.id', 'ev.type', 'ev.occurred_at', 'ev.data'])
    .where('m.id', '=', claimed.id)
    .executeTakeFirstOrThrow()
  let outcome: { ok: true; response: string } | { ok: false; error: AppError }
  if (mailer === undefined) {
    outcome = {
      ok: false,
      error: new AppError('provider_unavailable', 'mail is off (no SMTP_URL)', { retryable: true }),
    }
  } else {
    try {
      const context = {
        event: { id: row.id, occurred_at: row.occurred_at.toISOString() },
        customer: { email: row.address },
        data: row.data,
      } as MailContext<EventType>
      const mail = renderMail(row.type, context, {
        overrideDir: deps.config.mail.templatesDir,
        operator: mailOperator(deps.config),
      })
      const sent = await mailer.send({ to: row.address, messageId: row.message_id, ...mail })
      outcome = sent.accepted
        ? { ok: true, response: sent.response }
        : { ok: false, error: new AppError('provider_error', `refused: ${sent.response}`, { retryable: false }) }
    } catch (err) {
      outcome = {
        ok: false,
        error:
          err instanceof AppError ? err : new AppError('internal_error', (err as Error).message, { retryable: true }),
      }
    }
  }
  const now = deps.clock.now()
  return deps.db.transaction().execute(async trx => {
    const base = trx
      .updateTable('mail_deliveries')
      .where('id', '=', claimed.id)
      .where('lease_token', '=', token)
      .where('state', '=', 'sending')
    if (outcome.ok) {
      const res = await base
        .set({
          state: 'delivered',
          sent_at: now,
          smtp_response: outcome.response.slice(0, 500),
          last_error: null,
          lease_token: null,
          lease_until: null,
          updated_at: now,
        })
        .executeTakeFirst()
      return Number(res.numUpdatedRows) === 1 ? 'delivered' : 'lost'
    }
    const next = outcome.error.retryable
      ? nextAttemptAt(claimed.attempts - claimed.round_start, now, settings.random)
      : null
    const res = await base
      .set({
        state: next === null ? 'failed' : 'pending',
        next_attempt_at: next ?? now,
        last_error: outcome.error.message.slice(0, 1000),
        lease_token: null,
        lease_until: null,
        updated_at: now,
      })
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) return 'lost'
    return next === null ? 'failed' : 'retry'
  })
}
