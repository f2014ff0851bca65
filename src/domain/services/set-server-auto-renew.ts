import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { actingUser } from '../catalog/lookups.ts'
import { AppError, notFound } from '../../lib/errors.ts'

export interface SetAutoRenewInput {
  principal: Principal
  requestId: string
  userId?: string
  serverId: string
  autoRenew: boolean
}

/** Servers that will never be renewed again: the flag would mean nothing. */
const FINAL = new Set(['provision_failed', 'deleted'])

/**
 * Turns a server's auto-renew on or off (docs/0xhost-compat.md 3.4). The flag is read and written under a
 * row lock, and an audit record (old and new value) commits with it. Setting the value it
 * already has succeeds and is audited too: the request happened.
 */
export async function setServerAutoRenew(db: Db, input: SetAutoRenewInput, now: Date): Promise<void> {
  const user = await actingUser(db, input.principal, input.userId)
  await db.transaction().execute(async trx => {
    const server = await trx
      .selectFrom('servers')
      .select(['id', 'status', 'auto_renew'])
      .where('id', '=', input.serverId)
      .where('user_id', '=', user.id)
      .forUpdate()
      .executeTakeFirst()
    if (!server) throw notFound('server', input.serverId)
    if (FINAL.has(server.status)) {
      throw new AppError('invalid_state', `server '${server.id}' is ${server.status}; auto-renew cannot be changed`, {
        details: { status: server.status },
      })
    }
    if (server.auto_renew !== input.autoRenew) {
      await trx
        .updateTable('servers')
        .set({ auto_renew: input.autoRenew, updated_at: now })
        .where('id', '=', server.id)
        .execute()
    }
    await writeAudit(trx, {
      actor: input.principal.apiKeyId,
      requestId: input.requestId,
      action: 'server.auto_renew',
      targetType: 'server',
      targetId: server.id,
      details: { user_id: user.id, from: server.auto_renew, to: input.autoRenew },
    })
  })
}
