import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { requireUser } from '../../../domain/access/authorize.ts'
import { getMailPreferences, setMailPreferences } from '../../../domain/notifications/mail-preferences.ts'
import { listOwnMail } from '../../../domain/notifications/list-mail.ts'
import { principalOf } from '../../auth.ts'
import { pageOf } from '../../schemas/paging.ts'
import { responses } from '../admin/common.schema.ts'
import { deliveryStatesOf } from '../webhooks/states-filter.ts'
import {
  MailDeliveriesResponse,
  MailPreferencesBody,
  MailPreferencesResponse,
  OwnMailQuery,
  UserQuery,
} from './mail.schema.ts'

const tags = ['notifications']

/** /API/notifications/mail: which events the caller is mailed and where, and the mail sent to them. */
export const customerMailRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/notifications/mail',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'getMailPreferences',
          tags,
          summary: 'Which events are mailed to the caller, and to which address',
          querystring: UserQuery,
          response: responses({ 200: MailPreferencesResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => {
        const user = await requireUser(deps.db, principalOf(req), req.query.user_id, 'read')
        return { success: true as const, ...(await getMailPreferences(deps.db, user.id)) }
      },
    )

    app.put(
      '/API/notifications/mail',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'setMailPreferences',
          tags,
          summary: 'Choose the mailed event types and the address; fields left out keep their value',
          querystring: UserQuery,
          body: MailPreferencesBody,
          response: responses({ 200: MailPreferencesResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => {
        const user = await requireUser(deps.db, principalOf(req), req.query.user_id, 'use')
        return {
          success: true as const,
          ...(await setMailPreferences(deps.db, { userId: user.id, ...req.body, now: deps.clock.now() })),
        }
      },
    )

    app.get(
      '/API/notifications/mail/deliveries',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listOwnMail',
          tags,
          summary: 'The mail sent (or still to send) to the caller, newest first; never its body',
          querystring: OwnMailQuery,
          response: responses({ 200: MailDeliveriesResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => {
        const user = await requireUser(deps.db, principalOf(req), req.query.user_id, 'read')
        return {
          success: true,
          ...(await listOwnMail(deps.db, {
            userId: user.id,
            states: deliveryStatesOf(req.query.state),
            eventId: req.query.event_id,
            page: pageOf(req.query),
          })),
        }
      },
    )
  }
