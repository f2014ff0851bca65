import { sql } from 'kysely'
import { newUuid } from '../../lib/ids.ts'
import { debit } from '../billing/ledger.ts'
import { addHours, hourlyExtensionPrice, TERM_HOURS } from '../billing/pricing.ts'
import { AppError } from '../../lib/errors.ts'
import { nextOrderNumber } from '../orders/order-number.ts'
import { autoRenewWindowHours, LIFECYCLE_ACTOR, type LifecycleDeps } from './settings.ts'
import { recordPeriod } from '../billing/periods.ts'
import { hasOpenOrder } from '../orders/open-orders.ts'
import { checkInitial } from '../state/transition.ts'
import { ORDER } from '../state/orders.ts'
import { recordServiceEvent } from '../events/record-object-event.ts'

/** What one auto-renewal attempt did. */
export type RenewOutcome = 'renewed' | 'skipped' | 'insufficient_balance'

/**
 * Renews one server for a 720-hour term from its owner's balance, priced and recorded like a
 * customer's extension (order `renew_server`, `order_debit`), so the ledger and order list need
 * no new kind. Once per term: the order records the expire_date it renewed (`auto_renew_for`) and
 * the row is re-checked under its lock, so overlapping runs cannot renew one term twice. A balance
 * that does not cover it rolls everything back: nothing is written, and the server will expire.
 */
export async function autoRenewServer(deps: LifecycleDeps, serverId: string): Promise<RenewOutcome> {
  try {
    return await deps.db.transaction().execute(async trx => {
      const s = await trx.selectFrom('servers').selectAll().where('id', '=', serverId).forUpdate().executeTakeFirst()
      const now = deps.clock.now()
      if (
        !s ||
        s.status !== 'active' ||
        !s.auto_renew ||
        s.cancel_at !== null ||
        s.expire_date > addHours(now, autoRenewWindowHours(deps.settings))
      ) {
        return 'skipped'
      }
      // Another order on the server (a plan change, an unpaid extension) is applied first.
      if (await hasOpenOrder(trx, { kind: 'server', id: s.id }, now)) return 'skipped'
      const term = s.expire_date.toISOString()
      const already = await trx
        .selectFrom('orders')
        .select('id')
        .where('server_id', '=', s.id)
        .where('order_type', '=', 'renew_server')
        .where(sql<string>`metadata->>'auto_renew_for'`, '=', term)
        .executeTakeFirst()
      if (already) return 'skipped'
      const plan = await trx
        .selectFrom('vps_plans')
        .select(['price_cents', 'name'])
        .where('id', '=', s.plan_id)
        .executeTakeFirstOrThrow()
      const amount = hourlyExtensionPrice(plan.price_cents, TERM_HOURS)
      const from = s.expire_date > now ? s.expire_date : now
      const newExpire = addHours(from, TERM_HOURS)
      const orderId = newUuid()
      const orderNumber = await nextOrderNumber(trx, 'renew_server', now)
      await trx
        .insertInto('orders')
        .values({
          id: orderId,
          user_id: s.user_id,
          order_number: orderNumber,
          order_type: 'renew_server',
          status: checkInitial(ORDER, 'completed'),
          payment_method: 'balance',
          server_id: s.id,
          plan_id: s.plan_id,
          amount_cents: amount,
          hours: TERM_HOURS,
          metadata: JSON.stringify({
            previous_expire_date: term,
            new_expire_date: newExpire.toISOString(),
            auto_renew_for: term,
          }),
          description: `Auto-renewal, ${TERM_HOURS} h`,
        })
        .execute()
      if (amount > 0n) {
        await debit(trx, {
          userId: s.user_id,
          amount,
          kind: 'order_debit',
          orderId,
          reason: `${orderNumber}: auto-renewal of ${plan.name}`,
          actor: LIFECYCLE_ACTOR,
        })
      }
      await trx.updateTable('servers').set({ expire_date: newExpire, updated_at: now }).where('id', '=', s.id).execute()
      await recordServiceEvent(trx, 'service.renewed', { kind: 'server', id: s.id }, now, {}, orderId)
      await recordPeriod(trx, {
        userId: s.user_id,
        serviceKind: 'server',
        serviceId: s.id,
        orderId,
        kind: 'term',
        planId: s.plan_id,
        startsAt: from,
        endsAt: newExpire,
        amount,
      })
      return 'renewed' as const
    })
  } catch (err) {
    if (err instanceof AppError && err.code === 'insufficient_balance') {
      deps.logger.info({ serverId }, 'auto-renewal skipped: the balance does not cover it')
      return 'insufficient_balance'
    }
    throw err
  }
}
