import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { formatAmount } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'
import { requireUser } from '../access/authorize.ts'

/**
 * The documented user object (docs/0xhost-compat.md 3.1), keys as the docs spell them: camelCase for
 * `userTelegram`, `createdAt`, `updatedAt`, `isActive`; 0/1 integers for `isActive` and
 * `superuser`; a real boolean for `email_verified`; the balance as a decimal string.
 * `superuser` is 1 when the user holds an unrevoked admin key — oxbill's only notion of it.
 */
export async function getUserInfo(db: Db, input: { principal: Principal; userId?: string }) {
  const user = await requireUser(db, input.principal, input.userId, 'read')
  const adminKey = await db
    .selectFrom('api_keys')
    .select('id')
    .where('user_id', '=', user.id)
    .where('revoked_at', 'is', null)
    .where(eb => eb(eb.val('admin'), '=', eb.fn.any('scopes')))
    .executeTakeFirst()
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    userTelegram: user.telegram,
    balance: formatAmount(user.balance_cents),
    createdAt: formatTimestamp(user.created_at)!,
    updatedAt: formatTimestamp(user.updated_at)!,
    isActive: user.is_active ? 1 : 0,
    superuser: adminKey ? 1 : 0,
    notification_days_before: user.notification_days_before,
    notification_preference: user.notification_preference,
    email_verified: user.email_verified,
  }
}
