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

/**
 * What managing a subscription needs, mirrored from the API's refusals (the API enforces each):
 * the FTP password and the Plesk login need it `active` (a webspace exists), the FTP password also
 * no other Plesk action still open; auto-renew cannot be turned on while a cancellation is pending,
 * nor changed once the subscription is gone; cancelling at the end of the term needs `active`,
 * no pending cancellation and no open order; terminating now `active` or `suspended`.
 */
export type ManageAction = 'autoRenew' | 'ftpPassword' | 'login' | 'cancel' | 'cancelNow'

export type ManageVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'status'; status: string }
  | { allowed: false; reason: 'actionPending'; action: string; actionStatus: string }
  | { allowed: false; reason: 'cancelPending'; cancelAt: string }
  | { allowed: false; reason: 'orderPending'; orderNumber: string }

export interface SubscriptionFacts {
  readonly status: string
  readonly auto_renew: boolean
  readonly cancel_at?: string | null
  /** The operator's hold: the API refuses the FTP password and the panel login while it stands. */
  readonly operator_suspended?: boolean
}

/** Subscription states after which nothing more can be done with it. */
export const GONE_SUBSCRIPTION_STATUSES: ReadonlySet<string> = new Set([
  'cancelled',
  'deleted',
  'terminating',
  'terminated',
  'provision_failed',
])

const LIVE = new Set(['queued', 'running'])

export function manageVerdicts(
  s: SubscriptionFacts,
  context: {
    actions: readonly { action: string; status: string }[]
    orders: readonly { order_number: string; status: string }[]
  },
): Record<ManageAction, ManageVerdict> {
  const ok: ManageVerdict = { allowed: true }
  const byStatus = (allowed: readonly string[]): ManageVerdict | null =>
    allowed.includes(s.status) ? null : { allowed: false, reason: 'status', status: s.status }
  const held: ManageVerdict | null =
    s.operator_suspended === true ? { allowed: false, reason: 'status', status: 'operator_suspended' } : null
  const live = context.actions.find(a => LIVE.has(a.status))
  const open = context.orders.find(o => o.status === 'processing' || o.status === 'pending_payment')
  const cancelAt = s.cancel_at ?? null
  const cancelled: ManageVerdict | null =
    cancelAt === null ? null : { allowed: false, reason: 'cancelPending', cancelAt }
  const order: ManageVerdict | null =
    open === undefined ? null : { allowed: false, reason: 'orderPending', orderNumber: open.order_number }
  return {
    // Turning it off is always possible while the subscription exists; on, not while cancelled.
    autoRenew: GONE_SUBSCRIPTION_STATUSES.has(s.status)
      ? { allowed: false, reason: 'status', status: s.status }
      : s.auto_renew
        ? ok
        : (cancelled ?? ok),
    ftpPassword:
      byStatus(['active']) ??
      held ??
      (live === undefined
        ? ok
        : { allowed: false, reason: 'actionPending', action: live.action, actionStatus: live.status }),
    login: byStatus(['active']) ?? held ?? ok,
    cancel: byStatus(['active']) ?? cancelled ?? order ?? ok,
    cancelNow: byStatus(['active', 'suspended']) ?? order ?? ok,
  }
}
