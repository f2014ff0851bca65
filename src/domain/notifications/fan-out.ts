import { sql } from 'kysely'
import { newId } from '../../lib/ids.ts'
import { mailMessageId } from '../../integrations/mail/mailer.ts'
import type { NotifyDeps } from './notify-deps.ts'

const normalize = (address: string) => address.trim().toLowerCase()

/**
 * Turns committed events into deliveries: one webhook delivery per (event, enabled endpoint that
 * subscribes to its type: the customer's own, and every operator endpoint) and one mail per
 * (event, address: the customer's chosen or account address, or the operator's for events of no
 * customer). Events are claimed with SKIP LOCKED and marked fanned out in the same transaction,
 * and the unique keys (event, endpoint) and (event, address) make a repeat insert nothing — so a
 * crash before the commit repeats the batch, never a delivery. Returns how many events it took.
 */
export async function fanOutEvents(deps: NotifyDeps, limit: number): Promise<number> {
  const now = deps.clock.now()
  const mailOn = deps.mailer !== undefined
  return deps.db.transaction().execute(async trx => {
    const events = await trx
      .selectFrom('events')
      .select(['seq', 'id', 'type', 'user_id'])
      .where(sql<boolean>`NOT fanned_out`)
      .orderBy('seq')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()
    if (events.length === 0) return 0
    const userIds = [...new Set(events.flatMap(e => (e.user_id === null ? [] : [e.user_id])))]

    const endpoints = await trx
      .selectFrom('webhook_endpoints')
      .select(['id', 'user_id', 'event_types'])
      .where('status', '=', 'enabled')
      .where(eb =>
        userIds.length === 0
          ? eb('user_id', 'is', null)
          : eb.or([eb('user_id', 'is', null), eb('user_id', 'in', userIds)]),
      )
      .execute()
    const hooks = events.flatMap(ev =>
      endpoints
        .filter(ep => (ep.user_id === null || ep.user_id === ev.user_id) && wants(ep.event_types, ev.type))
        .map(ep => ({ id: newId('webhookDelivery'), event_id: ev.id, endpoint_id: ep.id, next_attempt_at: now })),
    )

    const mails: Array<{ event_id: string; user_id: string | null; address: string }> = []
    if (mailOn) {
      const recipients =
        userIds.length === 0
          ? []
          : await trx
              .selectFrom('users as u')
              .leftJoin('mail_preferences as mp', 'mp.user_id', 'u.id')
              .select(['u.id', 'u.email', 'mp.enabled', 'mp.address', 'mp.event_types'])
              .where('u.id', 'in', userIds)
              .execute()
      const byUser = new Map(recipients.map(r => [r.id, r]))
      const operator = deps.config.mail.operatorAddress
      for (const ev of events) {
        if (ev.user_id === null) {
          if (operator !== undefined) mails.push({ event_id: ev.id, user_id: null, address: normalize(operator) })
          continue
        }
        const r = byUser.get(ev.user_id)
        if (!r || r.enabled === false) continue
        if (r.event_types !== null && r.event_types !== undefined && !r.event_types.includes(ev.type)) continue
        const address = r.address ?? r.email
        if (address.trim() === '') continue
        mails.push({ event_id: ev.id, user_id: ev.user_id, address: normalize(address) })
      }
    }

    if (hooks.length > 0) {
      await trx
        .insertInto('webhook_deliveries')
        .values(hooks)
        .onConflict(oc => oc.columns(['event_id', 'endpoint_id']).doNothing())
        .execute()
    }
    if (mails.length > 0) {
      const from = deps.config.mail.fromAddress
      await trx
        .insertInto('mail_deliveries')
        .values(
          mails.map(m => ({
            id: newId('mailDelivery'),
            ...m,
            message_id: mailMessageId(m.event_id, m.address, from),
            next_attempt_at: now,
          })),
        )
        .onConflict(oc => oc.columns(['event_id', 'address']).doNothing())
        .execute()
    }
    await trx
      .updateTable('events')
      .set({ fanned_out: true })
      .where(
        'seq',
        'in',
        events.map(e => e.seq),
      )
      .execute()
    return events.length
  })
}

/** An endpoint with no types listed takes every event. */
const wants = (types: readonly string[], type: string) => types.length === 0 || types.includes(type)
