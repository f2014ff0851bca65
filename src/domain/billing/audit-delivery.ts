import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { OrderType, PleskSubscriptionStatus, ServerStatus } from '../../db/states.ts'
import { addHours, addMonths, TERM_HOURS } from './pricing.ts'
import { refundOfUnusedTime } from './unused-time.ts'

/** One way in which what was paid was not what was delivered. */
export interface DeliveryViolation {
  check:
    | 'addon_not_delivered'
    | 'addon_ip_shared'
    | 'addon_not_released'
    | 'cancel_refund_mismatch'
    | 'cancel_refund_unmatched'
    | 'completed_and_refunded'
    | 'failed_not_refunded'
    | 'order_without_period'
    | 'period_without_completed_order'
    | 'period_overlap'
    | 'period_length'
    | 'paid_through_mismatch'
    | 'no_paid_period'
    | 'active_past_term'
  id: string
  detail: string
}

export interface DeliveryAuditOptions {
  now: Date
  /** SUSPEND_GRACE_HOURS: a service may stay active this long past its term. */
  suspendGraceHours: number
  /** How long the lifecycle may take to notice an expiry (two of its intervals is plenty). */
  toleranceMs: number
}

/** Order kinds that buy time on a service, so each completed one has exactly one paid period. */
const TIME_ORDERS: readonly OrderType[] = ['new_server', 'renew_server', 'scale_server', 'plesk', 'plesk_renew']
/** Services that hold paid time (not pending payment, provisioning, failed or cancelled). */
const LIVE: readonly ServerStatus[] = ['active', 'suspended', 'suspending', 'resizing', 'renewing']
const LIVE_SUBSCRIPTIONS: readonly PleskSubscriptionStatus[] = ['active', 'suspended', 'suspending', 'renewing']

/**
 * Beside `balance = Σ ledger`: what was paid was delivered (docs/architecture.md, "Delivery audit").
 * - every completed addon order holds its own assigned value, on its server, until it is released
 *   (cancelled, or its server terminated), and then the value is no longer on its server;
 * - no order is both completed and refunded (its charge stands once); a failed or cancelled one nets to zero;
 * - every completed order that buys time has one paid period, and every period a completed order;
 * - replaying a live service's periods in the order they were applied: a term starts no earlier
 *   than the time already paid for (the time between a lapse and its renewal is neither paid nor
 *   given) and is exactly as long as its order bought; a plan change ends no later than the paid
 *   time it converted plus the term it bought; the service's expiry is where the last one ends;
 * - no service is active past its paid term plus the grace (and the lifecycle's tolerance);
 * - an immediate cancellation's cut (`cancel` period) is a point no later than the time paid for,
 *   and refunds either nothing or exactly the unused value of the periods before it (rounded down),
 *   and each user's `cancel_refund` ledger rows add up to what their cuts refunded.
 */
export async function auditDelivery(
  db: Db,
  opts: DeliveryAuditOptions,
): Promise<{ services: number; violations: DeliveryViolation[] }> {
  const v: DeliveryViolation[] = []
  await checkAddons(db, v)
  await checkRefunds(db, v)
  await checkOrderPeriods(db, v)
  const services = await checkPaidThrough(db, v)
  await checkActivePastTerm(db, opts, v)
  await checkCancellations(db, v)
  return { services, violations: v }
}

async function checkAddons(db: Db, v: DeliveryViolation[]): Promise<void> {
  const rows = await db
    .selectFrom('orders')
    .innerJoin('server_addons', 'server_addons.id', 'orders.server_addon_id')
    .innerJoin('servers', 'servers.id', 'server_addons.server_id')
    .select([
      'orders.id',
      'orders.order_number',
      'server_addons.status',
      'server_addons.assigned_value',
      'server_addons.server_id',
      'servers.extra_ips',
    ])
    .where('orders.order_type', '=', 'addon')
    .where('orders.status', '=', 'completed')
    .execute()
  const seen = new Map<string, string>()
  for (const r of rows) {
    if (r.status === 'released') {
      if (r.assigned_value !== '' && r.extra_ips.includes(r.assigned_value)) {
        v.push({
          check: 'addon_not_released',
          id: r.id,
          detail: `${r.order_number}: addon released, but ${r.assigned_value} is still on the server`,
        })
      }
      continue
    }
    // `releasing`: the IP is still the customer's until its release job removes it.
    if (
      (r.status !== 'assigned' && r.status !== 'releasing') ||
      r.assigned_value === '' ||
      !r.extra_ips.includes(r.assigned_value)
    ) {
      v.push({
        check: 'addon_not_delivered',
        id: r.id,
        detail: `${r.order_number}: addon ${r.status}, value '${r.assigned_value}' not on the server`,
      })
      continue
    }
    const key = `${r.server_id} ${r.assigned_value}`
    const other = seen.get(key)
    if (other !== undefined) {
      v.push({
        check: 'addon_ip_shared',
        id: r.id,
        detail: `${r.order_number} and ${other} hold the same IP ${r.assigned_value}`,
      })
    } else seen.set(key, r.order_number)
  }
}

