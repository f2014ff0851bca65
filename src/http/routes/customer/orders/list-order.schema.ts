import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import { PageQuery, PagedResponse } from '../../../schemas/paging.ts'
import { Money, Nullable, OpenObject, Timestamp, UserIdParam } from '../shared.schema.ts'

/** GET /API/orders/list_order (docs/0xhost-compat.md 3.6 list, 3.7 by type, 3.8 by id). */

const OrderType = (description: string) => Type.String({ pattern: '^[a-z_]{1,40}$', description })

export const ListOrderQuery = Type.Object(
  {
    ...UserIdParam,
    ...PageQuery,
    type_order: Type.Optional(
      OrderType('Order type filter (§3.6 name): new_server, scale_server, renew_server, addon, plesk, plesk_renew…'),
    ),
    order_type: Type.Optional(OrderType('The same filter under its §3.7 name; send either (or both, equal)')),
    order_id: Type.Optional(Id("One order: the answer is a list of one (404 if it is not the acting user's)")),
  },
  { additionalProperties: false },
)

const IntOrString = () => Type.Union([Type.Integer(), Type.String()])

export const OrderRow = Type.Object({
  id: Type.String(),
  user_id: Type.String(),
  server_id: Nullable(Type.String()),
  service_id: Nullable(
    Type.String({ description: 'What the order bought: the server, the addon assignment or the Plesk subscription' }),
  ),
  order_number: Type.String(),
  order_type: Type.String(),
  status: Type.String({ description: 'processing, completed or failed (refunded)' }),
  name_server: Nullable(Type.String({ description: 'The server name (server orders)' })),
  plan_id: Nullable(IntOrString()),
  os_image_id: Nullable(IntOrString()),
  versions: Nullable(Type.String({ description: 'OS version (server orders)' })),
  location: Nullable(Type.String()),
  rental_duration_hours: Type.Integer({
    description: 'Hours bought: server orders their hours, Plesk orders 720 per month, addons 0',
  }),
  amount: Money('Amount charged, EUR'),
  currency: Type.String(),
  metadata: Type.String({
    description: 'Order details as the documented `key=value, key=value` string (empty when none)',
  }),
  details: OpenObject('The same details as a JSON object'),
  domain_name: Nullable(Type.String()),
  domain_registration_term: Type.Null(),
  domain_suffix: Type.Null(),
  description: Type.String(),
  created_at: Timestamp(),
  updated_at: Timestamp(),
  username: Type.String(),
})

export const ListOrderResponse = PagedResponse(OrderRow)
