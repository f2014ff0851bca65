/**
 * Which actions a server's state allows, worked out only from fields the API returns (status,
 * cancel_at, the newest power actions, open orders), so each disabled button can say why
 * (STYLE-web rule 8). The API enforces every one of these rules itself (docs/architecture.md,
 * "Power actions and cancellation"); this mirror is for the customer's benefit, and the API's
 * refusal is still shown if the state moved on meanwhile. Power needs `active`, a VM and no
 * queued/running action; a change of plan and an addon need `active`, an extension `active` or
 * `suspended`, each with no open order and no pending cancellation; cancelling needs `active` and
 * no open order (terminating now: `active` or `suspended`, no open order); the console also needs
 * the VM `started`; undoing needs `active` and a `cancel_at` still ahead; auto-renew cannot be turned
 * on while a cancellation is pending, and is fixed once the server is gone.
 */

export type ServerActionName =
  | 'power'
  | 'reinstall'
  | 'resetPassword'
  | 'console'
  | 'rescue'
  | 'changePlan'
  | 'extend'
  | 'addon'
  | 'autoRenew'
  | 'cancel'
  | 'cancelNow'
  | 'undoCancel'

export type Refusal =
  | { readonly reason: 'status'; readonly status: string }
  | { readonly reason: 'actionPending'; readonly action: string; readonly actionStatus: string }
  | {
      readonly reason: 'orderPending'
      readonly orderId: string
      readonly orderNumber: string
      readonly orderStatus: string
    }
  | { readonly reason: 'cancelPending'; readonly cancelAt: string }
  | { readonly reason: 'notCancelled' }
  | { readonly reason: 'cancelEffective'; readonly cancelAt: string }
  | { readonly reason: 'notStarted'; readonly powerStatus: string | null }

export type Verdict = { readonly allowed: true } | ({ readonly allowed: false } & Refusal)

export interface ServerFacts {
  readonly id: string
  readonly status: string
  readonly cancel_at?: string | null
  /** null: no VM (yet); power actions need one. */
  readonly id_solusvm?: number | null
  /** The VM's live power state (`started`, `stopped`…); null when unknown. The console needs `started`. */
  readonly power_status?: string | null
}

export interface ActionFacts {
  readonly id: string
  readonly action: string
  readonly status: string
}

export interface OrderFacts {
  readonly id: string
  readonly order_number: string
  readonly status: string
  readonly server_id?: string | null
  readonly service_id?: string | null
}

/** Server states after which nothing more can be done with it. */
export const GONE_STATUSES: ReadonlySet<string> = new Set([
  'provision_failed',
  'cancelled',
  'deleted',
  'terminating',
  'terminated',
])
/** Order states that hold the service (oxbill allows one open order per service). */
export const OPEN_ORDER_STATUSES: ReadonlySet<string> = new Set(['processing', 'pending_payment'])
/** Power action states that are still going. */
export const LIVE_ACTION_STATUSES: ReadonlySet<string> = new Set(['queued', 'running'])

/** The first queued or running action (the list is newest first). */
export function pendingAction(actions: readonly ActionFacts[]): ActionFacts | null {
  return actions.find(a => LIVE_ACTION_STATUSES.has(a.status)) ?? null
}

/** An open order on this service, if one of the given orders is. */
export function pendingOrderFor(serviceId: string, orders: readonly OrderFacts[]): OrderFacts | null {
  return (
    orders.find(o => OPEN_ORDER_STATUSES.has(o.status) && (o.server_id === serviceId || o.service_id === serviceId)) ??
    null
  )
}

const ok: Verdict = { allowed: true }

function byStatus(server: ServerFacts, allowed: readonly string[]): Verdict | null {
  return allowed.includes(server.status) ? null : { allowed: false, reason: 'status', status: server.status }
}

function byOrder(order: OrderFacts | null): Verdict | null {
  return order === null
    ? null
    : {
        allowed: false,
        reason: 'orderPending',
        orderId: order.id,
        orderNumber: order.order_number,
        orderStatus: order.status,
      }
}

export function serverActions(
  server: ServerFacts,
  context: { actions: readonly ActionFacts[]; orders: readonly OrderFacts[]; now: Date },
): Record<ServerActionName, Verdict> {
  const action = pendingAction(context.actions)
  const order = pendingOrderFor(server.id, context.orders)
  const cancelAt = server.cancel_at ?? null
  const gone = GONE_STATUSES.has(server.status)
  const cancelled: Verdict | null = cancelAt === null ? null : { allowed: false, reason: 'cancelPending', cancelAt }
  const noVm: Verdict | null =
    server.id_solusvm === null ? { allowed: false, reason: 'status', status: server.status } : null

  const power: Verdict =
    byStatus(server, ['active']) ??
    noVm ??
    (action === null
      ? ok
      : { allowed: false, reason: 'actionPending', action: action.action, actionStatus: action.status })

  // The console is minted from the running VM (its VNC password and a fresh link): SolusVM only
  // offers it while the VM is started, and oxbill refuses it otherwise.
  const powerStatus = server.power_status ?? null
  const consoleVerdict: Verdict =
    !power.allowed || powerStatus === 'started' ? power : { allowed: false, reason: 'notStarted', powerStatus }

  let undoCancel: Verdict
  if (cancelAt === null) undoCancel = { allowed: false, reason: 'notCancelled' }
  else if (gone || Date.parse(cancelAt) <= context.now.getTime()) {
    undoCancel = { allowed: false, reason: 'cancelEffective', cancelAt }
  } else undoCancel = byStatus(server, ['active']) ?? ok

  return {
    power,
    // Reinstall, password reset and rescue are actions on the VM like power: one at a time.
    reinstall: power,
    resetPassword: power,
    console: consoleVerdict,
    rescue: power,
    changePlan: byStatus(server, ['active']) ?? cancelled ?? byOrder(order) ?? ok,
    extend: byStatus(server, ['active', 'suspended']) ?? cancelled ?? byOrder(order) ?? ok,
    addon: byStatus(server, ['active']) ?? cancelled ?? byOrder(order) ?? ok,
    autoRenew: gone ? { allowed: false, reason: 'status', status: server.status } : (cancelled ?? ok),
    cancel: byStatus(server, ['active']) ?? cancelled ?? byOrder(order) ?? ok,
    // Terminating now also ends a server already cancelled for the end of its term, or suspended.
    cancelNow: byStatus(server, ['active', 'suspended']) ?? byOrder(order) ?? ok,
    undoCancel,
  }
}

/** Server states that change on their own soon: the page polls while the server is in one. */
export const TRANSIENT_SERVER_STATUSES: ReadonlySet<string> = new Set([
  'pending_payment',
  'provisioning',
  'resizing',
  'renewing',
  'suspending',
])

/** The newest root password reset (the list is newest first), whose password may wait to be shown. */
export function latestPasswordReset<A extends ActionFacts>(actions: readonly A[]): A | null {
  return actions.find(a => a.action === 'reset_password') ?? null
}
