import type { Db } from '../../db/connect.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { writeAudit } from './audit-log.ts'
import type { AdminMeta } from './meta.ts'
import { userView } from './views.ts'

/**
 * Deactivates or reactivates a user. Authentication checks `users.is_active` on every request,
 * so a deactivated user's keys get 401 at once; their data, services and balance stay as they are.
 * Repeating the call is harmless: it answers `changed: false` and writes no audit record.
 */
export async function setUserActive(db: Db, meta: AdminMeta, input: { userId: string; active: boolean }, now: Date) {
  // Deactivating the user of the acting key would lock the operator out mid-session; the CLI can still do it.
  if (!input.active && input.userId === meta.actorUserId) {
    throw new AppError('invalid_state', 'you cannot deactivate the user whose key makes this request')
  }
  return db.transaction().execute(async trx => {
    const user = await trx.selectFrom('users').selectAll().where('id', '=', input.userId).forUpdate().executeTakeFirst()
    if (!user) throw notFound('user', input.userId)
    if (user.is_active === input.active) return { user: userView(user), changed: false }
    const updated = await trx
      .updateTable('users')
      .set({ is_active: input.active, updated_at: now })
      .where('id', '=', input.userId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await writeAudit(trx, {
      actor: meta.actor,
      requestId: meta.requestId,
      action: input.active ? 'user.reactivate' : 'user.deactivate',
      targetType: 'user',
      targetId: input.userId,
    })
    return { user: userView(updated), changed: true }
  })
}
