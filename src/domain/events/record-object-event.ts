import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { newId } from '../../lib/ids.ts'
import type { EventType } from './catalog.ts'

/*
 * Order and service events are built in SQL from the rows they name, in one INSERT … SELECT, so
 * writing an event costs the transaction one statement however much the payload names (the
 * order path's budget), and the payload is what the transaction committed, not a copy made
 * before it. Amounts are exact (numeric division of cents) and times ISO-8601 in UTC, as
 * `EventPayloads` declares them.
 */
/** A timestamptz column as ISO-8601 UTC to the second ("2025-01-31T12:00:00Z"). */
export const iso = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`)
/** A cents column as a decimal string ("12.99"), exact (numeric division). */
export const eur = (col: string) => sql.raw(`to_char(${col}::numeric / 100, 'FM999999999999990.00')`)

/** `ServiceRef`s in SQL, over a server `s` (with its addon `sa` and `ad`), a subscription `p`. */
export const serverRef = sql`jsonb_build_object('kind', 'server', 'id', s.id, 'name', s.name, 'expires_at', ${iso('s.expire_date')})`
export const serverAddonRef = sql`jsonb_build_object('kind', 'server_addon', 'id', sa.id, 'name', ad.kind, 'expires_at', ${iso('s.expire_date')})`
export const subscriptionRef = sql`jsonb_build_object('kind', 'plesk_subscription', 'id', p.id, 'name', p.domain_name, 'expires_at', ${iso('p.expires_at')})`

const orderRef = sql`jsonb_build_object('id', o.id, 'number', o.order_number, 'type', o.order_type,
  'amount', ${eur('o.amount_cents')}, 'payment_method', o.payment_method)`

const serviceOfOrder = sql`CASE
  WHEN sa.id IS NOT NULL THEN ${serverAddonRef}
  WHEN s.id IS NOT NULL THEN ${serverRef}
  WHEN p.id IS NOT NULL THEN ${subscriptionRef}
  ELSE NULL END`

const orderJoins = sql`FROM orders o
  LEFT JOIN servers s ON s.id = o.server_id
  LEFT JOIN plesk_subscriptions p ON p.id = o.subscription_id
  LEFT JOIN server_addons sa ON sa.id = o.server_addon_id
  LEFT JOIN addons ad ON ad.id = sa.addon_id`

export type OrderEventType = Extract<EventType, `order.${string}`>

/**
 * Records an order event (`order` and its `service`, plus `extra` fields) for order `orderId`.
 * `onlyIfStatus`: written only when the order is in that status (one statement either way).
 */
export async function recordOrderEvent(
  trx: Db,
  type: OrderEventType,
  orderId: string,
  now: Date,
  opts: { extra?: Record<string, unknown>; onlyIfStatus?: string } = {},
): Promise<void> {
  const statusFilter = opts.onlyIfStatus === undefined ? sql`` : sql`AND o.status = ${opts.onlyIfStatus}`
  await sql`INSERT INTO events (id, type, occurred_at, user_id, data)
    SELECT ${newId('event')}, ${type}, ${now}, o.user_id,
      jsonb_build_object('order', ${orderRef}, 'service', ${serviceOfOrder}) || ${JSON.stringify(opts.extra ?? {})}::jsonb
    ${orderJoins}
    WHERE o.id = ${orderId} ${statusFilter}`.execute(trx)
}

export type ServiceEventType = Extract<EventType, `service.${string}`>
export type ServiceKindRef = 'server' | 'server_addon' | 'plesk_subscription'

const SERVICE_SOURCES: Record<ServiceKindRef, ReturnType<typeof sql>> = {
  server: sql`SELECT s.user_id, ${serverRef} AS ref FROM servers s WHERE s.id = `,
  server_addon: sql`SELECT sa.user_id, ${serverAddonRef} AS ref
    FROM server_addons sa JOIN addons ad ON ad.id = sa.addon_id JOIN servers s ON s.id = sa.server_id WHERE sa.id = `,
  plesk_subscription: sql`SELECT p.user_id, ${subscriptionRef} AS ref FROM plesk_subscriptions p WHERE p.id = `,
}

/** Records a service event (`service`, its `order` when `orderId` is given, plus `extra` fields) for the service `kind`/`id`. */
export async function recordServiceEvent(
  trx: Db,
  type: ServiceEventType,
  service: { kind: ServiceKindRef; id: string },
  now: Date,
  extra: Record<string, unknown> = {},
  /** The order behind a provisioning or a renewal, named in `order` (null when there is none). */
  orderId?: string | null,
): Promise<void> {
  const order =
    orderId === undefined
      ? sql`'{}'::jsonb`
      : sql`jsonb_build_object('order', (SELECT ${orderRef} FROM orders o WHERE o.id = ${orderId}))`
  await sql`INSERT INTO events (id, type, occurred_at, user_id, data)
    SELECT ${newId('event')}, ${type}, ${now}, src.user_id,
      jsonb_build_object('service', src.ref) || ${order} || ${JSON.stringify(extra)}::jsonb
    FROM (${SERVICE_SOURCES[service.kind]}${service.id}) src`.execute(trx)
}
