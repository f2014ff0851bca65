// Plesk: clients (list, create) and subscriptions (list, detail). Orders for subscriptions go
// through orders.ts (create_order_plesk, create_order_scale_plesk) with their quote.
import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { Callbacks } from './callbacks.ts'
import { api, unwrap, type ApiError } from './client.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type PleskClient = ResponseOf<'/API/plesk/clients/list', 'get'>['data'][number]
export type Subscription = ResponseOf<'/API/plesk/subscriptions/list', 'get'>['data'][number]
export type SubscriptionDetail = ResponseOf<'/API/plesk/subscriptions/detail', 'get'>
export type CreateClientBody = BodyOf<'/API/plesk/clients/create', 'post'>
export type CreateClientResult = ResponseOf<'/API/plesk/clients/create', 'post'>

export const pleskKeys = {
  all: ['plesk'] as const,
  clients: () => [...pleskKeys.all, 'clients'] as const,
  clientList: (q: { page: number; perPage: number }) => [...pleskKeys.clients(), q] as const,
  subscriptions: () => [...pleskKeys.all, 'subscriptions'] as const,
  subscriptionList: (q: { page: number; perPage: number }) => [...pleskKeys.subscriptions(), 'list', q] as const,
  subscription: (id: string) => [...pleskKeys.subscriptions(), 'detail', id] as const,
}

export const pleskClientsQuery = (q: { page: number; perPage: number }) =>
  queryOptions({
    queryKey: pleskKeys.clientList(q),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/API/plesk/clients/list', { params: { query: { page: q.page, per_page: q.perPage } }, signal })),
  })

export const subscriptionsQuery = (q: { page: number; perPage: number }) =>
  queryOptions({
    queryKey: pleskKeys.subscriptionList(q),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/API/plesk/subscriptions/list', { params: { query: { page: q.page, per_page: q.perPage } }, signal }),
      ),
  })

export const subscriptionQuery = (id: string) =>
  queryOptions({
    queryKey: pleskKeys.subscription(id),
    queryFn: ({ signal }) => unwrap(api.GET('/API/plesk/subscriptions/detail', { params: { query: { id } }, signal })),
  })

/** What a Plesk order or renewal may have changed on this side. */
export function invalidatePlesk(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ queryKey: pleskKeys.all })
}

/**
 * Creates a Plesk client. The API honours an Idempotency-Key here (a client is a Plesk account
 * made by a job), so the form sends the key of its intent like an order.
 */
export function useCreatePleskClient(
  callbacks: Callbacks<CreateClientResult, { body: CreateClientBody; idempotencyKey: string }> = {},
) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  return useMutation<CreateClientResult, ApiError, { body: CreateClientBody; idempotencyKey: string }>({
    mutationFn: v =>
      unwrap(
        api.POST('/API/plesk/clients/create', {
          params: { header: { 'idempotency-key': v.idempotencyKey } },
          body: v.body,
        }),
      ),
    onSuccess: async (data, vars) => {
      await qc.invalidateQueries({ queryKey: pleskKeys.clients() })
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await onError?.(err, vars)
    },
  })
}
