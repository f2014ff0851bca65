import { actorOf } from '../auth/api-keys.ts'
import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { AppError } from '../../lib/errors.ts'

export interface SetAutoRenewInput {
  principal: Principal
  requestId: string
  userId?: string
  serverId: string
  autoRenew: boolean
}

/** Servers that will never be renewed again: the flag would mean nothing. */
const FINAL = new Set(['provision_failed', 'terminating', 'deleted'])

/**
 * Turns a server's auto-renew on or off (docs/0xhost-compat.md 3.4). The flag is read and written under a
 * row lock, and an audit record (old and new value) commits with it. Setting the value it
 * already has succeeds and is audited too: the request happened.
 */
export async function setServerAutoRenew(db: Db, input: SetAutoRenewInput, now: Date): Promise<void> {
  const user = await requireUser(db, input.principal, input.userId, 'use')
  await db.transaction().execute(async trx => {
    // Under the lock the owner is checked again: a deactivation that committed meanwhile stops the write.
    const server = await requireOwned(trx, input.principal, 'servers', input.serverId, {
      access: 'use',
      owner: user.id,
      forUpdate: true,
      usable: s => {
        if (FINAL.has(s.status)) {
          throw new AppError('invalid_state', `server '${s.id}' is ${s.status}; auto-renew cannot be changed`, {
            details: { status: s.status },
          })
        }
        // Turning it on does not silently withdraw a cancellation: that is its own request.
        if (input.autoRenew && s.cancel_at !== null) {
          throw new AppError(
            'invalid_state',
            `server '${s.id}' is cancelled at the end of its term (${s.cancel_at.toISOString()}); undo the cancellation (POST /API/services/cancel/undo) before turning auto-renew on`,
            { details: { status: s.status, cancel_at: s.cancel_at.toISOString() } },
          )
        }
      },
    })
    if (server.auto_renew !== input.autoRenew) {
      await trx
        .updateTable('servers')
        .set({ auto_renew: input.autoRenew, updated_at: now })
        .where('id', '=', server.id)
        .execute()
    }
    await writeAudit(trx, {
      actor: actorOf(input.principal),
      requestId: input.requestId,
      action: 'server.auto_renew',
      targetType: 'server',
      targetId: server.id,
      details: { user_id: user.id, from: server.auto_renew, to: input.autoRenew },
    })
  })
}
