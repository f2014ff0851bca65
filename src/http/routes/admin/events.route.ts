import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { listAllEvents } from '../../../domain/events/list-events.ts'
import { pageOf } from '../../schemas/paging.ts'
import { EventsQuery, EventsResponse } from '../events.schema.ts'
import { eventTypesOf } from '../events-filter.ts'
import { responses } from './common.schema.ts'

/** GET /API/admin/events: every customer's events, newest first. */
export const adminEventsRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/admin/events',
      {
        config: { auth: 'admin' },
        schema: {
          operationId: 'adminListEvents',
          tags: ['admin'],
          summary: 'Every event, newest first, by user and type',
          querystring: EventsQuery,
          response: responses({ 200: EventsResponse }, ['validation_error']),
        },
      },
      async req => ({
        success: true,
        ...(await listAllEvents(deps.db, {
          userId: req.query.user_id,
          filter: { types: eventTypesOf(req.query.type), afterId: req.query.after },
          page: pageOf(req.query),
        })),
      }),
    )
  }
