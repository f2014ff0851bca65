// The signed-in customer's own account (contracts/accounts.md): profile and billing details,
// password, two-factor authentication, sessions and API keys.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from './client.ts'
import { sessionKeys } from './session.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type Profile = ResponseOf<'/API/account/profile', 'get'>['profile']
export type ProfilePatch = BodyOf<'/API/account/profile', 'patch'>
export type SessionRow = ResponseOf<'/API/auth/sessions', 'get'>['sessions'][number]
export type ApiKeyRow = ResponseOf<'/API/account/keys', 'get'>['keys'][number]
export type CreatedKey = ResponseOf<'/API/account/keys', 'post', 201>
export type TotpSetup = ResponseOf<'/API/account/2fa/setup', 'post'>

export const accountKeys = {
  all: ['account'] as const,
  profile: () => [...accountKeys.all, 'profile'] as const,
  sessions: () => [...accountKeys.all, 'sessions'] as const,
  apiKeys: () => [...accountKeys.all, 'api-keys'] as const,
}

export const profileQuery = () =>
  queryOptions({
    queryKey: accountKeys.profile(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/API/account/profile', { signal }))).profile,
  })
export const sessionsQuery = () =>
  queryOptions({
    queryKey: accountKeys.sessions(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/API/auth/sessions', { signal }))).sessions,
  })
export const apiKeysQuery = () =>
  queryOptions({
    queryKey: accountKeys.apiKeys(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/API/account/keys', { signal }))).keys,
  })

export const useProfile = () => useQuery(profileQuery())
export const useSessions = () => useQuery(sessionsQuery())
export const useApiKeys = () => useQuery(apiKeysQuery())

interface Callbacks<T, V> {
  onSuccess?: (data: T, vars: V) => void
  onError?: (error: unknown, vars: V) => void
}

/**
 * A mutation whose own invalidation runs (and is awaited) before the caller's callbacks, which
 * are taken out of the options so they can never replace it (STYLE-web rule 3).
 */
function useAccountMutation<T, V>(
  fn: (vars: V) => Promise<T>,
  invalidate: ReadonlyArray<readonly unknown[]>,
  { onSuccess, onError }: Callbacks<T, V>,
) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: async (data, vars) => {
      await Promise.all(invalidate.map(queryKey => client.invalidateQueries({ queryKey })))
      onSuccess?.(data, vars)
    },
    onError: (e, vars) => onError?.(e, vars),
  })
}

export function useUpdateProfile(cb: Callbacks<Profile, ProfilePatch> = {}) {
  const client = useQueryClient()
  return useAccountMutation(
    async (body: ProfilePatch) => {
      const { profile } = await unwrap(api.PATCH('/API/account/profile', { body }))
      client.setQueryData(accountKeys.profile(), profile)
      return profile
    },
    [sessionKeys.all],
    cb,
  )
}

export function useChangePassword(cb: Callbacks<unknown, BodyOf<'/API/account/password', 'post'>> = {}) {
  return useAccountMutation(
    (body: BodyOf<'/API/account/password', 'post'>) => unwrap(api.POST('/API/account/password', { body })),
    // The other sessions were revoked.
    [accountKeys.sessions()],
    cb,
  )
}

export function useTotpSetup(cb: Callbacks<TotpSetup, void> = {}) {
  return useAccountMutation(() => unwrap(api.POST('/API/account/2fa/setup')), [], cb)
}

export function useTotpEnable(cb: Callbacks<string[], string> = {}) {
  return useAccountMutation(
    async (code: string) => (await unwrap(api.POST('/API/account/2fa/enable', { body: { code } }))).recovery_codes,
    [sessionKeys.all],
    cb,
  )
}

export function useTotpDisable(cb: Callbacks<unknown, BodyOf<'/API/account/2fa/disable', 'post'>> = {}) {
  return useAccountMutation(
    (body: BodyOf<'/API/account/2fa/disable', 'post'>) => unwrap(api.POST('/API/account/2fa/disable', { body })),
    [sessionKeys.all],
    cb,
  )
}

export function useRegenerateRecoveryCodes(cb: Callbacks<string[], string> = {}) {
  return useAccountMutation(
    async (code: string) =>
      (await unwrap(api.POST('/API/account/2fa/recovery_codes', { body: { code } }))).recovery_codes,
    [],
    cb,
  )
}

export function useRevokeSession(cb: Callbacks<unknown, string> = {}) {
  return useAccountMutation(
    (id: string) => unwrap(api.DELETE('/API/auth/sessions/{session_id}', { params: { path: { session_id: id } } })),
    [accountKeys.sessions()],
    cb,
  )
}

export function useRevokeAllSessions(cb: Callbacks<number, void> = {}) {
  return useAccountMutation(
    async () => (await unwrap(api.POST('/API/auth/sessions/revoke_all', { body: { keep_current: true } }))).revoked,
    [accountKeys.sessions()],
    cb,
  )
}

export function useCreateApiKey(cb: Callbacks<CreatedKey, string> = {}) {
  return useAccountMutation(
    (name: string) => unwrap(api.POST('/API/account/keys', { body: { name } })),
    [accountKeys.apiKeys()],
    cb,
  )
}

export function useRevokeApiKey(cb: Callbacks<unknown, string> = {}) {
  return useAccountMutation(
    (id: string) => unwrap(api.POST('/API/account/keys/{key_id}/revoke', { params: { path: { key_id: id } } })),
    [accountKeys.apiKeys()],
    cb,
  )
}
