import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { listAllDeliveries } from '../../../domain/webhooks/list-deliveries.ts'
import { listAllMail, retryMail } from '../../../domain/notifications/list-mail.ts'
import { pageOf } from '../../schemas/paging.ts'
import { NoQuery, responses } from '../admin/common.schema.ts'
import { adminMeta } from '../admin/meta.ts'
import { AdminDeliveriesQuery, DeliveriesResponse } from '../webhooks/webhooks.schema.ts'
import { deliveryStatesOf } from '../webhooks/states-filter.ts'
import { AdminMailQuery, MailDeliveriesResponse, MailDeliveryResponse, MailParams } from './mail.schema.ts'

const config = { auth: 'admin' as const }
const tags = ['admin']

/** What has not reached its receiver yet: webhook deliveries and mail, for operators. */
export const adminDeliveriesRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/admin/webhook-deliveries',
      {
        config,
        schema: {
          operationId: 'adminListAllWebhookDeliveries',
          tags,
          summary: 'Webhook deliveries of every endpoint; by default the undelivered (pending, sending, failed)',
          querystring: AdminDeliveriesQuery,
          response: responses({ 200: DeliveriesResponse }),
        },
      },
      async req => ({
        success: true,
        ...(await listAllDeliveries(deps.db, {
          userId: req.query.user_id,
          endpointId: req.query.endpoint_id,
          states: deliveryStatesOf(req.query.state),
          page: pageOf(req.query),
        })),
      }),
    )

    app.get(
      '/API/admin/mail-deliveries',
      {
        config,
        schema: {
          operationId: 'adminListMailDeliveries',
          tags,
          summary: 'Mail to every customer and the operator; by default the undelivered (pending, sending, failed)',
          querystring: AdminMailQuery,
          response: responses({ 200: MailDeliveriesResponse }),
        },
      },
      async req => ({
        success: true,
        ...(await listAllMail(deps.db, {
          userId: req.query.user_id,
          states: deliveryStatesOf(req.query.state),
          eventId: req.query.event_id,
          page: pageOf(req.query),
        })),
      }),
    )

    app.post(
      '/API/admin/mail-deliveries/:mail_id/retry',
      {
        config,
        schema: {
          operationId: 'adminRetryMail',
          tags,
          summary: 'Send a failed or abandoned mail again (same Message-ID, fresh retry schedule)',
          params: MailParams,
          querystring: NoQuery,
          response: responses({ 200: MailDeliveryResponse }, ['not_found', 'invalid_state']),
        },
      },
      async req => ({
        success: true as const,
        ...(await retryMail(deps.db, adminMeta(req), req.params.mail_id, deps.clock.now())),
      }),
    )
  }
