// Plesk: clients (list, create), subscriptions (list, detail), and managing one: auto-renew, the
// FTP password (an action, polled through GET /API/plesk/actions), a one-time login link into
// Plesk. Orders for subscriptions go through orders.ts (create_order_plesk,
// create_order_scale_plesk) with their quote; cancelling through servers.ts' useCancelService.
import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { Callbacks } from './callbacks.ts'
import { api, unwrap, type ApiError } from './client.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type PleskClient = ResponseOf<'/API/plesk/clients/list', 'get'>['data'][number]
export type Subscription = ResponseOf<'/API/plesk/subscriptions/list', 'get'>['data'][number]
export type SubscriptionDetail = ResponseOf<'/API/plesk/subscriptions/detail', 'get'>
export type CreateClientBody = BodyOf<'/API/plesk/clients/create', 'post'>
export type CreateClientResult = ResponseOf<'/API/plesk/clients/create', 'post'>
export type PleskAction = ResponseOf<'/API/plesk/actions', 'get'>['actions'][number]
export type PleskLogin = ResponseOf<'/API/plesk/login', 'post'>

export const pleskKeys = {
  all: ['plesk'] as const,
  clients: () => [...pleskKeys.all, 'clients'] as const,
  clientList: (q: { page: number; perPage: number }) => [...pleskKeys.clients(), q] as const,
  subscriptions: () => [...pleskKeys.all, 'subscriptions'] as const,
  subscriptionList: (q: { page: number; perPage: number }) => [...pleskKeys.subscriptions(), 'list', q] as const,
  subscription: (id: string) => [...pleskKeys.subscriptions(), 'detail', id] as const,
  actions: (id: string) => [...pleskKeys.subscription(id), 'actions'] as const,
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

export const pleskActionsQuery = (subscriptionId: string) =>
  queryOptions({
    queryKey: pleskKeys.actions(subscriptionId),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/API/plesk/actions', { params: { query: { subscription_id: subscriptionId } }, signal })))
        .actions,
  })

export function useSetSubscriptionAutoRenew(
  callbacks: Callbacks<unknown, { subscription_id: string; on: boolean }> = {},
) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  return useMutation<unknown, ApiError, { subscription_id: string; on: boolean }>({
    mutationFn: v =>
      unwrap(
        api.POST('/API/plesk/auto_renew', { body: { subscription_id: v.subscription_id, auto_renew: v.on ? 1 : 0 } }),
      ),
    onSuccess: async (data, vars) => {
      await qc.invalidateQueries({ queryKey: pleskKeys.subscriptions() })
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await qc.invalidateQueries({ queryKey: pleskKeys.subscription(vars.subscription_id) })
      await onError?.(err, vars)
    },
  })
}

/** Sets the FTP user's password: sent once, sealed in the job, never answered back or kept here. */
export function useSetFtpPassword(
  callbacks: Callbacks<PleskAction, { subscription_id: string; password: string }> = {},
) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  return useMutation<PleskAction, ApiError, { subscription_id: string; password: string }>({
    mutationFn: async body => (await unwrap(api.POST('/API/plesk/ftp_password', { body }))).action,
    onSuccess: async (data, vars) => {
      await qc.invalidateQueries({ queryKey: pleskKeys.actions(vars.subscription_id) })
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await qc.invalidateQueries({ queryKey: pleskKeys.actions(vars.subscription_id) })
      await onError?.(err, vars)
    },
  })
}

/** A one-time login link into Plesk (bound to this browser's IP, minted per click, never cached). */
export function usePleskLogin(callbacks: Callbacks<PleskLogin, { subscription_id: string }> = {}) {
  const { onSuccess, onError } = callbacks
  return useMutation<PleskLogin, ApiError, { subscription_id: string }>({
    mutationFn: body => unwrap(api.POST('/API/plesk/login', { body })),
    onSuccess: async (data, vars) => {
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await onError?.(err, vars)
    },
  })
}

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
