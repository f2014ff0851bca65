import { metadataString } from '../orders/metadata-string.ts'
import type { Db } from '../../db/connect.ts'
import type { OrderType } from '../../db/states.ts'
import type { Principal } from '../auth/api-keys.ts'
import { notFound } from '../../lib/errors.ts'
import { formatAmount } from '../../lib/money.ts'
import { TERM_HOURS } from '../billing/pricing.ts'
import { formatTimestamp, idAsDocumented } from '../orders/render.ts'
import { fetchPage, pageMeta, type PageRequest } from '../../db/paginate.ts'
import { ownedBy, ownerScope, requireUser } from '../access/authorize.ts'

export interface ListOrdersInput {
  principal: Principal
  userId?: string
  /** The type filter (`type_order` or `order_type` in the docs); any value, an unknown one matches nothing. */
  orderType?: string
  /** One order by id: a list of one, or 404 when it is not the acting user's. */
  orderId?: string
  page: PageRequest
}

/** Order types that describe a server; their rows carry the server's name, image, version and location. */
const SERVER_ORDERS = new Set(['new_server', 'scale_server', 'renew_server'])

/**
 * The documented order list (docs/0xhost-compat.md 3.6–3.8), newest first, with paging metadata the docs
 * lack. `metadata` is the documented `key=value, …` string (never "Array", never a password) and
 * `details` the order's JSON object; `service_id`
 * names what the order bought (server, addon assignment or Plesk subscription).
 */
export async function listOrders(db: Db, input: ListOrdersInput) {
  let query = ordersQuery(db)
  if (input.orderId !== undefined) {
    const owner = await ownerScope(db, input.principal, input.userId)
    const row = await query.where('orders.id', '=', input.orderId).executeTakeFirst()
    if (
      !row ||
      !ownedBy(input.principal, row, owner) ||
      (input.orderType !== undefined && row.order_type !== input.orderType)
    ) {
      throw notFound('order', input.orderId)
    }
    return { data: [orderRow(row)], meta: pageMeta(1, { page: 1, perPage: input.page.perPage, offset: 0 }) }
  }
  const userId = (await requireUser(db, input.principal, input.userId, 'read')).id
  query = query.where('orders.user_id', '=', userId)
  if (input.orderType !== undefined) query = query.where('orders.order_type', '=', input.orderType as OrderType)
  const { rows, meta } = await fetchPage(
    query.orderBy('orders.created_at', 'desc').orderBy('orders.id', 'desc'),
    input.page,
  )
  return { data: rows.map(orderRow), meta }
}

function ordersQuery(db: Db) {
  return db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.user_id')
    .leftJoin('servers', 'servers.id', 'orders.server_id')
    .leftJoin('os_images', 'os_images.id', 'servers.os_image_id')
    .leftJoin('locations', 'locations.id', 'servers.location_id')
    .leftJoin('plesk_subscriptions', 'plesk_subscriptions.id', 'orders.subscription_id')
    .selectAll('orders')
    .select([
      'users.username',
      'servers.name as server_name',
      'servers.os_image_id as server_os_image_id',
      'os_images.version as os_version',
      'locations.name as location_name',
      'plesk_subscriptions.domain_name as subscription_domain',
    ])
}

type OrderJoinRow = NonNullable<Awaited<ReturnType<ReturnType<typeof ordersQuery>['executeTakeFirst']>>>

function orderRow(o: OrderJoinRow) {
  const server = SERVER_ORDERS.has(o.order_type)
  return {
    id: o.id,
    user_id: o.user_id,
    server_id: o.server_id,
    service_id: o.subscription_id ?? o.server_addon_id ?? o.server_id,
    order_number: o.order_number,
    order_type: o.order_type,
    status: o.status,
    name_server: server ? o.server_name : null,
    plan_id: o.plan_id === null ? null : idAsDocumented(o.plan_id),
    os_image_id: server && o.server_os_image_id !== null ? idAsDocumented(o.server_os_image_id) : null,
    versions: server ? o.os_version : null,
    location: server ? o.location_name : null,
    // An integer, as documented: the hours bought; a Plesk order's months in 720-hour months; 0 for an addon (it has no term of its own).
    rental_duration_hours: o.hours ?? (o.months !== null ? o.months * TERM_HOURS : 0),
    amount: formatAmount(o.amount_cents),
    currency: o.currency,
    metadata: metadataString(o.metadata),
    details: o.metadata,
    domain_name: o.subscription_domain,
    domain_registration_term: null,
    domain_suffix: null,
    description: o.description,
    created_at: formatTimestamp(o.created_at)!,
    updated_at: formatTimestamp(o.updated_at)!,
    username: o.username,
  }
}
