import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { ownerScope, requireOwned } from '../access/authorize.ts'
import { viewPleskAction, type PleskActionView } from './action-view.ts'

/** At most this many actions are listed, newest first. */
export const PLESK_ACTION_LIST_LIMIT = 50

/** The Plesk actions of one subscription of the caller (any for an admin key), newest first. */
export async function listPleskActions(
  db: Db,
  input: { principal: Principal; userId?: string; subscriptionId: string },
): Promise<PleskActionView[]> {
  const owner = await ownerScope(db, input.principal, input.userId)
  const sub = await requireOwned(db, input.principal, 'plesk_subscriptions', input.subscriptionId, {
    access: 'read',
    owner,
  })
  const rows = await db
    .selectFrom('plesk_actions')
    .selectAll()
    .where('subscription_id', '=', sub.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PLESK_ACTION_LIST_LIMIT)
    .execute()
  return rows.map(viewPleskAction)
}
