import { Type } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { PagedResponse, PageQuery } from '../../schemas/paging.ts'
import { OrderPrefix } from '../../../domain/orders/order-number.ts'
import { JOB_STATES } from '../../../domain/admin/list-jobs.ts'
import { Instant, Nullable, Timestamps, Word } from './common.schema.ts'

/** Overviews of orders, services, jobs and the audit log (admin API). */

const From = Instant('Created at or after: a date (00:00 UTC) or an ISO 8601 date-time')
const To = Instant('Created before (exclusive): a date (00:00 UTC) or an ISO 8601 date-time')
const UserFilter = Id('Only this user')
const NStr = () => Nullable(Type.String())
const NInt = () => Nullable(Type.Integer())

export const OrdersQuery = Type.Object(
  {
    user_id: Type.Optional(UserFilter),
    type: Type.Optional(Type.Enum(Object.keys(OrderPrefix), { description: 'Order type' })),
    status: Type.Optional(Word('Order status: processing, completed, failed, …')),
    from: Type.Optional(From),
    to: Type.Optional(To),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const OrderItem = Type.Object({
  id: Type.String(),
  order_number: Type.String(),
  user_id: Type.String(),
  order_type: Type.String(),
  status: Type.String(),
  payment_method: Type.String(),
  amount: Type.String({
    description: 'What the order charged, EUR (stored with the order; catalog price changes never alter it)',
  }),
  upgrade_difference: Type.String(),
  credit: Type.String(),
  currency: Type.String(),
  plan_id: NStr(),
  server_id: NStr(),
  subscription_id: NStr(),
  server_addon_id: NStr(),
  hours: NInt(),
  months: NInt(),
  description: Type.String(),
  failure_reason: NStr(),
  metadata: Type.Object({}, { additionalProperties: true }),
  ...Timestamps,
})

export const ServicesQuery = Type.Object(
  {
    user_id: Type.Optional(UserFilter),
    status: Type.Optional(Word('Service status: provisioning, active, provision_failed, …')),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const ServerItem = Type.Object({
  id: Type.String(),
  user_id: Type.String(),
  name: Type.String(),
  status: Type.String(),
  plan_id: Type.String(),
  os_image_id: Type.String(),
  location_id: Type.String(),
  id_solusvm: NInt(),
  solusvm_uuid: NStr(),
  primary_ip: NStr(),
  extra_ips: Type.Array(Type.String()),
  auto_renew: Type.Boolean(),
  rental_duration_hours: Type.Integer(),
  expire_date: Type.String(),
  cancel_at: Type.Union([Type.String(), Type.Null()], {
    description: 'A pending cancellation ends it then; null: none',
  }),
  ...Timestamps,
})

export const PleskSubscriptionItem = Type.Object({
  id: Type.String(),
  user_id: Type.String(),
  client_id: Type.String(),
  plan_id: Type.String(),
  domain_name: Type.String(),
  ftp_login: Type.String(),
  status: Type.String(),
  plesk_webspace_id: NInt(),
  auto_renew: Type.Boolean(),
  expires_at: Type.String(),
  cancel_at: Type.Union([Type.String(), Type.Null()], {
    description: 'A pending cancellation ends it then; null: none',
  }),
  ...Timestamps,
})

export const JobsQuery = Type.Object(
  {
    state: Type.Optional(Type.Enum([...JOB_STATES], { description: 'Job state' })),
    kind: Type.Optional(Word('Job kind, e.g. server.create')),
    order_id: Type.Optional(Id('Only jobs of this order')),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const JobItem = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    version: Type.Integer(),
    state: Type.String(),
    order_id: NStr(),
    attempts: Type.Integer(),
    max_attempts: Type.Integer(),
    last_error: NStr(),
    holds_secret: Type.Boolean({
      description: 'Whether a secret (root or FTP password) still waits for the job; never shown',
    }),
    run_at: Type.String(),
    lease_until: NStr(),
    ...Timestamps,
    finished_at: NStr(),
  },
  { description: 'A job without its payload or secret' },
)

export const JobParams = Type.Object({ job_id: Id('Job id') }, { additionalProperties: false })

export const RetryJobResponse = Type.Object({
  success: Type.Boolean(),
  job_id: Type.String(),
  state: Type.Literal('pending'),
  new_secret_generated: Type.Boolean({
    description:
      'The secret was erased when the job failed and a new random one was generated: the customer must reset it after provisioning. It is never returned.',
  }),
})

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'API key id, or "cli"' })),
    action: Type.Optional(Word('e.g. user.create, key.revoke, balance.adjust, vps_plan.update, job.retry')),
    target_type: Type.Optional(Word('e.g. user, api_key, vps_plan, job')),
    target_id: Type.Optional(Id('Target id')),
    request_id: Type.Optional(Id('The x-request-id of the request that wrote it')),
    from: Type.Optional(From),
    to: Type.Optional(To),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const AuditItem = Type.Object({
  id: Type.String(),
  actor: Type.String(),
  request_id: NStr(),
  action: Type.String(),
  target_type: Type.String(),
  target_id: Type.String(),
  details: Type.Object({}, { additionalProperties: true }),
  created_at: Type.String(),
})

export const OrdersResponse = PagedResponse(OrderItem)
export const ServersResponse = PagedResponse(ServerItem)
export const PleskSubscriptionsResponse = PagedResponse(PleskSubscriptionItem)
export const JobsResponse = PagedResponse(JobItem)
export const AuditResponse = PagedResponse(AuditItem)
