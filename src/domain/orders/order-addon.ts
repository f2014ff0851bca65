import { actorOf } from '../auth/api-keys.ts'
import { metadataString } from './metadata-string.ts'
import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import type { Cents } from '../../lib/money.ts'
import { newUuid } from '../../lib/ids.ts'
import { getAddon } from '../catalog/lookups.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { AppError } from '../../lib/errors.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { executeOrder, type OrderMeta, type OrderResult } from './execute-order.ts'
import { nextOrderNumber } from './order-number.ts'
import { lockServerForOrder } from './change-server-plan.ts'
import { formatAmount } from './render.ts'
import { orderOutcome } from './outcome.ts'
import { chargeFor, type PaymentMethod } from './charge.ts'
import { checkInitial } from '../state/transition.ts'
import { ORDER } from '../state/orders.ts'
import { SERVER_ADDON } from '../state/servers.ts'

export interface AddonInput {
  userId: string
  addonId: string
  serverId: string
  paymentMethod?: PaymentMethod
}

/** Addon kinds oxbill can deliver; an addon of another kind cannot be ordered yet. */
const DELIVERABLE = new Set(['ipv4'])

/** The checks of an addon order before its transaction (403/404/409), shared with its quote. */
export async function prepareAddon(deps: Deps, principal: Principal, input: AddonInput) {
  const user = await requireUser(deps.db, principal, input.userId, 'use')
  const addon = await getAddon(deps.db, input.addonId)
  const server = await requireOwned(deps.db, principal, 'servers', input.serverId, { access: 'use', owner: user })
  if (!DELIVERABLE.has(addon.kind)) {
    throw new AppError('invalid_state', `addon '${addon.id}' (${addon.kind}) cannot be delivered automatically`)
  }
  return { user, addon, server }
}

/**
 * The price of an addon at `now`, in the order's transaction: locks the server and refuses it as
 * the order does; the addon's price is charged whole (it then shares the server's term). The
 * order and its quote (in a transaction it rolls back) both call it.
 */
export async function priceAddon(trx: Db, serverId: string, addon: { price_cents: Cents }, now: Date) {
  const locked = await lockServerForOrder(trx, serverId, now)
  return { locked, amount: addon.price_cents }
}

/** Buys an addon for a server (docs/0xhost-compat.md 3.14). Its price is charged now; it shares the server's term afterwards. */
export async function orderAddon(deps: Deps, meta: OrderMeta, input: AddonInput): Promise<OrderResult> {
  return executeOrder(deps, meta, {
    prepare: async () => {
      const { user, addon, server } = await prepareAddon(deps, meta.principal, input)
      return {
        commit: async trx => {
          const now = deps.clock.now()
          const { locked, amount } = await priceAddon(trx, server.id, addon, now)
          const orderId = newUuid()
          const serverAddonId = newUuid()
          const orderNumber = await nextOrderNumber(trx, 'addon', now)
          const charge = chargeFor(deps, input.paymentMethod, amount)
          await trx
            .insertInto('orders')
            .values({
              id: orderId,
              user_id: user.id,
              order_number: orderNumber,
              order_type: 'addon',
              status: checkInitial(ORDER, charge.status('processing')),
              payment_method: charge.method,
              server_id: server.id,
              server_addon_id: serverAddonId,
              amount_cents: amount,
              metadata: JSON.stringify({
                addon_id: addon.id,
                addon_name: addon.name,
                kind: addon.kind,
                server_id: server.id,
              }),
              description: addon.name,
            })
            .execute()
          const paymentId = await charge.pay(trx, {
            principal: meta.principal,
            userId: user.id,
            orderId,
            orderNumber,
            reason: `${orderNumber}: ${addon.name}`,
            actor: actorOf(meta.principal),
            description: addon.name,
            ip: meta.ip,
            now,
            serviceExpiresAt: locked.expire_date,
          })
          await trx
            .insertInto('server_addons')
            .values({
              id: serverAddonId,
              addon_id: addon.id,
              server_id: server.id,
              user_id: user.id,
              order_id: orderId,
              assigned_price_cents: amount,
              status: checkInitial(SERVER_ADDON, charge.status('unassigned')),
            })
            .execute()
          const jobId = await enqueueJob(trx, {
            kind: JobKind.addonIpv4,
            payload: { serverAddonId, orderId },
            orderId,
            maxAttempts: deps.config.jobMaxAttempts,
            state: charge.jobState,
          })
          return { orderId, jobId: charge.pending ? undefined : jobId, paymentId }
        },
      }
    },
    respond: async orderId => {
      const order = await deps.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow()
      const sa = await deps.db
        .selectFrom('server_addons')
        .selectAll()
        .where('id', '=', order.server_addon_id!)
        .executeTakeFirstOrThrow()
      return {
        ...orderOutcome(order),
        order: {
          id: order.id,
          order_number: order.order_number,
          status: order.status,
          metadata: metadataString(order.metadata),
          details: order.metadata,
          amount: formatAmount(order.amount_cents),
          currency: order.currency,
        },
        addon_server: {
          id: sa.id,
          addon_id: sa.addon_id,
          server_id: sa.server_id,
          user_id: sa.user_id,
          assigned_price: formatAmount(sa.assigned_price_cents),
          status: sa.status,
          assigned_value: sa.assigned_value,
        },
      }
    },
  })
}