async function checkRefunds(db: Db, v: DeliveryViolation[]): Promise<void> {
  // A completed order's charge stands exactly once: its debits net of refunds are its amount
  // (an operator retry after a refund charges again). A failed or cancelled one nets to zero.
  const rows = await sql<{
    id: string
    order_number: string
    status: string
    amount: string
    charged: string
    net: string
  }>`
    SELECT o.id, o.order_number, o.status, o.amount_cents::text AS amount,
      coalesce(sum(l.delta_cents) FILTER (WHERE l.kind IN ('order_debit', 'refund')), 0)::text AS charged,
      coalesce(sum(l.delta_cents), 0)::text AS net
    FROM orders o JOIN ledger_entries l ON l.order_id = o.id
    WHERE o.status IN ('completed', 'failed', 'cancelled')
    GROUP BY o.id, o.order_number, o.status, o.amount_cents`.execute(db)
  for (const r of rows.rows) {
    if (r.status === 'completed' && -BigInt(r.charged) !== BigInt(r.amount)) {
      v.push({
        check: 'completed_and_refunded',
        id: r.id,
        detail: `${r.order_number} is completed but its charge nets ${r.charged} cents for an amount of ${r.amount}`,
      })
    }
    if (r.status !== 'completed' && BigInt(r.net) !== 0n) {
      v.push({
        check: 'failed_not_refunded',
        id: r.id,
        detail: `${r.order_number} is ${r.status} but its ledger nets ${r.net} cents`,
      })
    }
  }
}

async function checkOrderPeriods(db: Db, v: DeliveryViolation[]): Promise<void> {
  const missing = await db
    .selectFrom('orders')
    .leftJoin('service_periods', 'service_periods.order_id', 'orders.id')
    .select(['orders.id', 'orders.order_number'])
    .where('orders.status', '=', 'completed')
    .where('orders.order_type', 'in', TIME_ORDERS)
    .where('service_periods.id', 'is', null)
    .execute()
  for (const o of missing) {
    v.push({
      check: 'order_without_period',
      id: o.id,
      detail: `${o.order_number} is completed but delivered no paid period`,
    })
  }
  const orphans = await db
    .selectFrom('service_periods')
    .innerJoin('orders', 'orders.id', 'service_periods.order_id')
    .select(['service_periods.id', 'orders.order_number', 'orders.status'])
    .where('orders.status', '!=', 'completed')
    .execute()
  for (const p of orphans) {
    v.push({
      check: 'period_without_completed_order',
      id: p.id,
      detail: `period of ${p.order_number}, which is ${p.status}`,
    })
  }
}

interface ServiceRow {
  id: string
  status: string
  expires: Date
}

async function checkPaidThrough(db: Db, v: DeliveryViolation[]): Promise<number> {
  const servers: ServiceRow[] = (
    await db.selectFrom('servers').select(['id', 'status', 'expire_date']).where('status', 'in', LIVE).execute()
  ).map(s => ({ id: s.id, status: s.status, expires: s.expire_date }))
  const subs: ServiceRow[] = (
    await db
      .selectFrom('plesk_subscriptions')
      .select(['id', 'status', 'expires_at'])
      .where('status', 'in', LIVE_SUBSCRIPTIONS)
      .execute()
  ).map(s => ({ id: s.id, status: s.status, expires: s.expires_at }))
  const periods = await db
    .selectFrom('service_periods')
    .leftJoin('orders', 'orders.id', 'service_periods.order_id')
    .select([
      'service_periods.id',
      'service_periods.service_kind',
      'service_periods.service_id',
      'service_periods.kind',
      'service_periods.starts_at',
      'service_periods.ends_at',
      'orders.order_number',
      'orders.hours',
      'orders.months',
    ])
    .orderBy('service_periods.created_at')
    .orderBy('service_periods.id')
    .execute()
  const byService = new Map<string, typeof periods>()
  for (const p of periods) {
    const key = `${p.service_kind}:${p.service_id}`
    byService.set(key, [...(byService.get(key) ?? []), p])
  }
  const check = (kind: 'server' | 'subscription', s: ServiceRow): void => {
    const list = byService.get(`${kind}:${s.id}`) ?? []
    if (list.length === 0) {
      v.push({ check: 'no_paid_period', id: s.id, detail: `${kind} ${s.id} is ${s.status} with no paid period` })
      return
    }
    let paidThrough: Date | null = null
    for (const p of list) {
      const label = p.order_number ?? p.id
      const bought = (from: Date): Date =>
        kind === 'server' ? addHours(from, p.hours ?? TERM_HOURS) : addMonths(from, p.months ?? 1)
      if (p.kind === 'term') {
        if (paidThrough !== null && p.starts_at < paidThrough) {
          v.push({
            check: 'period_overlap',
            id: p.id,
            detail: `${label} starts ${p.starts_at.toISOString()}, before the time already paid until ${paidThrough.toISOString()}`,
          })
        }
        if (p.ends_at.getTime() !== bought(p.starts_at).getTime()) {
          v.push({
            check: 'period_length',
            id: p.id,
            detail: `${label} runs ${p.starts_at.toISOString()} → ${p.ends_at.toISOString()}, not what it bought`,
          })
        }
      } else if (p.kind === 'cancel') {
        if (p.ends_at.getTime() !== p.starts_at.getTime() || (paidThrough !== null && p.ends_at > paidThrough)) {
          v.push({
            check: 'period_length',
            id: p.id,
            detail: `cancellation cut ${p.starts_at.toISOString()} → ${p.ends_at.toISOString()} is not a point within the paid time (until ${paidThrough?.toISOString() ?? 'none'})`,
          })
        }
      } else if (p.kind === 'plan_change') {
        const base = paidThrough !== null && paidThrough > p.starts_at ? paidThrough : p.starts_at
        if (p.ends_at > bought(base)) {
          v.push({
            check: 'period_length',
            id: p.id,
            detail: `${label} ends ${p.ends_at.toISOString()}, after the converted time plus its term (${bought(base).toISOString()})`,
          })
        }
      }
      paidThrough = p.ends_at
    }
    if (paidThrough!.getTime() !== s.expires.getTime()) {
      v.push({
        check: 'paid_through_mismatch',
        id: s.id,
        detail: `${kind} ${s.id} expires ${s.expires.toISOString()} but its periods end ${paidThrough!.toISOString()}`,
      })
    }
  }
  for (const s of servers) check('server', s)
  for (const s of subs) check('subscription', s)
  return servers.length + subs.length
}

