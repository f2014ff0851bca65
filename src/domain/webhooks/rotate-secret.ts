import { newEndpointSecret } from '../../integrations/webhooks/secrets.ts'
import { validation } from '../../lib/errors.ts'
import { writeAudit } from '../admin/audit-log.ts'
import type { WebhookDeps } from './create-endpoint.ts'
import { endpointView } from './endpoint-view.ts'
import { requireEndpoint, type EndpointOwner } from './owner.ts'

export const DEFAULT_OVERLAP_HOURS = 24
export const MAX_OVERLAP_HOURS = 168

/**
 * A new secret, shown once. Deliveries are signed with both the new and the previous secret for
 * `overlapHours` (a `webhook-signature` with two entries, as Standard Webhooks allows), so the
 * receiver can switch at its own pace; 0 drops the old secret at once (it leaked). A second
 * rotation within the overlap replaces the older secret: at most two are ever valid.
 */
export async function rotateWebhookSecret(
  deps: WebhookDeps,
  input: { owner: EndpointOwner; id: string; overlapHours?: number },
) {
  const hours = input.overlapHours ?? DEFAULT_OVERLAP_HOURS
  if (!Number.isInteger(hours) || hours < 0 || hours > MAX_OVERLAP_HOURS) {
    throw validation(`keep_previous_hours must be a whole number from 0 to ${MAX_OVERLAP_HOURS}`, 'keep_previous_hours')
  }
  const secret = newEndpointSecret()
  const now = deps.clock.now()
  const row = await deps.db.transaction().execute(async trx => {
    const before = await requireEndpoint(trx, input.owner, input.id, { forUpdate: true })
    const after = await trx
      .updateTable('webhook_endpoints')
      .set({
        secret_sealed: deps.secretBox.seal(secret),
        previous_secret_sealed: hours > 0 ? before.secret_sealed : null,
        previous_secret_until: hours > 0 ? new Date(now.getTime() + hours * 3_600_000) : null,
        updated_at: now,
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (input.owner.kind === 'operator' && input.owner.meta) {
      await writeAudit(trx, {
        actor: input.owner.meta.actor,
        requestId: input.owner.meta.requestId,
        action: 'webhook_endpoint.rotate_secret',
        targetType: 'webhook_endpoint',
        targetId: before.id,
        details: { keep_previous_hours: hours },
      })
    }
    return after
  })
  return { endpoint: endpointView(row, now), secret }
}
