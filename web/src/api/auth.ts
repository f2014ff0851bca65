// Logging in and out, signing up, verifying e-mail, resetting passwords (contracts/accounts.md).
// Every change of who is logged in empties the query cache first (STYLE-web rule 14), then puts
// the new session in it, so nobody sees the previous person's data.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, unwrap } from './client.ts'
import { sessionKeys, type SessionData } from './session.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type LoginBody = BodyOf<'/API/auth/login', 'post'>
export type LoginResult = ResponseOf<'/API/auth/login', 'post'>
export type SignupBody = BodyOf<'/API/auth/signup', 'post'>
export type ResetConfirmBody = BodyOf<'/API/auth/password-reset/confirm', 'post'>

/** After login or verify-email: a clean cache holding the new session, CSRF token included. */
function startSession(client: QueryClient, r: LoginResult): void {
  client.clear()
  const session: SessionData = { success: true, user: r.user, csrf_token: r.csrf_token, session: null }
  client.setQueryData(sessionKeys.current(), session)
  // The session's own times (expiry…) come with the next read.
  void client.invalidateQueries({ queryKey: sessionKeys.all })
}

interface Callbacks<T, V> {
  onSuccess?: (data: T, vars: V) => void
  onError?: (error: unknown, vars: V) => void
}

export function useLogin({ onSuccess, onError }: Callbacks<LoginResult, LoginBody> = {}) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: LoginBody) => unwrap(api.POST('/API/auth/login', { body })),
    onSuccess: (data, vars) => {
      startSession(client, data)
      onSuccess?.(data, vars)
    },
    onError: (e, vars) => onError?.(e, vars),
  })
}

export function useVerifyEmail({ onSuccess, onError }: Callbacks<LoginResult, string> = {}) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (token: string) => unwrap(api.POST('/API/auth/verify-email', { body: { token } })),
    onSuccess: (data, vars) => {
      startSession(client, data)
      onSuccess?.(data, vars)
    },
    onError: (e, vars) => onError?.(e, vars),
  })
}

export function useLogout({ onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/API/auth/logout')),
    // Logged out either way: a failed logout (session already gone) still forgets everything here.
    onSettled: () => {
      client.clear()
      client.setQueryData(sessionKeys.current(), null)
      onSuccess?.()
    },
  })
}

export function useSignup(cb: Callbacks<ResponseOf<'/API/auth/signup', 'post', 202>, SignupBody> = {}) {
  return useMutation({
    mutationFn: (body: SignupBody) => unwrap(api.POST('/API/auth/signup', { body })),
    onSuccess: (d, v) => cb.onSuccess?.(d, v),
    onError: (e, v) => cb.onError?.(e, v),
  })
}

export function usePasswordReset(cb: Callbacks<unknown, string> = {}) {
  return useMutation({
    mutationFn: (email: string) => unwrap(api.POST('/API/auth/password-reset', { body: { email } })),
    onSuccess: (d, v) => cb.onSuccess?.(d, v),
    onError: (e, v) => cb.onError?.(e, v),
  })
}

export function usePasswordResetConfirm(cb: Callbacks<unknown, ResetConfirmBody> = {}) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ResetConfirmBody) => unwrap(api.POST('/API/auth/password-reset/confirm', { body })),
    onSuccess: (d, v) => {
      // Every session of that user was revoked, this browser's too if it had one.
      client.clear()
      client.setQueryData(sessionKeys.current(), null)
      cb.onSuccess?.(d, v)
    },
    onError: (e, v) => cb.onError?.(e, v),
  })
}