async function checkActivePastTerm(db: Db, opts: DeliveryAuditOptions, v: DeliveryViolation[]): Promise<void> {
  const limit = new Date(addHours(opts.now, -opts.suspendGraceHours).getTime() - opts.toleranceMs)
  const servers = await db
    .selectFrom('servers')
    .select(['id', 'expire_date'])
    .where('status', '=', 'active')
    .where('expire_date', '<', limit)
    .execute()
  for (const s of servers) {
    v.push({
      check: 'active_past_term',
      id: s.id,
      detail: `server ${s.id} is active but its term ended ${s.expire_date.toISOString()}`,
    })
  }
  const subs = await db
    .selectFrom('plesk_subscriptions')
    .select(['id', 'expires_at'])
    .where('status', '=', 'active')
    .where('expires_at', '<', limit)
    .execute()
  for (const s of subs) {
    v.push({
      check: 'active_past_term',
      id: s.id,
      detail: `subscription ${s.id} is active but its term ended ${s.expires_at.toISOString()}`,
    })
  }
}

/**
 * Immediate cancellations, whatever the service's status now (most are deleted): each cut refunds
 * nothing (CANCEL_REFUND_UNUSED off, or an operator's choice) or exactly the unused value before
 * it; and per user, the `cancel_refund` ledger rows equal what the cuts refunded.
 */
async function checkCancellations(db: Db, v: DeliveryViolation[]): Promise<void> {
  const cuts = await db
    .selectFrom('service_periods')
    .select(['id', 'user_id', 'service_kind', 'service_id', 'ends_at', 'amount_cents', 'created_at'])
    .where('kind', '=', 'cancel')
    .execute()
  const refundedByUser = new Map<string, bigint>()
  for (const c of cuts) {
    const refunded = -c.amount_cents
    refundedByUser.set(c.user_id, (refundedByUser.get(c.user_id) ?? 0n) + refunded)
    const before = (
      await db
        .selectFrom('service_periods')
        .select(['id', 'kind', 'starts_at', 'ends_at', 'amount_cents', 'created_at'])
        .where('service_kind', '=', c.service_kind)
        .where('service_id', '=', c.service_id)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).filter(p => p.created_at < c.created_at || (p.created_at.getTime() === c.created_at.getTime() && p.id < c.id))
    const unused = refundOfUnusedTime(before, c.ends_at)
    if (refunded !== 0n && refunded !== unused) {
      v.push({
        check: 'cancel_refund_mismatch',
        id: c.id,
        detail: `${c.service_kind} ${c.service_id}: the cancellation refunded ${refunded} cents; the unused time was worth ${unused}`,
      })
    }
  }
  const ledger = await db
    .selectFrom('ledger_entries')
    .select(['user_id', sql<string>`sum(delta_cents)::text`.as('total')])
    .where('kind', '=', 'cancel_refund')
    .groupBy('user_id')
    .execute()
  const credited = new Map(ledger.map(l => [l.user_id, BigInt(l.total)]))
  for (const user of new Set([...credited.keys(), ...refundedByUser.keys()])) {
    const a = credited.get(user) ?? 0n
    const b = refundedByUser.get(user) ?? 0n
    if (a !== b) {
      v.push({
        check: 'cancel_refund_unmatched',
        id: user,
        detail: `user ${user}: cancel_refund ledger rows total ${a} cents, the cancellations refunded ${b}`,
      })
    }
  }
}
