import { actorOf } from '../auth/api-keys.ts'
import type { Deps } from '../../deps.ts'
import { newUuid } from '../../lib/ids.ts'
import { quotePlanChange, secondsUntil, TERM_HOURS } from '../billing/pricing.ts'
import { getVpsPlan } from '../catalog/lookups.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { AppError, validation } from '../../lib/errors.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { executeOrder, type OrderMeta, type OrderResult } from './execute-order.ts'
import { nextOrderNumber } from './order-number.ts'
import { amountAsNumber, formatAmount, orderBalances, renderServerRow } from './render.ts'
import { orderOutcome } from './outcome.ts'
import { chargeFor, type PaymentMethod } from './charge.ts'
import type { Db } from '../../db/connect.ts'
import { assertNoOpenOrder } from './open-orders.ts'
import { moveServer } from '../state/servers.ts'
import { checkInitial } from '../state/transition.ts'
import { ORDER } from '../state/orders.ts'

export interface ChangePlanInput {
  userId: string
  serverId: string
  planId: string
  paymentMethod?: PaymentMethod
}

/**
 * Changes a server's plan (docs/0xhost-compat.md 3.11): the remaining term is re-valued at the new price and a new
 * 720-hour term is bought. Quoted here on the remaining time now; the server is `resizing` and no
 * other order may be placed on it until this one ends. When the change takes effect (the job's
 * final transaction) it is settled on the remaining time then (`settlePlanChange`).
 */
export async function changeServerPlan(deps: Deps, meta: OrderMeta, input: ChangePlanInput): Promise<OrderResult> {
  return executeOrder(deps, meta, {
    prepare: async () => {
      const user = await requireUser(deps.db, meta.principal, input.userId, 'use')
      const server = await requireOwned(deps.db, meta.principal, 'servers', input.serverId, {
        access: 'use',
        owner: user,
      })
      const newPlan = await getVpsPlan(deps.db, input.planId)
      if (server.plan_id === newPlan.id) throw validation(`the server is already on plan '${newPlan.id}'`, 'plan_id')
      return {
        commit: async trx => {
          const now = deps.clock.now()
          const locked = await lockServerForOrder(trx, server.id, now)
          const oldPlan = await trx
            .selectFrom('vps_plans')
            .select('price_cents')
            .where('id', '=', locked.plan_id)
            .executeTakeFirstOrThrow()
          const quote = quotePlanChange({
            oldPrice: oldPlan.price_cents,
            newPrice: newPlan.price_cents,
            remainingSeconds: secondsUntil(locked.expire_date, now),
          })
          const orderId = newUuid()
          const orderNumber = await nextOrderNumber(trx, 'scale_server', now)
          const charge = chargeFor(deps, input.paymentMethod, quote.amount)
          await trx
            .insertInto('orders')
            .values({
              id: orderId,
              user_id: user.id,
              order_number: orderNumber,
              order_type: 'scale_server',
              status: checkInitial(ORDER, charge.status('processing')),
              payment_method: charge.method,
              server_id: server.id,
              plan_id: newPlan.id,
              amount_cents: quote.amount,
              upgrade_difference_cents: quote.upgradeDifference,
              credit_cents: quote.credit,
              hours: TERM_HOURS,
              metadata: JSON.stringify({
                previous_plan_id: locked.plan_id,
                new_plan_id: newPlan.id,
                remaining_seconds: Number(secondsUntil(locked.expire_date, now)),
              }),
              description: `Change of plan to ${newPlan.name}, ${TERM_HOURS} h`,
            })
            .execute()
          const paymentId = await charge.pay(trx, {
            principal: meta.principal,
            userId: user.id,
            orderId,
            orderNumber,
            reason: `${orderNumber}: plan change to ${newPlan.name}`,
            actor: actorOf(meta.principal),
            description: `Change of plan to ${newPlan.name}, ${TERM_HOURS} h`,
            ip: meta.ip,
            now,
            serviceExpiresAt: locked.expire_date,
          })
          // Also while awaiting payment: the quote is priced on this remaining time, so no second change may be.
          // Locked as active above (lockServerForOrder).
          await moveServer(trx, server.id, { from: 'active', to: 'resizing', now })
          const jobId = await enqueueJob(trx, {
            kind: JobKind.serverResize,
            payload: { serverId: server.id, orderId, newPlanId: newPlan.id },
            orderId,
            maxAttempts: deps.config.jobMaxAttempts,
            state: charge.jobState,
          })
          return { orderId, jobId: charge.pending ? undefined : jobId, paymentId }
        },
      }
    },
    respond: async orderId => respondServerOrder(deps, orderId, 'scale_server'),
  })
}

/**
 * Locks the server row for the order transaction, refuses while another order on it is open
 * (`assertNoOpenOrder`), and insists it is in a state that can be changed.
 */
export async function lockServerForOrder(trx: Db, serverId: string, now: Date, allowed: string[] = ['active']) {
  const read = () =>
    trx.selectFrom('servers').selectAll().where('id', '=', serverId).forUpdate().executeTakeFirstOrThrow()
  let s = await read()
  if (await assertNoOpenOrder(trx, { kind: 'server', id: serverId }, now)) s = await read()
  if (!allowed.includes(s.status)) {
    throw new AppError('invalid_state', `the server is ${s.status}; this order needs it ${allowed.join(' or ')}`, {
      details: { status: s.status },
    })
  }
  return s
}

/** The documented response of scale and renew orders: top-level amounts plus the full server row. */
export async function respondServerOrder(deps: Deps, orderId: string, type: 'scale_server' | 'renew_server') {
  const order = await deps.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow()
  const { before } = await orderBalances(deps.db, orderId)
  return {
    ...orderOutcome(order),
    amount: amountAsNumber(order.amount_cents),
    balance_before: formatAmount(before),
    type,
    // The docs show plan_id as a string for a plan change and as an integer for an extension.
    plan_id:
      type === 'scale_server'
        ? order.plan_id
        : Number.isNaN(Number(order.plan_id))
          ? order.plan_id
          : Number(order.plan_id),
    password: null,
    hours_purchased: String(order.hours),
    upgrade_difference: amountAsNumber(order.upgrade_difference_cents),
    order_id: order.id,
    status: order.status,
    server_status: await renderServerRow(deps.db, order.server_id!),
  }
}
