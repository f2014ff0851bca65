// Catalog reads: VPS plans (with their OS images), OS images, locations, addons, Plesk plans.
import { queryOptions } from '@tanstack/react-query'
import { api, unwrap } from './client.ts'
import type { ResponseOf } from './types.ts'

type ListedPlan = ResponseOf<'/API/plans/list_plan', 'get'>['data'][number]
type ListedVpsPlan = Extract<ListedPlan, { type: 'vps' }>

/**
 * A VPS plan as the portal uses it. The API documents `price` as a JSON number (EUR per 720-hour
 * term); it becomes a decimal string here, once (STYLE-web rule 10): a 2-decimal euro amount is
 * exactly representable by toFixed(2) at any price a plan can have.
 */
export interface VpsPlan {
  id: string
  name: string
  specs: ListedVpsPlan['specs']
  price: string
  currency: 'EUR'
  osImages: ListedVpsPlan['os_image_versions']
}

export const priceString = (price: number): string => price.toFixed(2)

export const catalogKeys = {
  all: ['catalog'] as const,
  vpsPlans: () => [...catalogKeys.all, 'vps-plans'] as const,
  osImages: () => [...catalogKeys.all, 'os-images'] as const,
  locations: () => [...catalogKeys.all, 'locations'] as const,
  addons: () => [...catalogKeys.all, 'addons'] as const,
  pleskPlans: () => [...catalogKeys.all, 'plesk-plans'] as const,
}

// The catalog changes rarely; 5 minutes keeps the order forms from refetching on every step.
const CATALOG_STALE_MS = 5 * 60_000

export const vpsPlansQuery = () =>
  queryOptions({
    queryKey: catalogKeys.vpsPlans(),
    staleTime: CATALOG_STALE_MS,
    queryFn: async ({ signal }): Promise<VpsPlan[]> => {
      const res = await unwrap(api.GET('/API/plans/list_plan', { params: { query: { type: 'vps' } }, signal }))
      return res.data.flatMap(p =>
        p.type === 'vps'
          ? [
              {
                id: p.id,
                name: p.name,
                specs: p.specs,
                price: priceString(p.price),
                currency: p.currency,
                osImages: p.os_image_versions,
              },
            ]
          : [],
      )
    },
  })

export const locationsQuery = () =>
  queryOptions({
    queryKey: catalogKeys.locations(),
    staleTime: CATALOG_STALE_MS,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/API/catalog/locations', { params: { query: { per_page: 100 } }, signal })),
  })

export const addonsQuery = () =>
  queryOptions({
    queryKey: catalogKeys.addons(),
    staleTime: CATALOG_STALE_MS,
    queryFn: ({ signal }) => unwrap(api.GET('/API/catalog/addons', { params: { query: { per_page: 100 } }, signal })),
  })

export const pleskPlansQuery = () =>
  queryOptions({
    queryKey: catalogKeys.pleskPlans(),
    staleTime: CATALOG_STALE_MS,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/API/catalog/plesk_plans', { params: { query: { per_page: 100 } }, signal })),
  })

export type Location = ResponseOf<'/API/catalog/locations', 'get'>['data'][number]
export type Addon = ResponseOf<'/API/catalog/addons', 'get'>['data'][number]
export type PleskPlan = ResponseOf<'/API/catalog/plesk_plans', 'get'>['data'][number]
