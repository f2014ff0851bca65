import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listOwnEvents } from '../../../../domain/events/list-events.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { EventsQuery, EventsResponse } from '../../events.schema.ts'
import { eventTypesOf } from '../../events-filter.ts'

/** GET /API/events: what happened to the caller's orders, services and payments, newest first. */
export const listEventsRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/events',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listEvents',
          tags: ['events'],
          summary: "The caller's events (orders, services, payments), newest first, filterable by type",
          querystring: EventsQuery,
          response: withErrors({ 200: EventsResponse }, ['not_found', 'validation_error']),
        },
      },
      async req => ({
        success: true,
        ...(await listOwnEvents(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          filter: { types: eventTypesOf(req.query.type), afterId: req.query.after },
          page: pageOf(req.query),
        })),
      }),
    )
  }
