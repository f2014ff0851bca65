// The caller's webhook endpoints (/API/webhooks): list, one, create (the secret is in that answer
// only), enable/disable and edit, delete, rotate the secret (shown once again), the delivery log
// with each delivery's attempts, and replay.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import type { Callbacks } from './callbacks.ts'
import { api, unwrap, type ApiError } from './client.ts'
import type { components } from './schema.d.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type WebhookEndpoint = components['schemas']['WebhookEndpoint']
export type WebhookDelivery = components['schemas']['WebhookDelivery']
export type DeliveryDetail = ResponseOf<'/API/webhooks/{endpoint_id}/deliveries/{delivery_id}', 'get'>['delivery']
export type CreateEndpointBody = BodyOf<'/API/webhooks', 'post'>
export type UpdateEndpointBody = BodyOf<'/API/webhooks/{endpoint_id}', 'patch'>
export type EndpointWithSecret = ResponseOf<'/API/webhooks', 'post', 201>
export type RotatedSecret = ResponseOf<'/API/webhooks/{endpoint_id}/rotate-secret', 'post'>

export const webhookKeys = {
  all: ['webhooks'] as const,
  lists: () => [...webhookKeys.all, 'list'] as const,
  list: (q: { page: number; perPage: number }) => [...webhookKeys.lists(), q] as const,
  details: () => [...webhookKeys.all, 'detail'] as const,
  detail: (id: string) => [...webhookKeys.details(), id] as const,
  deliveries: (id: string) => [...webhookKeys.detail(id), 'deliveries'] as const,
  deliveryList: (id: string, q: { page: number; state?: string }) => [...webhookKeys.deliveries(id), q] as const,
  delivery: (id: string, deliveryId: string) => [...webhookKeys.deliveries(id), 'one', deliveryId] as const,
}

export const webhooksQuery = (q: { page: number; perPage: number }) =>
  queryOptions({
    queryKey: webhookKeys.list(q),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/API/webhooks', { params: { query: { page: q.page, per_page: q.perPage } }, signal })),
  })

export const webhookQuery = (id: string) =>
  queryOptions({
    queryKey: webhookKeys.detail(id),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/API/webhooks/{endpoint_id}', { params: { path: { endpoint_id: id } }, signal })))
        .endpoint,
  })

export const DELIVERY_PAGE_SIZE = 20

export const deliveriesQuery = (id: string, q: { page: number; state?: string }) =>
  queryOptions({
    queryKey: webhookKeys.deliveryList(id, q),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/API/webhooks/{endpoint_id}/deliveries', {
          params: {
            path: { endpoint_id: id },
            query: { page: q.page, per_page: DELIVERY_PAGE_SIZE, ...(q.state ? { state: q.state } : {}) },
          },
          signal,
        }),
      ),
  })

export const deliveryQuery = (id: string, deliveryId: string) =>
  queryOptions({
    queryKey: webhookKeys.delivery(id, deliveryId),
    queryFn: async ({ signal }) =>
      (
        await unwrap(
          api.GET('/API/webhooks/{endpoint_id}/deliveries/{delivery_id}', {
            params: { path: { endpoint_id: id, delivery_id: deliveryId } },
            signal,
          }),
        )
      ).delivery,
  })

function useInvalidating<D, V>(
  fn: (v: V) => Promise<D>,
  keysOf: (v: V, d?: D) => readonly (readonly unknown[])[],
  callbacks: Callbacks<D, V>,
) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  const refresh = (v: V, d?: D) => Promise.all(keysOf(v, d).map(queryKey => qc.invalidateQueries({ queryKey })))
  return useMutation<D, ApiError, V>({
    mutationFn: fn,
    onSuccess: async (data, vars) => {
      await refresh(vars, data)
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await refresh(vars)
      await onError?.(err, vars)
    },
  })
}

export const useCreateWebhook = (callbacks: Callbacks<EndpointWithSecret, CreateEndpointBody> = {}) =>
  useInvalidating(
    body => unwrap(api.POST('/API/webhooks', { body })),
    () => [webhookKeys.lists()],
    callbacks,
  )

export const useUpdateWebhook = (
  callbacks: Callbacks<WebhookEndpoint, { id: string; body: UpdateEndpointBody }> = {},
) =>
  useInvalidating(
    async v =>
      (
        await unwrap(
          api.PATCH('/API/webhooks/{endpoint_id}', { params: { path: { endpoint_id: v.id } }, body: v.body }),
        )
      ).endpoint,
    v => [webhookKeys.lists(), webhookKeys.detail(v.id)],
    callbacks,
  )

export const useDeleteWebhook = (callbacks: Callbacks<unknown, { id: string }> = {}) =>
  useInvalidating(
    v => unwrap(api.DELETE('/API/webhooks/{endpoint_id}', { params: { path: { endpoint_id: v.id } } })),
    () => [webhookKeys.lists()],
    callbacks,
  )

export const useRotateWebhookSecret = (
  callbacks: Callbacks<RotatedSecret, { id: string; keepPreviousHours: number }> = {},
) =>
  useInvalidating(
    v =>
      unwrap(
        api.POST('/API/webhooks/{endpoint_id}/rotate-secret', {
          params: { path: { endpoint_id: v.id } },
          body: { keep_previous_hours: v.keepPreviousHours },
        }),
      ),
    v => [webhookKeys.detail(v.id), webhookKeys.lists()],
    callbacks,
  )

export const useReplayDelivery = (callbacks: Callbacks<unknown, { id: string; deliveryId: string }> = {}) =>
  useInvalidating(
    v =>
      unwrap(
        api.POST('/API/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay', {
          params: { path: { endpoint_id: v.id, delivery_id: v.deliveryId } },
        }),
      ),
    v => [webhookKeys.deliveries(v.id)],
    callbacks,
  )
