// Mail notifications of the caller: preferences (GET/PUT /API/notifications/mail) and the mail
// sent so far (GET /API/notifications/mail/deliveries).
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import type { Callbacks } from './callbacks.ts'
import { api, unwrap, type ApiError } from './client.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type MailPreferences = ResponseOf<'/API/notifications/mail', 'get'>['preferences']
export type MailPreferencesBody = BodyOf<'/API/notifications/mail', 'put'>
export type MailDelivery = ResponseOf<'/API/notifications/mail/deliveries', 'get'>['data'][number]

export const notificationKeys = {
  all: ['notifications'] as const,
  mail: () => [...notificationKeys.all, 'mail'] as const,
  mailDeliveries: (q: { page: number }) => [...notificationKeys.all, 'mail-deliveries', q] as const,
}

export const mailPreferencesQuery = () =>
  queryOptions({
    queryKey: notificationKeys.mail(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/API/notifications/mail', { signal }))).preferences,
  })

export const mailDeliveriesQuery = (q: { page: number }) =>
  queryOptions({
    queryKey: notificationKeys.mailDeliveries(q),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/API/notifications/mail/deliveries', { params: { query: { page: q.page, per_page: 20 } }, signal }),
      ),
  })

export function useSetMailPreferences(callbacks: Callbacks<MailPreferences, MailPreferencesBody> = {}) {
  const qc = useQueryClient()
  const { onSuccess, onError } = callbacks
  return useMutation<MailPreferences, ApiError, MailPreferencesBody>({
    mutationFn: async body => (await unwrap(api.PUT('/API/notifications/mail', { body }))).preferences,
    onSuccess: async (data, vars) => {
      await qc.invalidateQueries({ queryKey: notificationKeys.all })
      await onSuccess?.(data, vars)
    },
    onError: async (err, vars) => {
      await onError?.(err, vars)
    },
  })
}
