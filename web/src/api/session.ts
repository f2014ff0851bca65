// The signed-in user (STYLE-web rule 14): an ordinary query. `null` means nobody is logged in.
import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, isApiError, unwrap } from './client.ts'
import type { ResponseOf } from './types.ts'

export type SessionData = ResponseOf<'/API/auth/session', 'get'>

export const sessionKeys = {
  all: ['session'] as const,
  current: () => [...sessionKeys.all, 'current'] as const,
}

async function fetchSession(signal: AbortSignal): Promise<SessionData | null> {
  try {
    return await unwrap(api.GET('/API/auth/session', { signal }))
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null
    throw e
  }
}

export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKeys.current(),
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 60_000,
  })

export function useSession() {
  return useQuery(sessionQuery())
}
