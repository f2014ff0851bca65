import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import type { DeliveryState } from '../../db/states.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { UNDELIVERED } from '../webhooks/list-deliveries.ts'
import { writeAudit } from '../admin/audit-log.ts'
import type { AdminMeta } from '../admin/meta.ts'

export interface MailDeliveryView {
  id: string
  event_id: string
  event_type: string
  user_id: string | null
  address: string
  message_id: string
  state: DeliveryState
  attempts: number
  next_attempt_at: string | null
  last_error: string | null
  /** The SMTP server's answer when it took the message. */
  smtp_response: string | null
  sent_at: string | null
  created_at: string
}

function query(db: Db, f: { userId?: string; states?: readonly DeliveryState[]; eventId?: string }) {
  let q = db
    .selectFrom('mail_deliveries as m')
    .innerJoin('events as ev', 'ev.id', 'm.event_id')
    .select([
      'm.id',
      'm.event_id',
      'ev.type as event_type',
      'm.user_id',
      'm.address',
      'm.message_id',
      'm.state',
      'm.attempts',
      'm.next_attempt_at',
      'm.lease_until',
      'm.last_error',
      'm.smtp_response',
      'm.sent_at',
      'm.created_at',
    ])
    .orderBy('m.id', 'desc')
  if (f.userId !== undefined) q = q.where('m.user_id', '=', f.userId)
  if (f.states !== undefined && f.states.length > 0) q = q.where('m.state', 'in', f.states)
  if (f.eventId !== undefined) q = q.where('m.event_id', '=', f.eventId)
  return q
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>

const view = (r: Row): MailDeliveryView => ({
  id: r.id,
  event_id: r.event_id,
  event_type: r.event_type,
  user_id: r.user_id,
  address: r.address,
  message_id: r.message_id,
  state: r.state,
  attempts: r.attempts,
  next_attempt_at:
    (r.state === 'pending' ? r.next_attempt_at : r.state === 'sending' ? r.lease_until : null)?.toISOString() ?? null,
  last_error: r.last_error,
  smtp_response: r.smtp_response,
  sent_at: r.sent_at?.toISOString() ?? null,
  created_at: r.created_at.toISOString(),
})

/** The mail sent (or still to send) to one customer, newest first. */
export async function listOwnMail(
  db: Db,
  input: { userId: string; states?: readonly DeliveryState[]; eventId?: string; page: PageRequest },
) {
  const { rows, meta } = await fetchPage(query(db, input), input.page)
  return { data: rows.map(view), meta }
}

/** Every mail (admin), by default those not delivered: pending, being sent, or failed. */
export async function listAllMail(
  db: Db,
  input: { userId?: string; states?: readonly DeliveryState[]; eventId?: string; page: PageRequest },
) {
  const states = input.states === undefined || input.states.length === 0 ? UNDELIVERED : input.states
  const { rows, meta } = await fetchPage(query(db, { ...input, states }), input.page)
  return { data: rows.map(view), meta }
}

/**
 * Sends a failed or abandoned mail again, with its Message-ID and a fresh retry schedule (an
 * operator fixed the SMTP settings or the template). A delivered one is not sent twice.
 */
export async function retryMail(db: Db, meta: AdminMeta, id: string, now: Date) {
  const res = await db.transaction().execute(async trx => {
    const m = await trx
      .selectFrom('mail_deliveries')
      .select(['id', 'state'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!m) throw notFound('mail_delivery', id)
    if (m.state !== 'failed' && m.state !== 'abandoned') {
      throw new AppError('invalid_state', `the mail is ${m.state}; only failed or abandoned mail is retried`, {
        details: { state: m.state },
      })
    }
    await trx
      .updateTable('mail_deliveries')
      .set({ state: 'pending', round_start: sql<number>`attempts`, next_attempt_at: now, updated_at: now })
      .where('id', '=', id)
      .execute()
    await writeAudit(trx, {
      actor: meta.actor,
      requestId: meta.requestId,
      action: 'mail_delivery.retry',
      targetType: 'mail_delivery',
      targetId: id,
      details: { previous_state: m.state },
    })
    return query(trx, {}).where('m.id', '=', id).executeTakeFirstOrThrow()
  })
  return { mail: view(res) }
}
