import { actorOf } from '../auth/api-keys.ts'
import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { newUuid } from '../../lib/ids.ts'
import { addHours, hourlyExtensionPrice } from '../billing/pricing.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { executeOrder, type OrderMeta, type OrderResult } from './execute-order.ts'
import { nextOrderNumber } from './order-number.ts'
import { lockServerForOrder, respondServerOrder } from './change-server-plan.ts'
import { recordPeriod } from '../billing/periods.ts'
import { chargeFor, type PaymentMethod } from './charge.ts'
import { resumePaidServer } from '../lifecycle/resume-paid-server.ts'
import { checkInitial } from '../state/transition.ts'
import { ORDER } from '../state/orders.ts'

export interface ExtendInput {
  userId: string
  serverId: string
  hours: number
  paymentMethod?: PaymentMethod
}

/** Hours one extension may buy: up to a year at a time. */
export const MAX_EXTENSION_HOURS = 8760

/** The checks of an extension before its transaction (403/404), shared with its quote. */
export async function prepareExtension(deps: Deps, principal: Principal, input: ExtendInput) {
  const user = await requireUser(deps.db, principal, input.userId, 'use')
  const server = await requireOwned(deps.db, principal, 'servers', input.serverId, { access: 'use', owner: user })
  return { user, server }
}

/**
 * The price of `hours` of a server at `now`, in the order's transaction: locks the server and
 * refuses it as the order does, then prices the hours and the term they add (from the expiry, or
 * from now if expired). The order and its quote (in a transaction it rolls back) both call it.
 */
export async function priceExtension(trx: Db, serverId: string, hours: number, now: Date) {
  const locked = await lockServerForOrder(trx, serverId, now, ['active', 'suspended'])
  const plan = await trx
    .selectFrom('vps_plans')
    .select(['price_cents', 'name'])
    .where('id', '=', locked.plan_id)
    .executeTakeFirstOrThrow()
  const amount = hourlyExtensionPrice(plan.price_cents, hours)
  const from = locked.expire_date > now ? locked.expire_date : now
  return { locked, plan, amount, from, newExpire: addHours(from, hours) }
}

/**
 * Extends a server's rental by whole hours (docs/0xhost-compat.md 3.10) at price × hours / 720. The term
 * grows from the current expiry, or from now if the server has already expired. Nothing changes
 * at SolusVM, so a balance extension completes in its own transaction, with no job. A crypto one
 * writes a blocked `server.extend` job that applies the hours when the invoice is paid (from the
 * expiry, or the payment time if the server expired meanwhile). Either way, a suspended server
 * whose new term runs into the future gets a `server.resume` job.
 */
export async function extendServer(deps: Deps, meta: OrderMeta, input: ExtendInput): Promise<OrderResult> {
  return executeOrder(deps, meta, {
    prepare: async () => {
      const { user, server } = await prepareExtension(deps, meta.principal, input)
      return {
        commit: async trx => {
          const now = deps.clock.now()
          const { locked, plan, amount, from, newExpire } = await priceExtension(trx, server.id, input.hours, now)
          const orderId = newUuid()
          const orderNumber = await nextOrderNumber(trx, 'renew_server', now)
          const charge = chargeFor(deps, input.paymentMethod, amount)
          await trx
            .insertInto('orders')
            .values({
              id: orderId,
              user_id: user.id,
              order_number: orderNumber,
              order_type: 'renew_server',
              status: checkInitial(ORDER, charge.status('completed')),
              payment_method: charge.method,
              server_id: server.id,
              plan_id: locked.plan_id,
              amount_cents: amount,
              hours: input.hours,
              metadata: JSON.stringify({
                previous_expire_date: locked.expire_date.toISOString(),
                new_expire_date: newExpire.toISOString(),
              }),
              description: `Extension of ${input.hours} h`,
            })
            .execute()
          const paymentId = await charge.pay(trx, {
            principal: meta.principal,
            userId: user.id,
            orderId,
            orderNumber,
            reason: `${orderNumber}: ${input.hours} h of ${plan.name}`,
            actor: actorOf(meta.principal),
            description: `${input.hours} h of ${plan.name}`,
            ip: meta.ip,
            now,
            serviceExpiresAt: locked.expire_date,
          })
          if (charge.pending) {
            await enqueueJob(trx, {
              kind: JobKind.serverExtend,
              payload: { serverId: server.id, orderId, hours: input.hours },
              orderId,
              maxAttempts: deps.config.jobMaxAttempts,
              state: 'blocked',
            })
            return { orderId, paymentId }
          }
          await trx
            .updateTable('servers')
            .set({ expire_date: newExpire, updated_at: now })
            .where('id', '=', server.id)
            .execute()
          await recordPeriod(trx, {
            userId: user.id,
            serviceKind: 'server',
            serviceId: server.id,
            orderId,
            kind: 'term',
            planId: locked.plan_id,
            startsAt: from,
            endsAt: newExpire,
            amount,
          })
          // A suspended server that is paid up again is resumed by a job this request runs at once.
          const jobId = await resumePaidServer(trx, {
            serverId: server.id,
            status: locked.status,
            newExpire,
            now,
            maxAttempts: deps.config.jobMaxAttempts,
          })
          return { orderId, jobId }
        },
      }
    },
    respond: async orderId => respondServerOrder(deps, orderId, 'renew_server'),
  })
}
