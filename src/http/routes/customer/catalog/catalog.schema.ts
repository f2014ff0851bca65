import { Type } from 'typebox'
import { PagedResponse } from '../../../schemas/paging.ts'
import { Money, Success, Timestamp } from '../shared.schema.ts'

/** GET /API/plans/list_plan (docs/0xhost-compat.md 3.2) and the implied catalog lists. */

export const ListPlanQuery = Type.Object(
  {
    type: Type.Optional(Type.Enum(['vps', 'plesk'], { description: 'vps or plesk; absent: both' })),
  },
  { additionalProperties: false },
)

export const OsVersion = Type.Object({
  id: Type.String({ description: 'What orders take as os_image_id' }),
  name: Type.String({ description: 'e.g. Ubuntu' }),
  version: Type.String({ description: 'e.g. 24.04' }),
})

const VpsPlan = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.Literal('vps'),
  params: Type.String({
    description: 'JSON inside a string, as documented: {"vcpu":…,"ram":bytes,"disk":GB}; `specs` is the same, decoded',
  }),
  specs: Type.Object({
    vcpu: Type.Integer(),
    ram: Type.Integer({ description: 'Bytes' }),
    disk: Type.Integer({ description: 'GB' }),
  }),
  external_id: Type.Integer({ description: 'The plan id at SolusVM' }),
  price: Type.Number({ description: 'EUR per 720-hour term (a JSON number, as documented)' }),
  currency: Type.Literal('EUR'),
  available_os_image_versions: Type.String({ description: 'A string, as documented: the JSON of `os_image_versions`' }),
  os_image_versions: Type.Array(OsVersion),
  created_at: Timestamp(),
  updated_at: Timestamp(),
})

const PleskPlanInList = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.Literal('plesk'),
  price: Type.Number({ description: 'EUR per month (a JSON number, like VPS plans here)' }),
  currency: Type.Literal('EUR'),
  billing_cycle: Type.Literal('monthly'),
  created_at: Timestamp(),
  updated_at: Timestamp(),
})

export const ListPlanResponse = Type.Object({
  success: Success,
  data: Type.Array(Type.Union([VpsPlan, PleskPlanInList])),
})

export const OsImagesResponse = PagedResponse(
  Type.Object({
    name: Type.String({ description: 'Image name, e.g. Ubuntu' }),
    versions: Type.Array(OsVersion),
  }),
)

export const LocationsResponse = PagedResponse(
  Type.Object({
    id: Type.String(),
    name: Type.String({ description: 'What new-server orders take as location, e.g. Slovenia' }),
  }),
)

export const AddonsResponse = PagedResponse(
  Type.Object({
    id: Type.String({ description: 'What addon orders take as addon_id' }),
    name: Type.String(),
    kind: Type.String({ description: 'ipv4' }),
    price: Money('EUR, charged once per order'),
    currency: Type.Literal('EUR'),
  }),
)

export const PleskPlansResponse = PagedResponse(
  Type.Object({
    id: Type.String({ description: 'What Plesk orders take as plan_id' }),
    name: Type.String(),
    price: Money('EUR per month'),
    currency: Type.Literal('EUR'),
    billing_cycle: Type.Literal('monthly'),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  }),
)
