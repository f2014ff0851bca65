// Servers: list, detail, usage graphs, addons, actions on the VM (power, reinstall, root password
// reset and its one-time reveal, rescue mode; all polled through GET /API/servers/actions), the
// console link, auto-renew and cancellation (end of term or now, with its preview). Nothing
// here is optimistic (STYLE-web rule 5): each mutation waits for the server's answer, then the
// affected queries are invalidated before the caller hears of it.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { invalidateBalance } from './balance.ts'
import type { Callbacks } from './callbacks.ts'
import { api, unwrap, type ApiError } from './client.ts'
import type { ResponseOf } from './types.ts'

export type ServersPage = ResponseOf<'/API/servers/list', 'get'>
export type Server = ResponseOf<'/API/servers/detail', 'get'>['data']
export type ServerAddon = ResponseOf<'/API/servers/list_addon_server', 'get'>['data'][number]
export type Usage = ResponseOf<'/API/services/usage_server', 'get'>['data']
export type ServerAction = ResponseOf<'/API/servers/actions', 'get'>['actions'][number]
// The actions POST /API/servers/power takes (the action list also holds reinstall, password, rescue).
export type PowerAction = Extract<ServerAction['action'], 'start' | 'stop' | 'shutdown' | 'reboot'>
export type Cancellation = ResponseOf<'/API/services/cancel', 'post'>['cancellation']
export type CancelWhen = Cancellation['when']
export type Reinstalled = ResponseOf<'/API/servers/reinstall', 'post', 202>
export type ConsoleAccess = ResponseOf<'/API/servers/console', 'post'>['console']

export const serverKeys = {
  all: ['servers'] as const,
  lists: () => [...serverKeys.all, 'list'] as const,
  list: (q: { page: number; perPage: number }) => [...serverKeys.lists(), q] as const,
  details: () => [...serverKeys.all, 'detail'] as const,
  detail: (id: string) => [...serverKeys.details(), id] as const,
  usage: (id: string, spec: string) => [...serverKeys.detail(id), 'usage', spec] as const,
  addons: (id: string) => [...serverKeys.detail(id), 'addons'] as const,
  actions: (id: string) => [...serverKeys.detail(id), 'actions'] as const,
  cancelQuote: (id: string, when: string) => [...serverKeys.detail(id), 'cancel-quote', when] as const,
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

/** Invalidates what an action on the VM changes: its action list (polled from there on) and the server. */
function useActionMutation<D, V extends { server_id: string }>(
  fn: (body: V) => Promise<D>,
  callbacks: Callbacks<D, V>,
) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  const refresh = (id: string) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: serverKeys.actions(id) }),
      qc.invalidateQueries({ queryKey: serverKeys.detail(id), exact: true }),
    ])
  return useMutation<D, ApiError, V>({
    mutationFn: fn,
    onSuccess: async (data, vars) => {
      await refresh(vars.server_id)
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      // 409 action_pending / invalid_state: the state moved on; show the new one.
      await refresh(vars.server_id)
      await onError?.(err, vars)
    },
  })
}

/**
 * Reinstalls with another (or the same) image of the plan. The answer carries the new root
 * password: the caller shows it once and keeps it nowhere but in the mutation's result.
 */
export function useReinstall(callbacks: Callbacks<Reinstalled, { server_id: string; os_id: string }> = {}) {
  return useActionMutation(async body => unwrap(api.POST('/API/servers/reinstall', { body })), callbacks)
}

/** Resets the root password; the new one is revealed once the action is done (`password_ready`). */
export function useResetPassword(callbacks: Callbacks<ServerAction, { server_id: string }> = {}) {
  return useActionMutation(
    async body => (await unwrap(api.POST('/API/servers/reset_password', { body }))).action,
    callbacks,
  )
}

/** The one showing of a reset password: the API erases its sealed copy as it answers. */
export function useRevealPassword(callbacks: Callbacks<string, { server_id: string; action_id: string }> = {}) {
  return useActionMutation(
    async body => (await unwrap(api.POST('/API/servers/actions/reveal_password', { body }))).root_password,
    callbacks,
  )
}

/** Boots into the rescue system (enabled) or back from the disk. */
export function useRescue(callbacks: Callbacks<ServerAction, { server_id: string; enabled: boolean }> = {}) {
  return useActionMutation(async body => (await unwrap(api.POST('/API/servers/rescue', { body }))).action, callbacks)
}

/** A fresh console link and password (bearer secrets: minted per click, never cached). */
export function useOpenConsole(callbacks: Callbacks<ConsoleAccess, { server_id: string }> = {}) {
  const { onSuccess, onError } = callbacks
  return useMutation<ConsoleAccess, ApiError, { server_id: string }>({
    mutationFn: async body => (await unwrap(api.POST('/API/servers/console', { body }))).console,
    onSuccess: async (data, vars) => {
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await onError?.(err, vars)
    },
  })
}

/**
 * What cancelling would do now (POST /API/services/cancel/quote changes nothing): when it takes
 * effect and the refund, if any. `serviceId` is a server, a subscription or a server addon.
 * Never cached for long: the refund is prorated to the second.
 */
export const cancelQuoteQuery = (serviceId: string, when: CancelWhen) =>
  queryOptions({
    queryKey: serverKeys.cancelQuote(serviceId, when),
    staleTime: 0,
    gcTime: 0,
    queryFn: async ({ signal }): Promise<Cancellation> =>
      (await unwrap(api.POST('/API/services/cancel/quote', { body: { service_id: serviceId, when }, signal })))
        .cancellation,
  })

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

export interface CancelVars {
  service_id: string
  undo: boolean
  /** Only for a cancellation; end of term unless said. */
  when?: CancelWhen
  /** The server an addon belongs to (its list is refreshed). */
  server_id?: string
}

/** Cancel at the end of the term or now, or undo an end-of-term cancellation (before it takes effect). */
export function useCancelService(
  callbacks: Callbacks<unknown, CancelVars> & {
    invalidate?: (serviceId: string) => Promise<unknown>
  } = {},
) {
  const qc = useQueryClient()
  const { onSuccess, onError, invalidate } = callbacks
  // An immediate cancellation may credit a refund: balance and ledger move too.
  const refresh = (v: CancelVars) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: serverKeys.detail(v.server_id ?? v.service_id) }),
      qc.invalidateQueries({ queryKey: serverKeys.lists() }),
      v.when === 'immediate' ? invalidateBalance(qc) : undefined,
      invalidate?.(v.service_id),
    ])
  return useMutation<unknown, ApiError, CancelVars>({
    mutationFn: v =>
      v.undo
        ? unwrap(api.POST('/API/services/cancel/undo', { body: { service_id: v.service_id } }))
        : unwrap(
            api.POST('/API/services/cancel', { body: { service_id: v.service_id, when: v.when ?? 'end_of_term' } }),
          ),
    onSuccess: async (data, vars) => {
      await refresh(vars)
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await refresh(vars)
      await onError?.(err, vars)
    },
  })
}
