import { actorOf } from '../auth/api-keys.ts'
import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { AppError } from '../../lib/errors.ts'

/** The services an auto-renew flag belongs to, and how their errors and audit rows name them. */
const TARGETS = {
  servers: { noun: 'server', audit: 'server.auto_renew', targetType: 'server' },
  plesk_subscriptions: { noun: 'subscription', audit: 'plesk.auto_renew', targetType: 'plesk_subscription' },
} as const
export type AutoRenewTable = keyof typeof TARGETS

export interface AutoRenewInput {
  principal: Principal
  requestId: string
  userId?: string
  table: AutoRenewTable
  id: string
  autoRenew: boolean
}

/** Services that will never be renewed again: the flag would mean nothing. */
const FINAL = new Set(['provision_failed', 'terminating', 'deleted'])

/**
 * Turns the auto-renew of a server or a Plesk subscription on or off: one rule for both. The
 * flag is read and written under the row's lock, and an audit record (old and new value) commits
 * with it. Setting the value it already has succeeds and is audited too: the request happened.
 * Turning it on is refused while a cancellation is pending, so it never silently withdraws one.
 */
export async function applyAutoRenew(db: Db, input: AutoRenewInput, now: Date): Promise<void> {
  const t = TARGETS[input.table]
  const user = await requireUser(db, input.principal, input.userId, 'use')
  await db.transaction().execute(async trx => {
    // Under the lock the owner is checked again: a deactivation that committed meanwhile stops the write.
    const row = await requireOwned(trx, input.principal, input.table, input.id, {
      access: 'use',
      owner: user.id,
      forUpdate: true,
      usable: s => {
        if (FINAL.has(s.status)) {
          throw new AppError('invalid_state', `${t.noun} '${s.id}' is ${s.status}; auto-renew cannot be changed`, {
            details: { status: s.status },
          })
        }
        if (input.autoRenew && s.cancel_at !== null) {
          throw new AppError(
            'invalid_state',
            `${t.noun} '${s.id}' is cancelled at the end of its term (${s.cancel_at.toISOString()}); undo the cancellation (POST /API/services/cancel/undo) before turning auto-renew on`,
            { details: { status: s.status, cancel_at: s.cancel_at.toISOString() } },
          )
        }
      },
    })
    if (row.auto_renew !== input.autoRenew) {
      await trx
        .updateTable(input.table as 'servers')
        .set({ auto_renew: input.autoRenew, updated_at: now })
        .where('id', '=', row.id)
        .execute()
    }
    await writeAudit(trx, {
      actor: actorOf(input.principal),
      requestId: input.requestId,
      action: t.audit,
      targetType: t.targetType,
      targetId: row.id,
      details: { user_id: user.id, from: row.auto_renew, to: input.autoRenew },
    })
  })
}

/** The API's auto_renew value: 1/0, "1"/"0" (as the docs send them) or a boolean. */
export function autoRenewValue(v: 0 | 1 | '0' | '1' | boolean): boolean {
  return v === true || v === 1 || v === '1'
}
