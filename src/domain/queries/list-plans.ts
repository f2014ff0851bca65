import type { Selectable } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { PleskPlansTable, VpsPlan } from '../../db/schema.ts'
import { amountAsNumber } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'
import { activeOsVersions, PLESK_BILLING_CYCLE, type OsVersion } from './catalog-rows.ts'

export type PlanType = 'vps' | 'plesk'

/**
 * The documented plan list (docs/0xhost-compat.md 3.2) with its documented types and without its PHP leaks:
 * `params` is the JSON string the docs show ({vcpu, ram in bytes, disk in GB}) and `specs` the same
 * object; `available_os_image_versions` is a string too (the JSON of the list, where the docs leak
 * "Array") and `os_image_versions` the list; `price` a JSON number (per 720-hour term). `external_id` is the plan's SolusVM id. Plesk
 * plans (type "plesk") carry their monthly price. Both kinds say which they are in `type`.
 */
export async function listPlans(db: Db, input: { type?: PlanType }) {
  const out: Array<ReturnType<typeof vpsRow> | ReturnType<typeof pleskRow>> = []
  if (input.type === undefined || input.type === 'vps') {
    const plans = await db
      .selectFrom('vps_plans')
      .selectAll()
      .where('is_active', '=', true)
      .orderBy('price_cents')
      .orderBy('id')
      .execute()
    const versions = await activeOsVersions(db)
    for (const p of plans) {
      out.push(
        vpsRow(
          p,
          versions.filter(v => p.os_image_ids.includes(v.id)),
        ),
      )
    }
  }
  if (input.type === undefined || input.type === 'plesk') {
    const plans = await db
      .selectFrom('plesk_plans')
      .selectAll()
      .where('is_active', '=', true)
      .orderBy('price_cents')
      .orderBy('id')
      .execute()
    for (const p of plans) out.push(pleskRow(p))
  }
  return out
}

function vpsRow(p: VpsPlan, versions: OsVersion[]) {
  const specs = { vcpu: p.vcpu, ram: Number(p.ram_bytes), disk: p.disk_gb }
  return {
    id: p.id,
    name: p.name,
    type: 'vps' as const,
    // Documented as JSON inside a string, which clients decode a second time; `specs` is the same, decoded.
    params: JSON.stringify(specs),
    specs,
    external_id: p.solusvm_plan_id,
    price: amountAsNumber(p.price_cents),
    currency: 'EUR',
    // Documented as a string (the docs leak PHP's "Array"): here the JSON of the list, and the list itself beside it.
    available_os_image_versions: JSON.stringify(versions),
    os_image_versions: versions,
    created_at: formatTimestamp(p.created_at)!,
    updated_at: formatTimestamp(p.updated_at)!,
  }
}

function pleskRow(p: Selectable<PleskPlansTable>) {
  return {
    id: p.id,
    name: p.name,
    type: 'plesk' as const,
    price: amountAsNumber(p.price_cents),
    currency: 'EUR',
    billing_cycle: PLESK_BILLING_CYCLE,
    created_at: formatTimestamp(p.created_at)!,
    updated_at: formatTimestamp(p.updated_at)!,
  }
}
