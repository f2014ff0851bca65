import type { Db } from '../../db/connect.ts'
import { amountAsNumber, formatAmount } from '../../lib/money.ts'

/** Shapes shared by the documented responses. Timestamps are "YYYY-MM-DD HH:MM:SS" in UTC, as in the docs. */

export function formatTimestamp(d: Date | string | null): string | null {
  if (d === null) return null
  const date = typeof d === 'string' ? new Date(d) : d
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

/** Plan and OS ids are strings in requests; server rows show them as integers when they are numeric. */
export const idAsDocumented = (id: string): number | string => (/^\d{1,9}$/.test(id) ? Number(id) : id)

/**
 * The debit of an order and the balance around it, read back from its ledger row. An order that
 * debits nothing (a downgrade) may already carry its credit when the response is built: the
 * balance before the order is then the one before that credit, not the current balance.
 */
export async function orderBalances(db: Db, orderId: string): Promise<{ before: bigint; after: bigint }> {
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['delta_cents', 'balance_after_cents', 'kind'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  const debitRow = rows.find(r => r.kind === 'order_debit')
  const first = rows[0]
  const last = rows[rows.length - 1]
  if (!debitRow && first && last) {
    return { before: first.balance_after_cents - first.delta_cents, after: last.balance_after_cents }
  }
  if (!debitRow) {
    const user = await db
      .selectFrom('orders')
      .innerJoin('users', 'users.id', 'orders.user_id')
      .select('users.balance_cents')
      .where('orders.id', '=', orderId)
      .executeTakeFirstOrThrow()
    return { before: user.balance_cents, after: user.balance_cents }
  }
  return { before: debitRow.balance_after_cents - debitRow.delta_cents, after: debitRow.balance_after_cents }
}

/** The full server row of the docs (`server_status` of docs/0xhost-compat.md 3.11, change plan); the root password is never shown here. */
export async function renderServerRow(db: Db, serverId: string) {
  const s = await db
    .selectFrom('servers')
    .innerJoin('vps_plans', 'vps_plans.id', 'servers.plan_id')
    .innerJoin('users', 'users.id', 'servers.user_id')
    .innerJoin('locations', 'locations.id', 'servers.location_id')
    .selectAll('servers')
    .select([
      'vps_plans.vcpu',
      'vps_plans.ram_bytes',
      'vps_plans.disk_gb',
      'vps_plans.disk_type',
      'vps_plans.price_cents',
      'users.username',
      'users.is_active as user_active',
      'locations.name as location_name',
    ])
    .where('servers.id', '=', serverId)
    .executeTakeFirstOrThrow()
  return {
    id: s.id,
    id_solusvm: s.id_solusvm,
    solusvm_uuid: s.solusvm_uuid,
    cpu_cores: s.vcpu,
    ram: Number(s.ram_bytes),
    disk: s.disk_gb,
    disk_type: s.disk_type,
    cpu: null,
    ramD: null,
    diskD: null,
    name: s.name,
    auto_renew: s.auto_renew ? 1 : 0,
    primary_ip: s.primary_ip,
    extra_ips: s.extra_ips.length > 0 ? s.extra_ips : null,
    status: s.status,
    updated_at: formatTimestamp(s.updated_at),
    plan_id: idAsDocumented(s.plan_id),
    location: s.location_name,
    os_image_id: idAsDocumented(s.os_image_id),
    rental_duration_hours: s.rental_duration_hours,
    owner_id: s.user_id,
    created_at: formatTimestamp(s.created_at),
    expire_date: formatTimestamp(s.expire_date),
    // A string, as documented ("password=…" there): empty, the root password is shown once, at creation.
    metadata: '',
    user_id: s.user_id,
    username: s.username,
    userIsActive: s.user_active ? 1 : 0,
    plan_price: formatAmount(s.price_cents),
  }
}

export { amountAsNumber, formatAmount }
