import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import { PagedResponse } from '../../../schemas/paging.ts'
import { Money, Success, Timestamp } from '../shared.schema.ts'

/** Plesk clients (docs/0xhost-compat.md 3.24 create; list implied) and subscriptions (3.27 detail; list implied). */

export const CreateClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Client name' }),
    login: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'Plesk login: 3-60 lower-case letters, digits, _ . -, starting with a letter',
    }),
    email: Type.String({ minLength: 3, maxLength: 254, description: 'Client email' }),
    password: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Plesk password: 8-64 characters with a letter and a digit (never stored or echoed)',
    }),
    company: Type.Optional(Type.String({ maxLength: 100, description: 'Company name' })),
    user_id: Type.Optional(Id('Owner of the client; defaults to the caller. Another user needs an admin key')),
  },
  { additionalProperties: false },
)

export const PleskClient = Type.Object({
  id: Type.String({ description: 'Client id: what Plesk orders take as client_id' }),
  plesk_client_id: Type.String({
    description: 'The Plesk customer id (numeric string); empty while it is being created',
  }),
  name: Type.String(),
  login: Type.String(),
  email: Type.String(),
  company: Type.String({ description: 'Empty when none was given' }),
  status: Type.String({ description: 'pending, active or provision_failed' }),
  created_at: Timestamp(),
  updated_at: Timestamp(),
})

export const CreateClientResponse = Type.Object({ success: Success, message: Type.String(), data: PleskClient })
export const ListClientsResponse = PagedResponse(PleskClient)

export const Subscription = Type.Object({
  id: Type.String(),
  domain_name: Type.String(),
  status: Type.String({ description: 'provisioning, active, renewing, provision_failed…' }),
  price: Money('Plan price per month, EUR'),
  plan_id: Type.String(),
  plan_name: Type.String(),
  client_id: Type.String(),
  client_name: Type.String(),
  created_at: Timestamp(),
  expires_at: Timestamp(),
  auto_renew: Type.Boolean(),
  ftp_username: Type.String(),
  cancel_at: Type.Union([Timestamp(), Type.Null()], {
    description:
      'When a cancellation at the end of the term takes effect (null: none pending). Not in the 0xhost docs.',
  }),
  operator_suspended: Type.Boolean({
    description: 'Suspended by the operator (lifted only by the operator, not by a renewal). Not in the 0xhost docs.',
  }),
})

export const ListSubscriptionsResponse = PagedResponse(Subscription)

export const SubscriptionDetailQuery = Type.Object({ id: Id('Subscription id') }, { additionalProperties: false })

export const SubscriptionDetailResponse = Type.Object({
  success: Success,
  subscription: Subscription,
  orders: Type.Array(
    Type.Object({
      id: Type.String(),
      order_number: Type.String(),
      order_type: Type.String({ description: 'plesk or plesk_renew' }),
      amount: Money('Amount charged, EUR'),
      currency: Type.Literal('EUR'),
      status: Type.String(),
      created_at: Timestamp(),
    }),
  ),
})
