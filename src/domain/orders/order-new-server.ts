import { actorOf } from '../auth/api-keys.ts'
import type { Deps } from '../../deps.ts'
import type { Principal } from '../auth/api-keys.ts'
import type { Cents } from '../../lib/money.ts'
import { newUuid } from '../../lib/ids.ts'
import { generatePassword } from '../../lib/secret-box.ts'
import { addHours, TERM_HOURS } from '../billing/pricing.ts'
import { getLocation, getOsImage, getVpsPlan } from '../catalog/lookups.ts'
import { requireUser } from '../access/authorize.ts'
import { validation } from '../../lib/errors.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { executeOrder, type OrderMeta, type OrderResult } from './execute-order.ts'
import { nextOrderNumber } from './order-number.ts'
import { amountAsNumber, formatAmount, orderBalances } from './render.ts'
import { orderOutcome } from './outcome.ts'
import { allInOrder } from '../../lib/all-in-order.ts'
import { chargeFor, type PaymentMethod } from './charge.ts'
import { checkInitial } from '../state/transition.ts'
import { recordOrderEvent } from '../events/record-object-event.ts'
import { ORDER } from '../state/orders.ts'
import { SERVER } from '../state/servers.ts'

export interface NewServerInput {
  userId: string
  planId: string
  osImageId: string
  location: string
  nameServer?: string
  paymentMethod?: PaymentMethod
}

const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/

/** The checks of a new-server order (403/404/400), shared with its quote (`quote-order.ts`). */
export async function prepareNewServer(deps: Deps, principal: Principal, input: NewServerInput) {
  // Independent look-ups, side by side; each throws its own 403/404.
  const [user, plan, os, location] = await allInOrder([
    requireUser(deps.db, principal, input.userId, 'use'),
    getVpsPlan(deps.db, input.planId),
    getOsImage(deps.db, input.osImageId),
    getLocation(deps.db, input.location),
  ])
  if (plan.os_image_ids.length > 0 && !plan.os_image_ids.includes(os.id)) {
    throw validation(`os_image_id '${os.id}' is not offered with plan '${plan.id}'`, 'os_image_id')
  }
  if (input.nameServer !== undefined && !HOSTNAME.test(input.nameServer)) {
    throw validation(
      'name_server must be 1-63 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit',
      'name_server',
    )
  }
  return { user, plan, os, location }
}

/** The price of a new server ordered at `now`: one term of its plan. The order and its quote both use it. */
export function priceNewServer(plan: { price_cents: Cents }, now: Date) {
  return { amount: plan.price_cents, hours: TERM_HOURS, newExpiry: addHours(now, TERM_HOURS) }
}

/** Orders a new VPS (docs/0xhost-compat.md 3.9): one 720-hour term of the plan, paid from the balance or by crypto. */
export async function orderNewServer(deps: Deps, meta: OrderMeta, input: NewServerInput): Promise<OrderResult> {
  return executeOrder(deps, meta, {
    prepare: async () => {
      const { user, plan, os, location } = await prepareNewServer(deps, meta.principal, input)
      return {
        commit: async trx => {
          const now = deps.clock.now()
          const price = priceNewServer(plan, now)
          const orderId = newUuid()
          const serverId = newUuid()
          const password = generatePassword()
          const orderNumber = await nextOrderNumber(trx, 'new_server', now)
          const charge = chargeFor(deps, input.paymentMethod, price.amount)
          await trx
            .insertInto('orders')
            .values({
              id: orderId,
              user_id: user.id,
              order_number: orderNumber,
              order_type: 'new_server',
              status: checkInitial(ORDER, charge.status('processing')),
              payment_method: charge.method,
              server_id: serverId,
              plan_id: plan.id,
              amount_cents: price.amount,
              hours: price.hours,
              metadata: JSON.stringify({ plan_name: plan.name, location: location.name, os_image_id: os.id }),
              term_starts_at: now,
              description: `VPS ${plan.name}, ${TERM_HOURS} h`,
            })
            .execute()
          await trx
            .insertInto('servers')
            .values({
              id: serverId,
              user_id: user.id,
              plan_id: plan.id,
              os_image_id: os.id,
              location_id: location.id,
              name: input.nameServer ?? `vps-${serverId.slice(0, 8)}`,
              status: checkInitial(SERVER, charge.status('provisioning')),
              expire_date: price.newExpiry,
            })
            .execute()
          const jobId = await enqueueJob(trx, {
            kind: JobKind.serverCreate,
            payload: { serverId, orderId },
            orderId,
            maxAttempts: deps.config.jobMaxAttempts,
            secret: { box: deps.secretBox, value: password },
            state: charge.jobState,
          })
          // Before the debit: the user's row is locked from the debit to the commit, so what can
          // come first does (the hot-customer throughput is bounded by that lock).
          await recordOrderEvent(trx, 'order.created', orderId, now)
          const paymentId = await charge.pay(trx, {
            principal: meta.principal,
            userId: user.id,
            orderId,
            orderNumber,
            reason: `${orderNumber}: VPS ${plan.name}`,
            actor: actorOf(meta.principal),
            description: `VPS ${plan.name}, ${TERM_HOURS} h`,
            ip: meta.ip,
            now,
          })
          return {
            orderId,
            jobId: charge.pending ? undefined : jobId,
            paymentId,
            extras: { password },
            eventRecorded: true,
          }
        },
      }
    },
    respond: async (orderId, extras) => {
      const order = await deps.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow()
      const [server, { before }] = await Promise.all([
        deps.db.selectFrom('servers').selectAll().where('id', '=', order.server_id!).executeTakeFirstOrThrow(),
        orderBalances(deps.db, orderId),
      ])
      return {
        ...orderOutcome(order),
        amount: amountAsNumber(order.amount_cents),
        balance_before: formatAmount(before),
        type: 'new_server',
        plan_id: order.plan_id,
        password: extras.password ?? null,
        hours_purchased: String(order.hours),
        upgrade_difference: 0,
        order_id: order.id,
        status: order.status,
        server_status: {
          new_id: server.id,
          id_solusvm: server.id_solusvm,
          name: server.name,
          metadata: extras.password !== undefined ? `password=${extras.password}` : '',
          primary_ip: server.primary_ip,
          status: server.status,
        },
      }
    },
  })
}
