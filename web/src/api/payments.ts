// Crypto payments: top-up invoices (POST /API/invoice with amount), one transaction by track id
// (polled while unpaid), the transaction list.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import type { Callbacks } from './callbacks.ts'
import { invalidateBalance } from './balance.ts'
import { api, unwrap, type ApiError } from './client.ts'
import type { ResponseOf } from './types.ts'

export type Invoice = ResponseOf<'/API/invoice', 'post'>
export type Transaction = ResponseOf<'/API/get_transation_by_track_id', 'get'>['data']
export type TransactionRow = ResponseOf<'/API/list_transactions', 'get'>['data'][number]

export const paymentKeys = {
  all: ['payments'] as const,
  lists: () => [...paymentKeys.all, 'list'] as const,
  list: (q: { page: number; perPage: number }) => [...paymentKeys.lists(), q] as const,
  transactions: () => [...paymentKeys.all, 'transaction'] as const,
  transaction: (trackId: string) => [...paymentKeys.transactions(), trackId] as const,
}

export const transactionsQuery = (q: { page: number; perPage: number }) =>
  queryOptions({
    queryKey: paymentKeys.list(q),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/API/list_transactions', { params: { query: { page: q.page, per_page: q.perPage } }, signal })),
  })

export const transactionQuery = (trackId: string) =>
  queryOptions({
    queryKey: paymentKeys.transaction(trackId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/API/get_transation_by_track_id', { params: { query: { track_id: trackId } }, signal })),
  })

export interface TopUpInput {
  user_id: string
  amount: string
  pay_currency?: string | undefined
}

/**
 * A balance top-up invoice. Nothing is charged by creating one, so it is not an order: a second
 * click makes a second invoice, which is why the button stays disabled while one is created.
 */
export function useCreateTopUp(callbacks: Callbacks<Invoice, TopUpInput> = {}) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  return useMutation<Invoice, ApiError, TopUpInput>({
    mutationFn: body =>
      unwrap(
        api.POST('/API/invoice', {
          body: {
            user_id: body.user_id,
            amount: body.amount,
            ...(body.pay_currency === undefined ? {} : { pay_currency: body.pay_currency }),
          },
        }),
      ),
    onSuccess: async (data, vars) => {
      await qc.invalidateQueries({ queryKey: paymentKeys.lists() })
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await onError?.(err, vars)
    },
  })
}

/** Once a payment is settled the balance has moved: refresh what shows it. */
export async function invalidateAfterPayment(qc: ReturnType<typeof useQueryClient>): Promise<void> {
  await Promise.all([qc.invalidateQueries({ queryKey: paymentKeys.lists() }), invalidateBalance(qc)])
}
