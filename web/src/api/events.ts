// The caller's domain events (GET /API/events): the dashboard's recent activity.
import { queryOptions } from '@tanstack/react-query'
import { api, unwrap } from './client.ts'
import type { ResponseOf } from './types.ts'

export type EventItem = ResponseOf<'/API/events', 'get'>['data'][number]

export const eventKeys = {
  all: ['events'] as const,
  list: (q: { page: number; perPage: number; type?: string }) => [...eventKeys.all, 'list', q] as const,
}

export const eventsQuery = (q: { page: number; perPage: number; type?: string }) =>
  queryOptions({
    queryKey: eventKeys.list(q),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/API/events', {
          params: { query: { page: q.page, per_page: q.perPage, ...(q.type === undefined ? {} : { type: q.type }) } },
          signal,
        }),
      ),
  })
