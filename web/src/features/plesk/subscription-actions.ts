/**
 * Whether a Plesk subscription can be renewed (or moved to another plan) now, from what the API
 * returns: its status must be one the renewal use-case accepts (`active`, `suspended`, `expired`,
 * src/domain/state/plesk.ts) and no order on it may be open. The API refuses the same.
 */
export const RENEWABLE_STATUSES: ReadonlySet<string> = new Set(['active', 'suspended', 'expired'])

export type RenewVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'status'; status: string }
  | { allowed: false; reason: 'orderPending'; orderId: string; orderNumber: string }

export function renewVerdict(
  subscription: { status: string },
  orders: readonly { id: string; order_number: string; status: string }[],
): RenewVerdict {
  if (!RENEWABLE_STATUSES.has(subscription.status)) {
    return { allowed: false, reason: 'status', status: subscription.status }
  }
  const open = orders.find(o => o.status === 'processing' || o.status === 'pending_payment')
  return open === undefined
    ? { allowed: true }
    : { allowed: false, reason: 'orderPending', orderId: open.id, orderNumber: open.order_number }
}

/** Subscription states that change on their own soon: the page polls while in one. */
export const TRANSIENT_SUBSCRIPTION_STATUSES: ReadonlySet<string> = new Set([
  'pending_payment',
  'provisioning',
  'renewing',
  'suspending',
])
