// The operator's branding (GET /API/branding, no login needed): name, logo, colours, signup.
import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, unwrap } from './client.ts'
import type { ResponseOf } from './types.ts'

export type Branding = ResponseOf<'/API/branding', 'get'>

export const brandingKeys = {
  all: ['branding'] as const,
}

export const brandingQuery = () =>
  queryOptions({
    queryKey: brandingKeys.all,
    queryFn: ({ signal }) => unwrap(api.GET('/API/branding', { signal })),
    // Configuration: it changes with a restart, not while someone looks at the page.
    staleTime: Infinity,
    gcTime: Infinity,
  })

export function useBranding() {
  return useQuery(brandingQuery())
}
