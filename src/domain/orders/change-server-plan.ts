import { actorOf } from '../auth/api-keys.ts'
import type { Deps } from '../../deps.ts'
import type { Principal } from '../auth/api-keys.ts'
import type { Cents } from '../../lib/money.ts'
import { newUuid } from '../../lib/ids.ts'
import { addHours, quotePlanChange, secondsUntil, TERM_HOURS } from '../billing/pricing.ts'
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

/** The checks of a change of plan before its transaction (403/404/400), shared with its quote. */
export async function prepareChangePlan(deps: Deps, principal: Principal, input: ChangePlanInput) {
  const user = await requireUser(deps.db, principal, input.userId, 'use')
  const server = await requireOwned(deps.db, principal, 'servers', input.serverId, { access: 'use', owner: user })
  const newPlan = await getVpsPlan(deps.db, input.planId)
  if (server.plan_id === newPlan.id) throw validation(`the server is already on plan '${newPlan.id}'`, 'plan_id')
  return { user, server, newPlan }
}

/**
 * The price of a change of plan at `now`, in the order's transaction: locks the server and
 * refuses it as the order does (another open order, not active), then quotes the remaining time.
 * The order and its quote (`quote-order.ts`, in a transaction it rolls back) both call it.
 */
export async function priceChangePlan(trx: Db, serverId: string, newPlan: { price_cents: Cents }, now: Date) {
  const locked = await lockServerForOrder(trx, serverId, now)
  const oldPlan = await trx
    .selectFrom('vps_plans')
    .select('price_cents')
    .where('id', '=', locked.plan_id)
    .executeTakeFirstOrThrow()
  const remainingSeconds = secondsUntil(locked.expire_date, now)
  const quote = quotePlanChange({ oldPrice: oldPlan.price_cents, newPrice: newPlan.price_cents, remainingSeconds })
  // What the job will set when it applies the change at this moment (server-resize.ts).
  const newExpiry = addHours(locked.expire_date > now ? locked.expire_date : now, TERM_HOURS)
  return { locked, quote, remainingSeconds, oldPrice: oldPlan.price_cents, newExpiry }
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
      const { user, server, newPlan } = await prepareChangePlan(deps, meta.principal, input)
      return {
        commit: async trx => {
          const now = deps.clock.now()
          const { locked, quote, remainingSeconds } = await priceChangePlan(trx, server.id, newPlan, now)
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
                remaining_seconds: Number(remainingSeconds),
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
 * (`assertNoOpenOrder`), and insists it is in a state that can be changed and not cancelled.
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
  // Time or resources bought now would be thrown away when the cancellation takes effect.
  if (s.cancel_at !== null) {
    throw new AppError(
      'invalid_state',
      `the server is cancelled at the end of its term (${s.cancel_at.toISOString()}); undo the cancellation before ordering on it`,
      { details: { status: s.status, cancel_at: s.cancel_at.toISOString() } },
    )
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
