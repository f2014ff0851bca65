import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { adminWebhookRoutes, customerWebhookRoutes } from './endpoint.routes.ts'
import { customerMailRoutes } from '../notifications/mail.routes.ts'
import { adminDeliveriesRoutes } from '../notifications/admin-deliveries.routes.ts'

/** Webhook endpoints, mail preferences and the delivery views (issue 11), customer and admin. */
export function notificationRoutes(deps: Deps): FastifyPluginAsyncTypebox[] {
  return [customerWebhookRoutes(deps), adminWebhookRoutes(deps), customerMailRoutes(deps), adminDeliveriesRoutes(deps)]
}
