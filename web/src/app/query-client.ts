import { QueryClient } from '@tanstack/react-query'
import { isApiError, isTransient } from '../api/errors.ts'

const MAX_DELAY_MS = 30_000

/**
 * STYLE-web rule 4: queries retry only network failures, 429 and 5xx (three times, honouring
 * Retry-After, else backing off), mutations never by themselves (an order must not be sent twice
 * without the user's say; see the Idempotency-Key rule). No refetch on focus: pages poll where
 * they need fresh state.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 3 && isTransient(error),
        retryDelay: (attempt, error) =>
          isApiError(error) && error.retryAfter !== undefined
            ? Math.min(error.retryAfter * 1000, MAX_DELAY_MS)
            : Math.min(1000 * 2 ** attempt, MAX_DELAY_MS),
      },
      mutations: { retry: false },
    },
  })
}
