/**
 * "What expires soon" on the dashboard: services that are still alive (not failed, cancelled or
 * deleted) whose paid time ends within the window, or has already ended (a suspended server
 * waiting for an extension), soonest first. Only a view of fields the API sends; renewing is
 * the API's business.
 */

export interface ServiceSummary {
  readonly kind: 'server' | 'plesk'
  readonly id: string
  readonly name: string
  readonly status: string
  /** Absolute instant, or null when the service has no term yet. */
  readonly expiresAt: Date | null
  readonly autoRenew: boolean
}

const GONE = new Set(['provision_failed', 'cancelled', 'deleted', 'terminated', 'expired'])

export const EXPIRING_WINDOW_DAYS = 7

export function expiringSoon(
  services: readonly ServiceSummary[],
  now: Date,
  withinDays: number = EXPIRING_WINDOW_DAYS,
): ServiceSummary[] {
  const limit = now.getTime() + withinDays * 86_400_000
  return services
    .filter(s => !GONE.has(s.status) && s.expiresAt !== null && s.expiresAt.getTime() <= limit)
    .sort((a, b) => a.expiresAt!.getTime() - b.expiresAt!.getTime())
}
