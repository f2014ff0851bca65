import { Type } from 'typebox'
import { Id, IntLike, PaymentType } from '../../schemas/common.ts'
import { OrderPaymentFields } from '../payments/payments.schema.ts'

/** Request and response schemas of the documented order endpoints (docs/0xhost-compat.md 3.9–3.11, 3.14, 3.25, 3.26). */

const IdOrInt = (description: string) => Type.Union([Id(description), Type.Integer({ minimum: 0 })], { description })
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])
const NStr = () => Type.Union([Type.String(), Type.Null()])
const NInt = () => Type.Union([Type.Integer(), Type.Null()])

/** Added to the response of an order paid with `type_payment: "crypto"`: its OxaPay invoice. */
export const OrderPayment = Type.Object(OrderPaymentFields, {
  description: 'Crypto orders only: pay this invoice and the order is provisioned',
})
const payment = { payment: Type.Optional(OrderPayment) }

export const CreateOrderBody = Type.Object(
  {
    user_id: Id('User UUID'),
    plan_id: Type.Optional(IdOrInt('Plan ID: the plan of a new server, or the new plan of a change of plan')),
    os_image_id: Type.Optional(IdOrInt('Operating system image ID (new server)')),
    location: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Server location, e.g. Slovenia (new server)' }),
    ),
    name_server: Type.Optional(
      Type.String({ minLength: 1, maxLength: 63, description: 'Server name (new server, optional)' }),
    ),
    server_id: Type.Optional(Id('Server UUID (change of plan, extension)')),
    hours: Type.Optional(IntLike({ minimum: 1, maximum: 8760, description: 'Hours to add (extension)' })),
    type_payment: Type.Optional(PaymentType),
  },
  { additionalProperties: false },
)

const Outcome = {
  success: Type.Boolean(),
  message: Type.Optional(Type.String()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
}

export const ServerRow = Type.Object(
  {
    id: Type.String(),
    id_solusvm: NInt(),
    solusvm_uuid: NStr(),
    cpu_cores: Type.Integer(),
    ram: Type.Integer(),
    disk: Type.Integer(),
    disk_type: Type.String(),
    cpu: NStr(),
    ramD: NStr(),
    diskD: NStr(),
    name: Type.String(),
    auto_renew: Type.Integer(),
    primary_ip: NStr(),
    extra_ips: Type.Union([Type.Array(Type.String()), Type.Null()]),
    status: Type.String(),
    updated_at: NStr(),
    plan_id: Type.Union([Type.Integer(), Type.String()]),
    location: Type.String(),
    os_image_id: Type.Union([Type.Integer(), Type.String()]),
    rental_duration_hours: Type.Integer(),
    owner_id: Type.String(),
    created_at: NStr(),
    expire_date: NStr(),
    metadata: Type.String(),
    user_id: Type.String(),
    username: Type.String(),
    userIsActive: Type.Integer(),
    plan_price: Type.String(),
  },
  { $id: 'ServerRow' },
)

/** Field order follows the docs' examples: success, amount, balance_before, type, plan_id, password, … */
const serverOrderFields = <T extends Record<string, unknown>>(typeAndPlan: T) => ({
  success: Type.Boolean(),
  amount: Type.Number({ description: 'Amount charged, EUR (a JSON number, as documented)' }),
  balance_before: Type.String({ description: 'Balance before the order, EUR' }),
  ...typeAndPlan,
  password: Nullable(Type.String({ description: 'Root password: shown once, in the new-server response only' })),
  hours_purchased: Type.String(),
  upgrade_difference: Type.Number(),
  order_id: Type.String(),
  status: Type.String({
    description:
      'Order status: completed, processing (provisioning goes on), failed (refunded), pending_payment (crypto invoice unpaid) or cancelled (invoice expired)',
  }),
  message: Type.Optional(Type.String()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
})

export const NewServerResponse = Type.Object({
  ...serverOrderFields({ type: Type.Literal('new_server'), plan_id: Type.String() }),
  server_status: Type.Object({
    new_id: Type.String(),
    id_solusvm: NInt(),
    name: Type.String(),
    metadata: Type.String({ description: '"password=…" once, at creation; empty on a replay' }),
    primary_ip: NStr(),
    status: Type.String(),
  }),
  ...payment,
})

export const ScaleServerResponse = Type.Object({
  ...serverOrderFields({
    type: Type.Union([Type.Literal('scale_server'), Type.Literal('renew_server')]),
    plan_id: Type.Union([Type.String(), Type.Integer()]),
  }),
  server_status: Type.Ref('ServerRow'),
  ...payment,
})

export const CreateOrderResponse = Type.Union([NewServerResponse, ScaleServerResponse])

export const CreateAddonBody = Type.Object(
  {
    user_id: Id('User UUID'),
    addon_id: Id('Addon UUID'),
    server_id: Id('Server UUID'),
    type_payment: Type.Optional(PaymentType),
  },
  { additionalProperties: false },
)

export const CreateAddonResponse = Type.Object({
  ...Outcome,
  order: Type.Object({
    id: Type.String(),
    order_number: Type.String(),
    status: Type.String(),
    metadata: Type.String({ description: 'The documented `key=value, …` string' }),
    details: Type.Object({}, { additionalProperties: true }),
    amount: Type.String(),
    currency: Type.String(),
  }),
  addon_server: Type.Object({
    id: Type.String(),
    addon_id: Type.String(),
    server_id: Type.String(),
    user_id: Type.String(),
    assigned_price: Type.String(),
    status: Type.String({ description: 'unassigned until the IP is assigned, then assigned' }),
    assigned_value: Type.String(),
  }),
  ...payment,
})

export const CreatePleskBody = Type.Object(
  {
    plan_id: Id('Plesk plan ID'),
    client_id: Id('Plesk client ID'),
    domain_name: Type.String({ minLength: 1, maxLength: 253, description: 'Domain name for hosting' }),
    ftp_login: Type.String({ minLength: 1, maxLength: 16, description: 'FTP username' }),
    ftp_password: Type.String({ minLength: 1, maxLength: 64, description: 'FTP password (never echoed)' }),
    subscription_duration: IntLike({ minimum: 1, maximum: 3, description: 'Duration in months (1, 2, or 3)' }),
    type_payment: PaymentType,
  },
  { additionalProperties: false },
)

const PleskOrder = Type.Object({
  id: Type.String(),
  order_number: Type.String(),
  status: Type.String(),
  amount: Type.String(),
  currency: Type.String(),
})

export const CreatePleskResponse = Type.Object({
  ...Outcome,
  message: Type.String(),
  order: PleskOrder,
  subscription: Type.Object({
    id: Type.String(),
    domain_name: Type.String(),
    status: Type.String(),
    expires_at: NStr(),
  }),
  balance_after: Type.String(),
  ...payment,
})

export const ScalePleskBody = Type.Object(
  {
    subscription_id: Id('Subscription UUID to renew'),
    new_plan_id: Type.Optional(Id('New plan ID for upgrade (optional)')),
    months: IntLike({ minimum: 1, maximum: 36, description: 'Number of months to renew (1-36)' }),
    type_payment: PaymentType,
  },
  { additionalProperties: false },
)

export const ScalePleskResponse = Type.Object({
  ...Outcome,
  message: Type.String(),
  order: PleskOrder,
  subscription: Type.Object({
    id: Type.String(),
    domain_name: Type.String(),
    new_expires_at: NStr(),
    months_added: Type.Integer(),
    status: Type.String(),
  }),
  balance_after: Type.String(),
  ...payment,
})
