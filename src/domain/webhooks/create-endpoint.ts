import { sql } from 'kysely'
import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { newEndpointSecret } from '../../integrations/webhooks/secrets.ts'
import { requireWebhookUrl } from '../../integrations/webhooks/url-policy.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { isUniqueViolation } from '../admin/db-errors.ts'
import { endpointView, type EndpointView } from './endpoint-view.ts'
import { MAX_ENDPOINTS_PER_OWNER, parseDescription, parseEventTypes } from './endpoint-input.ts'
import { ownerUserId, type EndpointOwner } from './owner.ts'

export interface CreateEndpointInput {
  owner: EndpointOwner
  url: string
  events?: readonly string[]
  description?: string
}

export type WebhookDeps = Pick<Deps, 'db' | 'clock' | 'secretBox' | 'webhookPolicy'>

const duplicateUrl = (url: string) =>
  new AppError('conflict', 'an endpoint with this URL exists already; update it or rotate its secret', {
    details: { field: 'url', url },
  })

/**
 * Registers an endpoint and answers its `whsec_` secret, the only time it is shown (it is kept
 * sealed, since signing needs it back). The URL passes the SSRF check before anything is written.
 * One URL per owner: a retried registration answers 409 instead of a second endpoint with
 * another secret, and the per-owner cap is counted under a lock so parallel requests cannot pass it.
 */
export async function createWebhookEndpoint(
  deps: WebhookDeps,
  input: CreateEndpointInput,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const events = parseEventTypes(input.events)
  const description = parseDescription(input.description)
  const url = await requireWebhookUrl(input.url, deps.webhookPolicy)
  const userId = ownerUserId(input.owner)
  const secret = newEndpointSecret()
  const now = deps.clock.now()
  try {
    const row = await deps.db.transaction().execute(async trx => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`webhook_endpoints:${userId ?? ''}`}))`.execute(trx)
      let count = trx
        .selectFrom('webhook_endpoints')
        .select(eb => eb.fn.countAll<string>().as('n'))
        .where('status', '<>', 'deleted')
      count = userId === null ? count.where('user_id', 'is', null) : count.where('user_id', '=', userId)
      const { n } = await count.executeTakeFirstOrThrow()
      if (Number(n) >= MAX_ENDPOINTS_PER_OWNER) {
        throw new AppError('conflict', `at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints; delete one first`, {
          details: { limit: MAX_ENDPOINTS_PER_OWNER },
        })
      }
      const created = await trx
        .insertInto('webhook_endpoints')
        .values({
          id: newId('webhookEndpoint'),
          user_id: userId,
          url,
          description,
          event_types: events,
          secret_sealed: deps.secretBox.seal(secret),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      if (input.owner.kind === 'operator' && input.owner.meta) {
        await writeAudit(trx, {
          actor: input.owner.meta.actor,
          requestId: input.owner.meta.requestId,
          action: 'webhook_endpoint.create',
          targetType: 'webhook_endpoint',
          targetId: created.id,
          details: { url, events },
        })
      }
      return created
    })
    return { endpoint: endpointView(row, now), secret }
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateUrl(url)
    throw err
  }
}
