import { Type } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { PagedResponse, PageQuery } from '../../schemas/paging.ts'
import { KEY_SCOPES } from '../../../domain/admin/issue-user-key.ts'
import { AMOUNT, BoolQuery, Changed, Nullable, SIGNED_AMOUNT, Timestamps } from './common.schema.ts'

/** Users, API keys and balances (admin API). */

export const UserParams = Type.Object({ user_id: Id('User id') }, { additionalProperties: false })
export const KeyParams = Type.Object({ key_id: Id('API key id') }, { additionalProperties: false })

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  email: Type.String(),
  telegram: Nullable(Type.String()),
  balance: Type.String({ description: 'EUR, decimal string' }),
  is_active: Type.Boolean(),
  email_verified: Type.Boolean(),
  ...Timestamps,
})

export const ApiKey = Type.Object(
  {
    id: Type.String(),
    user_id: Type.String(),
    prefix: Type.String({ description: 'First characters of the key, to recognise it' }),
    name: Nullable(Type.String()),
    scopes: Type.Array(Type.String()),
    loopback_only: Type.Boolean(),
    created_at: Type.String(),
    last_used_at: Nullable(Type.String()),
    revoked_at: Nullable(Type.String()),
  },
  { description: 'An API key without its secret' },
)

export const LedgerEntry = Type.Object({
  id: Type.String(),
  user_id: Type.String(),
  amount: Type.String({ description: 'Signed EUR: credits positive, debits negative' }),
  balance_after: Type.String(),
  kind: Type.String(),
  reason: Type.String(),
  actor: Type.String({ description: 'API key id, "cli", "worker" or "system"' }),
  order_id: Nullable(Type.String()),
  payment_id: Nullable(Type.String()),
  created_at: Type.String(),
})

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320, description: 'Unique, stored lower-cased' }),
    username: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Defaults to the part of the email before @' }),
    ),
    balance: Type.Optional(
      Type.String({ pattern: AMOUNT, description: 'Opening balance in EUR (a ledger entry), default 0' }),
    ),
  },
  { additionalProperties: false },
)

export const CreateUserResponse = Type.Object({
  success: Type.Boolean(),
  user: User,
  api_key: Type.Object({
    id: Type.String(),
    key: Type.String({ description: 'The key itself: shown in this response only, store it now' }),
    prefix: Type.String(),
    scopes: Type.Array(Type.String()),
  }),
})

export const ListUsersQuery = Type.Object(
  {
    email: Type.Optional(
      Type.String({ minLength: 1, maxLength: 320, description: 'Part of the email address, case-insensitive' }),
    ),
    active: Type.Optional(BoolQuery('Only active (true) or deactivated (false) users')),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const UserResponse = Type.Object({
  success: Type.Boolean(),
  user: Type.Object({ ...User.properties, active_keys: Type.Integer() }),
})
export const UserTransitionResponse = Type.Object({ success: Type.Boolean(), changed: Changed, user: User })

export const IssueKeyBody = Type.Object(
  {
    scopes: Type.Optional(
      Type.Array(Type.Enum([...KEY_SCOPES]), {
        maxItems: KEY_SCOPES.length,
        uniqueItems: true,
        description: `Scopes from: ${KEY_SCOPES.join(', ')}; none for a customer key`,
      }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A label for operators' })),
  },
  { additionalProperties: false },
)

export const IssueKeyResponse = Type.Object({
  success: Type.Boolean(),
  key: ApiKey,
  api_key: Type.String({ description: 'The key itself: shown in this response only, store it now' }),
})

export const ListKeysResponse = Type.Object({ success: Type.Boolean(), data: Type.Array(ApiKey) })
export const KeyTransitionResponse = Type.Object({ success: Type.Boolean(), changed: Changed, key: ApiKey })

export const AdjustBalanceBody = Type.Object(
  {
    user_id: Id('User id'),
    amount: Type.String({
      pattern: SIGNED_AMOUNT,
      description: 'Signed EUR: 10.00 credits, -5.00 debits (never below a zero balance)',
    }),
    reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why; stored on the ledger entry' }),
  },
  { additionalProperties: false },
)

export const AdjustBalanceResponse = Type.Object({
  success: Type.Boolean(),
  entry: LedgerEntry,
  balance: Type.String({ description: 'Balance after, EUR' }),
})

export const LedgerQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export const LedgerResponse = PagedResponse(LedgerEntry)
export const ListUsersResponse = PagedResponse(User)
