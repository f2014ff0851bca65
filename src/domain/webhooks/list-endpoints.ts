import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { endpointView } from './endpoint-view.ts'
import { requireEndpoint, type EndpointOwner } from './owner.ts'

/**
 * Endpoints, newest first: a customer's own; for the admin API every endpoint, or one customer's
 * (`userId`), or the operator's own (`operatorOnly`).
 */
export async function listWebhookEndpoints(
  db: Db,
  input: { owner: EndpointOwner; userId?: string; operatorOnly?: boolean; page: PageRequest; now: Date },
) {
  let q = db.selectFrom('webhook_endpoints').selectAll().where('status', '<>', 'deleted').orderBy('id', 'desc')
  if (input.owner.kind === 'customer') q = q.where('user_id', '=', input.owner.userId)
  else if (input.operatorOnly === true) q = q.where('user_id', 'is', null)
  else if (input.userId !== undefined) q = q.where('user_id', '=', input.userId)
  const { rows, meta } = await fetchPage(q, input.page)
  return { data: rows.map(r => endpointView(r, input.now)), meta }
}

export async function getWebhookEndpoint(db: Db, owner: EndpointOwner, id: string, now: Date) {
  return { endpoint: endpointView(await requireEndpoint(db, owner, id), now) }
}
