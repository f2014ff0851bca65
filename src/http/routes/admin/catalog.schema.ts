import { Type, type TObject, type TSchema } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { PageQuery } from '../../schemas/paging.ts'
import { CatalogKinds, type CatalogKind } from '../../../domain/admin/catalog-kinds.ts'
import { BoolQuery, Price, Timestamps } from './common.schema.ts'

/** The catalog an operator manages: VPS plans, OS images, locations, addons, Plesk plans. */

const Name = Type.String({ minLength: 1, maxLength: 100 })
/** SolusVM ids are PostgreSQL integers. */
const ProviderId = (description: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, description })
const IsActive = Type.Boolean({ description: 'false: no longer orderable (existing services keep it)' })

export interface CatalogSpec {
  kind: CatalogKind
  /** Path segment under /API/admin/catalog/. */
  path: string
  /** Names in operationIds: adminCreate<One>, adminList<Many>. */
  one: string
  many: string
  label: string
  create: TObject
  update: TObject
  item: TObject
}

/**
 * Create takes the required fields plus optional ones (and may choose the id); update takes any of
 * them but the id, at least one. Unknown fields are refused by both.
 */
function bodies(required: Record<string, TSchema>, optional: Record<string, TSchema>) {
  const opt = (props: Record<string, TSchema>) =>
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)]))
  return {
    create: Type.Object(
      { id: Type.Optional(Id('Id to give it (default: a new UUID)')), ...required, ...opt(optional) },
      { additionalProperties: false },
    ),
    update: Type.Object(opt({ ...required, ...optional }), { additionalProperties: false, minProperties: 1 }),
  }
}

const vpsPlanFields = {
  name: Name,
  price: Price,
  vcpu: Type.Integer({ minimum: 1, maximum: 1024 }),
  ram_mb: Type.Integer({ minimum: 64, maximum: 16_777_216, description: 'RAM in MiB' }),
  disk_gb: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  solusvm_plan_id: ProviderId('SolusVM plan id'),
}
const vpsPlanOptional = {
  disk_type: Type.Enum(['ssd', 'nvme', 'hdd'], { description: 'Default ssd' }),
  os_image_ids: Type.Array(Id('OS image id'), {
    maxItems: 100,
    uniqueItems: true,
    description: 'OS images offered with the plan (empty: all)',
  }),
  is_active: IsActive,
}

export const CatalogSpecs: CatalogSpec[] = [
  {
    kind: CatalogKinds.vpsPlan,
    path: 'vps-plans',
    one: 'VpsPlan',
    many: 'VpsPlans',
    label: 'VPS plan',
    ...bodies(vpsPlanFields, vpsPlanOptional),
    item: Type.Object({
      id: Type.String(),
      name: Type.String(),
      price: Type.String(),
      vcpu: Type.Integer(),
      ram_mb: Type.Integer(),
      disk_gb: Type.Integer(),
      disk_type: Type.String(),
      solusvm_plan_id: Type.Integer(),
      os_image_ids: Type.Array(Type.String()),
      is_active: Type.Boolean(),
      ...Timestamps,
    }),
  },
  {
    kind: CatalogKinds.osImage,
    path: 'os-images',
    one: 'OsImage',
    many: 'OsImages',
    label: 'OS image',
    ...bodies(
      {
        name: Name,
        version: Type.String({ minLength: 1, maxLength: 50 }),
        solusvm_os_version_id: ProviderId('SolusVM OS version id'),
      },
      { is_active: IsActive },
    ),
    item: Type.Object({
      id: Type.String(),
      name: Type.String(),
      version: Type.String(),
      solusvm_os_version_id: Type.Integer(),
      is_active: Type.Boolean(),
    }),
  },
  {
    kind: CatalogKinds.location,
    path: 'locations',
    one: 'Location',
    many: 'Locations',
    label: 'location',
    ...bodies(
      {
        name: Type.String({
          minLength: 1,
          maxLength: 100,
          description: 'Unique; orders name the location, e.g. Slovenia',
        }),
        solusvm_location_id: ProviderId('SolusVM location id'),
      },
      { is_active: IsActive },
    ),
    item: Type.Object({
      id: Type.String(),
      name: Type.String(),
      solusvm_location_id: Type.Integer(),
      is_active: Type.Boolean(),
    }),
  },
  {
    kind: CatalogKinds.addon,
    path: 'addons',
    one: 'Addon',
    many: 'Addons',
    label: 'addon',
    ...bodies(
      {
        name: Name,
        kind: Type.String({
          pattern: '^[a-z0-9_]{1,32}$',
          description: 'ipv4 is delivered automatically; other kinds cannot be ordered yet',
        }),
        price: Price,
      },
      { is_active: IsActive },
    ),
    item: Type.Object({
      id: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      price: Type.String(),
      is_active: Type.Boolean(),
    }),
  },
  {
    kind: CatalogKinds.pleskPlan,
    path: 'plesk-plans',
    one: 'PleskPlan',
    many: 'PleskPlans',
    label: 'Plesk plan',
    ...bodies(
      {
        name: Name,
        plesk_plan_name: Type.String({ minLength: 1, maxLength: 100, description: 'Service plan name in Plesk' }),
        price: Price,
      },
      { is_active: IsActive },
    ),
    item: Type.Object({
      id: Type.String(),
      name: Type.String(),
      plesk_plan_name: Type.String(),
      price: Type.String({ description: 'EUR per month' }),
      is_active: Type.Boolean(),
      ...Timestamps,
    }),
  },
]

export const ItemParams = Type.Object({ id: Id('Catalog id') }, { additionalProperties: false })
export const CatalogListQuery = Type.Object(
  { active: Type.Optional(BoolQuery('Only active (true) or deactivated (false) rows')), ...PageQuery },
  { additionalProperties: false },
)
