import type { Db } from '../../db/connect.ts'
import type { WebhookEndpointsTable } from '../../db/schema.ts'
import type { Selectable } from 'kysely'
import { notFound } from '../../lib/errors.ts'
import type { AdminMeta } from '../admin/meta.ts'

export type EndpointRow = Selectable<WebhookEndpointsTable>

/**
 * Whose endpoints a request reaches. A customer (or an admin key acting for one through the
 * customer API) reaches that user's endpoints only; the admin API reaches every endpoint, and
 * creates operator endpoints (`user_id` null, which receive every customer's events). Another
 * owner's endpoint is a 404 exactly like a missing one.
 */
export type EndpointOwner = { kind: 'customer'; userId: string } | { kind: 'operator'; meta?: AdminMeta }

/** The endpoint `id` if `owner` reaches it and it is not deleted, else 404. */
export async function requireEndpoint(
  db: Db,
  owner: EndpointOwner,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<EndpointRow> {
  let q = db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('status', '<>', 'deleted')
  if (owner.kind === 'customer') q = q.where('user_id', '=', owner.userId)
  if (opts.forUpdate === true) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  if (!row) throw notFound('webhook_endpoint', id)
  return row
}

/** The user id new endpoints of `owner` get: the customer's, or null for the operator's own. */
export const ownerUserId = (owner: EndpointOwner): string | null => (owner.kind === 'customer' ? owner.userId : null)
