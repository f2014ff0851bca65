import { writeAudit } from '../admin/audit-log.ts'
import { abandonQueuedDeliveries } from './abandon-deliveries.ts'
import type { WebhookDeps } from './create-endpoint.ts'
import { requireEndpoint, type EndpointOwner } from './owner.ts'

/**
 * Deletes an endpoint: it receives nothing more and is gone from lists, but its row and delivery
 * log stay (deliveries name it) — and its URL is free for a new registration.
 */
export async function deleteWebhookEndpoint(deps: Pick<WebhookDeps, 'db' | 'clock'>, owner: EndpointOwner, id: string) {
  const now = deps.clock.now()
  await deps.db.transaction().execute(async trx => {
    const row = await requireEndpoint(trx, owner, id, { forUpdate: true })
    await trx
      .updateTable('webhook_endpoints')
      .set({ status: 'deleted', previous_secret_sealed: null, previous_secret_until: null, updated_at: now })
      .where('id', '=', row.id)
      .execute()
    await abandonQueuedDeliveries(trx, row.id, 'endpoint deleted', now)
    if (owner.kind === 'operator' && owner.meta) {
      await writeAudit(trx, {
        actor: owner.meta.actor,
        requestId: owner.meta.requestId,
        action: 'webhook_endpoint.delete',
        targetType: 'webhook_endpoint',
        targetId: row.id,
        details: { url: row.url },
      })
    }
  })
  return { deleted: id }
}
