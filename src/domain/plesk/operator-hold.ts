import type { Db } from '../../db/connect.ts'
import type { PleskSubscription } from '../../db/schema.ts'
import type { AdminMeta } from '../admin/meta.ts'
import { notFound } from '../../lib/errors.ts'

/** Who acts for an operator's suspension or resumption: an admin key (with its request) or the CLI. */
export type OperatorActor = Pick<AdminMeta, 'actor'> & { requestId?: string }

/** The subscription under its row lock, any user's (operators reach every subscription); 404 if missing. */
export async function lockAnySubscription(trx: Db, id: string): Promise<PleskSubscription> {
  const sub = await trx
    .selectFrom('plesk_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  if (!sub) throw notFound('subscription', id)
  return sub
}

/** Whether an operator's suspension stands on the subscription (read fresh: jobs call it right before Plesk). */
export async function isOperatorSuspended(db: Db, subscriptionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('plesk_subscriptions')
    .select('operator_suspended_at')
    .where('id', '=', subscriptionId)
    .executeTakeFirst()
  return row?.operator_suspended_at != null
}
