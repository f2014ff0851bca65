// The balance and its ledger (GET /API/balance, GET /API/balance/ledger).
import { queryOptions, type QueryClient } from '@tanstack/react-query'
import { api, unwrap } from './client.ts'
import type { ResponseOf } from './types.ts'

export type LedgerPage = ResponseOf<'/API/balance/ledger', 'get'>
export type LedgerEntry = LedgerPage['data'][number]

export const balanceKeys = {
  all: ['balance'] as const,
  current: () => [...balanceKeys.all, 'current'] as const,
  ledgers: () => [...balanceKeys.all, 'ledger'] as const,
  ledger: (q: { page: number }) => [...balanceKeys.ledgers(), q] as const,
}

export const balanceQuery = () =>
  queryOptions({
    queryKey: balanceKeys.current(),
    queryFn: ({ signal }) => unwrap(api.GET('/API/balance', { signal })),
  })

export const LEDGER_PAGE_SIZE = 20

export const ledgerQuery = (q: { page: number }) =>
  queryOptions({
    queryKey: balanceKeys.ledger(q),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/API/balance/ledger', { params: { query: { page: q.page, per_page: LEDGER_PAGE_SIZE } }, signal }),
      ),
  })

/** After anything that may have moved money: the balance and every ledger page. */
export function invalidateBalance(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ queryKey: balanceKeys.all })
}
