import { Type } from 'typebox'
import { PagedResponse } from '../../../schemas/paging.ts'
import { Money, Nullable, Success, Timestamp, UserIdParam } from '../shared.schema.ts'

/** GET /API/info_user (docs/0xhost-compat.md 3.1), GET /API/balance and GET /API/balance/ledger. */

export const InfoUserQuery = Type.Object({ ...UserIdParam }, { additionalProperties: false })

export const InfoUserResponse = Type.Object({
  success: Success,
  user: Type.Object({
    id: Type.String(),
    username: Type.String(),
    email: Type.String(),
    userTelegram: Nullable(Type.String()),
    balance: Money('Balance, EUR'),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
    isActive: Type.Integer({ description: '1 active, 0 deactivated' }),
    superuser: Type.Integer({ description: '1 when the user holds an admin API key' }),
    notification_days_before: Type.Integer(),
    notification_preference: Type.String(),
    email_verified: Type.Boolean(),
  }),
})

export const BalanceQuery = InfoUserQuery

export const BalanceResponse = Type.Object({
  success: Success,
  balance: Money('Balance, EUR'),
  currency: Type.Literal('EUR'),
})

export const LedgerEntry = Type.Object({
  id: Type.String(),
  delta: Money('Movement, EUR: negative for debits'),
  balance_after: Money('Balance right after this movement, EUR'),
  currency: Type.Literal('EUR'),
  kind: Type.String({
    description: 'order_debit, refund, downgrade_credit, payment_credit, top_up, adjustment, opening_balance',
  }),
  reason: Type.String(),
  order_id: Nullable(Type.String()),
  created_at: Timestamp(),
})

export const LedgerResponse = PagedResponse(LedgerEntry)
