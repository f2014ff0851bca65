import type { Db } from '../../db/connect.ts'
import { AppError, notFound, validation } from '../../lib/errors.ts'
import { formatAmount, parseAmount } from '../../lib/money.ts'
import { iso } from './views.ts'

/**
 * The five catalog tables an operator manages, described once so that create, update,
 * deactivate and list are one use-case each instead of five. Rows are never deleted: orders,
 * servers and subscriptions keep referring to them, so "delete" means `is_active = false`.
 */
export type CatalogTable = 'vps_plans' | 'os_images' | 'locations' | 'addons' | 'plesk_plans'

type Row = Record<string, unknown>

interface Field {
  column: string
  /** API value → column value; may read the database (inside the write's transaction). */
  convert?: (value: unknown, trx: Db) => unknown
}

export interface CatalogKind {
  table: CatalogTable
  /** Audit target type, audit action prefix and the resource named in a 404. */
  noun: string
  /** API field → column. */
  fields: Record<string, Field>
  /** Whether the table has updated_at. */
  timestamps: boolean
  /** Locations are looked up by name in orders, so two may not share one (case-insensitively). */
  uniqueName: boolean
  view(row: Row): Row
}

const MiB = 1024n * 1024n

function price(value: unknown): bigint {
  const cents = parseAmount(String(value))
  if (cents === null || cents < 0n) {
    throw validation('price must be a non-negative amount with at most 2 decimals, e.g. 12.99', 'price')
  }
  return cents
}

/** Offered OS images must exist (inactive ones may be listed, orders skip them anyway). */
async function osImageIds(value: unknown, trx: Db): Promise<string[]> {
  const ids = [...new Set(value as string[])]
  if (ids.length === 0) return ids
  const found = await trx.selectFrom('os_images').select('id').where('id', 'in', ids).execute()
  const missing = ids.find(id => !found.some(f => f.id === id))
  if (missing !== undefined) throw notFound('os_image', missing)
  return ids
}

const plain = (...names: string[]): Record<string, Field> => Object.fromEntries(names.map(n => [n, { column: n }]))
const money = (cents: unknown): string => formatAmount(cents as bigint)
const time = (d: unknown): string => iso(d as Date)

export const CatalogKinds = {
  vpsPlan: {
    table: 'vps_plans',
    noun: 'vps_plan',
    timestamps: true,
    uniqueName: false,
    fields: {
      ...plain('name', 'vcpu', 'disk_gb', 'disk_type', 'solusvm_plan_id', 'is_active'),
      price: { column: 'price_cents', convert: price },
      ram_mb: { column: 'ram_bytes', convert: v => BigInt(v as number) * MiB },
      os_image_ids: { column: 'os_image_ids', convert: osImageIds },
    },
    view: r => ({
      id: r.id,
      name: r.name,
      price: money(r.price_cents),
      vcpu: r.vcpu,
      ram_mb: Number((r.ram_bytes as bigint) / MiB),
      disk_gb: r.disk_gb,
      disk_type: r.disk_type,
      solusvm_plan_id: r.solusvm_plan_id,
      os_image_ids: r.os_image_ids,
      is_active: r.is_active,
      created_at: time(r.created_at),
      updated_at: time(r.updated_at),
    }),
  },
  osImage: {
    table: 'os_images',
    noun: 'os_image',
    timestamps: false,
    uniqueName: false,
    fields: plain('name', 'version', 'solusvm_os_version_id', 'is_active'),
    view: r => ({
      id: r.id,
      name: r.name,
      version: r.version,
      solusvm_os_version_id: r.solusvm_os_version_id,
      is_active: r.is_active,
    }),
  },
  location: {
    table: 'locations',
    noun: 'location',
    timestamps: false,
    uniqueName: true,
    fields: plain('name', 'solusvm_location_id', 'is_active'),
    view: r => ({ id: r.id, name: r.name, solusvm_location_id: r.solusvm_location_id, is_active: r.is_active }),
  },
  addon: {
    table: 'addons',
    noun: 'addon',
    timestamps: false,
    uniqueName: false,
    fields: { ...plain('name', 'kind', 'is_active'), price: { column: 'price_cents', convert: price } },
    view: r => ({ id: r.id, name: r.name, kind: r.kind, price: money(r.price_cents), is_active: r.is_active }),
  },
  pleskPlan: {
    table: 'plesk_plans',
    noun: 'plesk_plan',
    timestamps: true,
    uniqueName: false,
    fields: { ...plain('name', 'plesk_plan_name', 'is_active'), price: { column: 'price_cents', convert: price } },
    view: r => ({
      id: r.id,
      name: r.name,
      plesk_plan_name: r.plesk_plan_name,
      price: money(r.price_cents),
      is_active: r.is_active,
      created_at: time(r.created_at),
      updated_at: time(r.updated_at),
    }),
  },
} satisfies Record<string, CatalogKind>

/** The columns for the API fields present in `input`; unknown fields were refused by the schema. */
export async function toColumns(trx: Db, kind: CatalogKind, input: Row): Promise<Row> {
  const out: Row = {}
  for (const [name, value] of Object.entries(input)) {
    const field = kind.fields[name]
    if (field === undefined || value === undefined) continue
    out[field.column] = field.convert ? await field.convert(value, trx) : value
  }
  return out
}

/** Refuses a location name another row already has; orders find locations by name. */
export async function assertNameFree(trx: Db, kind: CatalogKind, name: unknown, id: string): Promise<void> {
  if (!kind.uniqueName || typeof name !== 'string') return
  const clash = await trx
    .selectFrom(kind.table)
    .select('id')
    .where(eb => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .where('id', '!=', id)
    .executeTakeFirst()
  if (clash) {
    throw new AppError('conflict', `a ${kind.noun} named '${name}' exists (${clash.id})`, {
      details: { field: 'name' },
    })
  }
}
