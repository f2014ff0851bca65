// Orders: the list (and one order by id), and the four order endpoints. Every order mutation
// sends the Idempotency-Key of its intent (STYLE-web rule 6: the key is made by the confirm step,
// not here, so a retry of the same intent reuses it) and, since money moves, invalidates the
// balance, ledger, payments and orders before the caller hears of it.
import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { invalidateBalance } from './balance.ts'
import type { Callbacks } from './callbacks.ts'
import { api, unwrap, ApiError } from './client.ts'
import { paymentKeys } from './payments.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type CreateOrderBody = BodyOf<'/API/orders/create_order', 'post'>
export type CreateAddonBody = BodyOf<'/API/orders/create_order_addon', 'post'>
export type CreatePleskBody = BodyOf<'/API/orders/create_order_plesk', 'post'>
export type ScalePleskBody = BodyOf<'/API/orders/create_order_scale_plesk', 'post'>

export type CreateOrderResult = ResponseOf<'/API/orders/create_order', 'post'>
export type CreateAddonResult = ResponseOf<'/API/orders/create_order_addon', 'post'>
export type CreatePleskResult = ResponseOf<'/API/orders/create_order_plesk', 'post'>
export type ScalePleskResult = ResponseOf<'/API/orders/create_order_scale_plesk', 'post'>

/** An order as sent: which endpoint, with exactly the body it takes (also what a quote is asked for). */
export type OrderRequest =
  | { endpoint: 'create_order'; body: CreateOrderBody }
  | { endpoint: 'create_order_addon'; body: CreateAddonBody }
  | { endpoint: 'create_order_plesk'; body: CreatePleskBody }
  | { endpoint: 'create_order_scale_plesk'; body: ScalePleskBody }

export type OrderEndpoint = OrderRequest['endpoint']

/** The answer, tagged with its endpoint so callers can tell the shapes apart. */
export type PlacedOrder =
  | { endpoint: 'create_order'; result: CreateOrderResult }
  | { endpoint: 'create_order_addon'; result: CreateAddonResult }
  | { endpoint: 'create_order_plesk'; result: CreatePleskResult }
  | { endpoint: 'create_order_scale_plesk'; result: ScalePleskResult }

export const orderKeys = {
  all: ['orders'] as const,
  lists: () => [...orderKeys.all, 'list'] as const,
  list: (q: { page: number; perPage: number }) => [...orderKeys.lists(), q] as const,
  details: () => [...orderKeys.all, 'detail'] as const,
  detail: (id: string) => [...orderKeys.details(), id] as const,
}

const fetchOrders = (q: { page: number; perPage: number }, signal: AbortSignal) =>
  unwrap(api.GET('/API/orders/list_order', { params: { query: { page: q.page, per_page: q.perPage } }, signal }))

/** As the client reads it (openapi-fetch leaves out the two always-null domain fields). */
export type OrdersPage = Awaited<ReturnType<typeof fetchOrders>>
export type OrderRow = OrdersPage['data'][number]

export const ordersQuery = (q: { page: number; perPage: number }) =>
  queryOptions({ queryKey: orderKeys.list(q), queryFn: ({ signal }) => fetchOrders(q, signal) })

/** One order; the API answers a list of one, or 404 for a missing or someone else's order. */
export const orderQuery = (id: string) =>
  queryOptions({
    queryKey: orderKeys.detail(id),
    queryFn: async ({ signal }) => {
      const res = await unwrap(api.GET('/API/orders/list_order', { params: { query: { order_id: id } }, signal }))
      const row = res.data[0]
      if (row === undefined) throw new ApiError({ status: 404, code: 'not_found', message: `order '${id}' not found` })
      return row
    },
  })

/** Orders still open (processing or awaiting payment) change on their own: poll them. */
export const isOpenOrderStatus = (status: string): boolean => status === 'processing' || status === 'pending_payment'

/** Everything an order may have changed: money, payments, orders. Services are the caller's to add. */
export async function invalidateAfterOrder(qc: QueryClient): Promise<void> {
  await Promise.all([
    invalidateBalance(qc),
    qc.invalidateQueries({ queryKey: paymentKeys.all }),
    qc.invalidateQueries({ queryKey: orderKeys.all }),
  ])
}

async function place(request: OrderRequest, key: string): Promise<PlacedOrder> {
  const params = { header: { 'idempotency-key': key } }
  // One call per literal path, so each body is checked against its own operation.
  switch (request.endpoint) {
    case 'create_order':
      return {
        endpoint: request.endpoint,
        result: await unwrap(api.POST('/API/orders/create_order', { params, body: request.body })),
      }
    case 'create_order_addon':
      return {
        endpoint: request.endpoint,
        result: await unwrap(api.POST('/API/orders/create_order_addon', { params, body: request.body })),
      }
    case 'create_order_plesk':
      return {
        endpoint: request.endpoint,
        result: await unwrap(api.POST('/API/orders/create_order_plesk', { params, body: request.body })),
      }
    case 'create_order_scale_plesk':
      return {
        endpoint: request.endpoint,
        result: await unwrap(api.POST('/API/orders/create_order_scale_plesk', { params, body: request.body })),
      }
  }
}

export interface PlaceOrder {
  request: OrderRequest
  /** The intent's Idempotency-Key (features/orders/intent.ts). */
  idempotencyKey: string
}

/**
 * Places an order. Never retried by itself (mutations do not retry, rule 4): the confirm step
 * decides, and a retry it makes carries the same key. `invalidate` adds the service's own keys.
 */
export function usePlaceOrder(
  options: Callbacks<PlacedOrder, PlaceOrder> & { invalidate?: (qc: QueryClient) => Promise<unknown> } = {},
) {
  const qc = useQueryClient()
  const { onSuccess, onError, invalidate } = options
  return useMutation<PlacedOrder, ApiError, PlaceOrder>({
    mutationFn: v => place(v.request, v.idempotencyKey),
    onSuccess: async (data, vars) => {
      await Promise.all([invalidateAfterOrder(qc), invalidate?.(qc)])
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      // A refused or lost order may still have changed something (a 402 is pinned, a 5xx may have committed).
      await Promise.all([invalidateAfterOrder(qc), invalidate?.(qc)])
      await onError?.(err, vars)
    },
  })
}
