import type { Db } from '../../db/connect.ts'
import { addHours } from '../billing/pricing.ts'
import { hasOpenOrder } from '../orders/open-orders.ts'
import { earlierTerminationReason } from './earlier-reason.ts'
import type { TerminationReason } from './terminate-payload.ts'

/** A suspended service as the lifecycle's termination check reads it, under its row lock. */
export interface SuspendedService {
  kind: 'server' | 'plesk'
  id: string
  expiry: Date
  cancelAt: Date | null
}

/**
 * Why a suspended service is to be terminated now, or null when it is not: past its grace
 * (expiry + TERMINATE_SUSPENDED_AFTER_HOURS ≤ now) it is 'unpaid'; with an immediate cancellation
 * whose job gave up (`cancel_at` ≤ now) it keeps that termination's reason. An order still open on
 * it (a crypto extension awaiting payment) holds it: the customer is paying. One rule for servers
 * and subscriptions.
 */
export async function suspendedTerminationReason(
  trx: Db,
  s: SuspendedService,
  now: Date,
  graceHours: number,
): Promise<TerminationReason | null> {
  const cancelled = s.cancelAt !== null && s.cancelAt <= now
  if (!cancelled && addHours(s.expiry, graceHours) > now) return null
  if (await hasOpenOrder(trx, { kind: s.kind === 'server' ? 'server' : 'subscription', id: s.id }, now)) return null
  if (!cancelled) return 'unpaid'
  return (await earlierTerminationReason(trx, { kind: s.kind, id: s.id })) ?? 'cancelled'
}
