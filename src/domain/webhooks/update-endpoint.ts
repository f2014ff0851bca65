import type { Updateable } from 'kysely'
import type { WebhookEndpointsTable } from '../../db/schema.ts'
import { requireWebhookUrl } from '../../integrations/webhooks/url-policy.ts'
import { AppError } from '../../lib/errors.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { isUniqueViolation } from '../admin/db-errors.ts'
import { abandonQueuedDeliveries } from './abandon-deliveries.ts'
import type { WebhookDeps } from './create-endpoint.ts'
import { parseDescription, parseEventTypes } from './endpoint-input.ts'
import { endpointView } from './endpoint-view.ts'
import { requireEndpoint, type EndpointOwner } from './owner.ts'

export interface UpdateEndpointInput {
  owner: EndpointOwner
  id: string
  url?: string
  events?: readonly string[]
  description?: string
  /** false disables it (queued deliveries are abandoned); true enables it again and forgets its failures. */
  enabled?: boolean
}

/** Changes an endpoint's URL, types, description or state; fields left out stay as they are. */
export async function updateWebhookEndpoint(deps: WebhookDeps, input: UpdateEndpointInput) {
  const set: Updateable<WebhookEndpointsTable> = {}
  if (input.events !== undefined) set.event_types = parseEventTypes(input.events)
  if (input.description !== undefined) set.description = parseDescription(input.description)
  if (input.url !== undefined) set.url = await requireWebhookUrl(input.url, deps.webhookPolicy)
  const now = deps.clock.now()
  try {
    const row = await deps.db.transaction().execute(async trx => {
      const before = await requireEndpoint(trx, input.owner, input.id, { forUpdate: true })
      if (input.enabled === true && before.status !== 'enabled') {
        Object.assign(set, { status: 'enabled', disabled_reason: null, failing_since: null })
      } else if (input.enabled === false && before.status === 'enabled') {
        Object.assign(set, { status: 'disabled', disabled_reason: 'disabled by its owner' })
        await abandonQueuedDeliveries(trx, before.id, 'endpoint disabled', now)
      }
      if (Object.keys(set).length === 0) return before
      const after = await trx
        .updateTable('webhook_endpoints')
        .set({ ...set, updated_at: now })
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      if (input.owner.kind === 'operator' && input.owner.meta) {
        await writeAudit(trx, {
          actor: input.owner.meta.actor,
          requestId: input.owner.meta.requestId,
          action: 'webhook_endpoint.update',
          targetType: 'webhook_endpoint',
          targetId: before.id,
          details: { ...set },
        })
      }
      return after
    })
    return { endpoint: endpointView(row, now) }
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('conflict', 'another endpoint of yours has this URL', { details: { field: 'url' } })
    }
    throw err
  }
}
