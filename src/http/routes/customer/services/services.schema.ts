import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import { PagedResponse } from '../../../schemas/paging.ts'
import { ServerRow } from '../../orders/orders.schema.ts'
import { Money, OpenObject, PagedUserQuery, Success, Timestamp, UserIdParam } from '../shared.schema.ts'

/**
 * The caller's servers: list and detail (implied), addons (docs/0xhost-compat.md 3.5), usage (3.3)
 * and auto-renew (3.4).
 */

export const ServerIdQuery = Type.Object(
  { ...UserIdParam, server_id: Id('Server id') },
  { additionalProperties: false },
)

export const AddonRow = Type.Object({
  id: Type.String({ description: 'The addon assignment' }),
  addon_id: Type.String(),
  server_id: Type.String(),
  status: Type.String({
    description:
      'unassigned until delivered, then assigned; failed when refunded; releasing while a cancellation removes the IP, released once it is gone (cancelled, or its server was terminated)',
  }),
  assigned_price: Money('Price paid, EUR'),
  assigned_value: Type.String({ description: 'The delivered value (the extra IPv4), empty until assigned' }),
  created_at: Timestamp(),
  updated_at: Timestamp(),
  addon_name: Type.String(),
  // oxbill's addition after the documented fields (issue 13).
  cancel_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When a cancelled addon ends (ISO-8601 UTC); null when none is pending',
  }),
})

export const ListAddonServerResponse = Type.Object({ success: Success, data: Type.Array(AddonRow) })

const CancelAt = Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
  description:
    'When a cancellation at the end of the term takes effect (ISO-8601 UTC); null when none is pending. The server is deleted then.',
})

/** The full server row of the docs (registered as `ServerRow`) plus `cancel_at` and the server's addons. */
export const ServerWithAddons = Type.Object({
  ...ServerRow.properties,
  cancel_at: CancelAt,
  addons: Type.Array(AddonRow),
})

export const ListServersQuery = PagedUserQuery
export const ListServersResponse = PagedResponse(ServerWithAddons)
export const ServerDetailResponse = Type.Object({
  success: Success,
  data: Type.Object({
    ...ServerWithAddons.properties,
    power_status: Type.Union([Type.String(), Type.Null()], {
      description:
        "SolusVM's live state of the VM: started, stopped, processing (a task runs), paused, unavailable; null when SolusVM did not answer in time or there is no VM",
    }),
    boot_mode: Type.Union([Type.Enum(['disk', 'rescue']), Type.Null()], {
      description:
        'What the VM boots, read live from SolusVM like power_status: disk, or rescue (POST /API/servers/rescue); null when unknown (SolusVM slow or down, no VM)',
    }),
  }),
})

export const UsageQuery = Type.Object(
  {
    ...UserIdParam,
    server_id: Id('Server id'),
    specification: Type.Enum(['cpu', 'memory', 'disk', 'network'], { description: 'cpu, memory, disk or network' }),
  },
  { additionalProperties: false },
)

export const UsageResponse = Type.Object({
  success_update_db: Type.Literal(false, { description: 'Always false; kept because the documented response has it' }),
  success: Success,
  data: Type.Object({
    name: Type.String({ description: 'e.g. CPU' }),
    interval: Type.Object({ value: Type.Number(), measurement: Type.String({ description: 'e.g. second' }) }),
    items: Type.Array(OpenObject('One sample; keys depend on the specification, `time` is ISO-8601 UTC')),
  }),
})

export const AutoRenewBody = Type.Object(
  {
    ...UserIdParam,
    server_id: Id('Server id'),
    auto_renew: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal('0'), Type.Literal('1')], {
      description: '1 on, 0 off (numeric strings accepted, as the docs send them)',
    }),
  },
  { additionalProperties: false },
)

export const AutoRenewResponse = Type.Object({ success: Success, message: Type.String() })

const ServiceKind = Type.Enum(['server', 'plesk', 'addon'], {
  description: 'server: a VPS; plesk: a Plesk subscription; addon: an extra IPv4 of a server (`server_addons.id`)',
})

const When = Type.Enum(['end_of_term', 'immediate'], {
  description:
    "end_of_term: the service runs until its expiry (an addon: its server's expiry), then is deleted; immediate: it is terminated now (deleted at SolusVM or Plesk, not recoverable, cannot be undone)",
})

/** Cancellation (issue 13): servers, Plesk subscriptions and server addons, at the end of the term or now. */
export const CancelBody = Type.Object(
  {
    ...UserIdParam,
    service_id: Id('A server id, a Plesk subscription id or a server addon id (`server_addons.id`)'),
    when: When,
  },
  { additionalProperties: false },
)

/** The preview takes the same body and changes nothing. */
export const CancelQuoteBody = CancelBody

export const Cancellation = Type.Object(
  {
    service_id: Type.String(),
    service_kind: ServiceKind,
    when: When,
    effective_at: Type.String({
      format: 'date-time',
      description:
        "When the service ends (ISO-8601 UTC): its expiry for end_of_term (an addon: its server's expiry), now for immediate",
    }),
    refund: Type.Union([Money('Credited to the balance, EUR'), Type.Null()], {
      description:
        'The unused paid time credited to the balance (prorated to the second, rounded down), for an immediate cancellation when the operator refunds unused time (CANCEL_REFUND_UNUSED); "0.00" for an addon (its one-time price is not refunded); null otherwise',
    }),
  },
  { description: 'What the cancellation does (or, from /API/services/cancel/quote, would do now)' },
)

export const CancelResponse = Type.Object({ success: Success, cancellation: Cancellation })

export const UndoCancelBody = Type.Object(
  { ...UserIdParam, service_id: Id('A server id, a Plesk subscription id or a server addon id') },
  { additionalProperties: false },
)

export const UndoCancelResponse = Type.Object({
  success: Success,
  service_id: Type.String(),
  service_kind: ServiceKind,
  cancel_at: Type.Null({ description: 'No cancellation is pending any more; auto-renew stays off until turned on' }),
})
