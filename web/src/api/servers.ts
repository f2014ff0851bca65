// Servers: list, detail, usage graphs, addons, power actions (POST /API/servers/power, polled
// through GET /API/servers/actions), auto-renew and cancellation at the end of the term. Nothing
// here is optimistic (STYLE-web rule 5): each mutation waits for the server's answer, then the
// affected queries are invalidated before the caller hears of it.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import type { Callbacks } from './callbacks.ts'
import { api, unwrap, type ApiError } from './client.ts'
import type { ResponseOf } from './types.ts'

export type ServersPage = ResponseOf<'/API/servers/list', 'get'>
export type Server = ResponseOf<'/API/servers/detail', 'get'>['data']
export type ServerAddon = ResponseOf<'/API/servers/list_addon_server', 'get'>['data'][number]
export type Usage = ResponseOf<'/API/services/usage_server', 'get'>['data']
export type ServerAction = ResponseOf<'/API/servers/actions', 'get'>['actions'][number]
export type PowerAction = ServerAction['action']
export type Cancellation = ResponseOf<'/API/services/cancel', 'post'>['cancellation']

export const serverKeys = {
  all: ['servers'] as const,
  lists: () => [...serverKeys.all, 'list'] as const,
  list: (q: { page: number; perPage: number }) => [...serverKeys.lists(), q] as const,
  details: () => [...serverKeys.all, 'detail'] as const,
  detail: (id: string) => [...serverKeys.details(), id] as const,
  usage: (id: string, spec: string) => [...serverKeys.detail(id), 'usage', spec] as const,
  addons: (id: string) => [...serverKeys.detail(id), 'addons'] as const,
  actions: (id: string) => [...serverKeys.detail(id), 'actions'] as const,
}

export const serversQuery = (q: { page: number; perPage: number }) =>
  queryOptions({
    queryKey: serverKeys.list(q),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/API/servers/list', { params: { query: { page: q.page, per_page: q.perPage } }, signal })),
  })

export const serverQuery = (id: string) =>
  queryOptions({
    queryKey: serverKeys.detail(id),
    queryFn: async ({ signal }): Promise<Server> =>
      (await unwrap(api.GET('/API/servers/detail', { params: { query: { server_id: id } }, signal }))).data,
  })

export const usageQuery = (id: string, specification: 'cpu' | 'memory' | 'disk' | 'network') =>
  queryOptions({
    queryKey: serverKeys.usage(id, specification),
    queryFn: async ({ signal }) =>
      (
        await unwrap(
          api.GET('/API/services/usage_server', { params: { query: { server_id: id, specification } }, signal }),
        )
      ).data,
  })

export const serverAddonsQuery = (id: string) =>
  queryOptions({
    queryKey: serverKeys.addons(id),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/API/servers/list_addon_server', { params: { query: { server_id: id } }, signal }))).data,
  })

export const serverActionsQuery = (id: string) =>
  queryOptions({
    queryKey: serverKeys.actions(id),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/API/servers/actions', { params: { query: { server_id: id } }, signal }))).actions,
  })

/** Start, stop, shut down or reboot; the answer is the queued action, whose progress is then polled. */
export function usePowerAction(callbacks: Callbacks<ServerAction, { server_id: string; action: PowerAction }> = {}) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  return useMutation<ServerAction, ApiError, { server_id: string; action: PowerAction }>({
    mutationFn: async body => (await unwrap(api.POST('/API/servers/power', { body }))).action,
    onSuccess: async (data, vars) => {
      await qc.invalidateQueries({ queryKey: serverKeys.actions(vars.server_id) })
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      // 409 action_pending: another action runs; show it.
      await qc.invalidateQueries({ queryKey: serverKeys.actions(vars.server_id) })
      await onError?.(err, vars)
    },
  })
}

export function useSetAutoRenew(callbacks: Callbacks<unknown, { server_id: string; on: boolean }> = {}) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  return useMutation<unknown, ApiError, { server_id: string; on: boolean }>({
    mutationFn: v =>
      unwrap(api.POST('/API/services/auto_renew', { body: { server_id: v.server_id, auto_renew: v.on ? 1 : 0 } })),
    onSuccess: async (data, vars) => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: serverKeys.detail(vars.server_id) }),
        qc.invalidateQueries({ queryKey: serverKeys.lists() }),
      ])
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await qc.invalidateQueries({ queryKey: serverKeys.detail(vars.server_id) })
      await onError?.(err, vars)
    },
  })
}

/** Cancel at the end of the term, or undo that (only before it takes effect). */
export function useCancelService(
  callbacks: Callbacks<unknown, { service_id: string; undo: boolean }> & {
    invalidate?: (serviceId: string) => Promise<unknown>
  } = {},
) {
  const qc = useQueryClient()
  const { onSuccess, onError, invalidate } = callbacks
  const refresh = (id: string) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: serverKeys.detail(id) }),
      qc.invalidateQueries({ queryKey: serverKeys.lists() }),
      invalidate?.(id),
    ])
  return useMutation<unknown, ApiError, { service_id: string; undo: boolean }>({
    mutationFn: v =>
      v.undo
        ? unwrap(api.POST('/API/services/cancel/undo', { body: { service_id: v.service_id } }))
        : unwrap(api.POST('/API/services/cancel', { body: { service_id: v.service_id, when: 'end_of_term' } })),
    onSuccess: async (data, vars) => {
      await refresh(vars.service_id)
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await refresh(vars.service_id)
      await onError?.(err, vars)
    },
  })
}
