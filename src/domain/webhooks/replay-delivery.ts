import { AppError, notFound } from '../../lib/errors.ts'
import { writeAudit } from '../admin/audit-log.ts'
import type { WebhookDeps } from './create-endpoint.ts'
import { deliveriesQuery, deliveryView } from './list-deliveries.ts'
import { requireEndpoint, type EndpointOwner } from './owner.ts'

/**
 * Sends a delivery again (delivered, failed or abandoned alike), with the same `webhook-id` — a
 * receiver that de-duplicates by id will drop it if it had it, which is the point of the id — and
 * a fresh retry schedule. The endpoint must be enabled; a delivery being sent right now cannot be.
 */
export async function replayWebhookDelivery(
  deps: Pick<WebhookDeps, 'db' | 'clock'>,
  input: { owner: EndpointOwner; endpointId: string; deliveryId: string },
) {
  const now = deps.clock.now()
  const row = await deps.db.transaction().execute(async trx => {
    const endpoint = await requireEndpoint(trx, input.owner, input.endpointId, { forUpdate: true })
    if (endpoint.status !== 'enabled') {
      throw new AppError('invalid_state', 'the endpoint is disabled; enable it before replaying', {
        details: { status: endpoint.status },
      })
    }
    const d = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'state'])
      .where('id', '=', input.deliveryId)
      .where('endpoint_id', '=', endpoint.id)
      .forUpdate()
      .executeTakeFirst()
    if (!d) throw notFound('webhook_delivery', input.deliveryId)
    if (d.state === 'sending') throw new AppError('invalid_state', 'the delivery is being sent right now')
    await trx
      .updateTable('webhook_deliveries')
      .set(eb => ({
        state: 'pending',
        round_start: eb.ref('attempts'),
        next_attempt_at: now,
        lease_token: null,
        lease_until: null,
        updated_at: now,
      }))
      .where('id', '=', d.id)
      .execute()
    if (input.owner.kind === 'operator' && input.owner.meta) {
      await writeAudit(trx, {
        actor: input.owner.meta.actor,
        requestId: input.owner.meta.requestId,
        action: 'webhook_delivery.replay',
        targetType: 'webhook_delivery',
        targetId: d.id,
        details: { previous_state: d.state },
      })
    }
    return deliveriesQuery(trx, { endpointId: endpoint.id }).where('d.id', '=', d.id).executeTakeFirstOrThrow()
  })
  return { delivery: deliveryView(row) }
}
