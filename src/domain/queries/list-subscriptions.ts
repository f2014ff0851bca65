import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { requireUser } from '../access/authorize.ts'
import { subscriptionRow, subscriptionsQuery } from './subscription-rows.ts'

/** The Plesk subscriptions of a user, newest first, each in the shape of the subscription detail. */
export async function listSubscriptions(db: Db, input: { principal: Principal; userId?: string; page: PageRequest }) {
  const userId = (await requireUser(db, input.principal, input.userId, 'read')).id
  const query = subscriptionsQuery(db)
    .where('plesk_subscriptions.user_id', '=', userId)
    .orderBy('plesk_subscriptions.created_at', 'desc')
    .orderBy('plesk_subscriptions.id', 'desc')
  const { rows, meta } = await fetchPage(query, input.page)
  return { data: rows.map(subscriptionRow), meta }
}
