/**
 * The one source of the values of every status and kind column. `schema.ts` types the columns
 * with these unions, so a typo in a status does not compile, and migration 0006 builds the
 * CHECK constraints from these arrays (`STATE_CHECKS`), so the database refuses what the types
 * refuse. Adding a value: add it here and write a migration that re-creates that one check.
 * Values that no code writes today but that rows made by older versions or by hand may hold
 * (`deleted`, a subscription's `expired`) stay listed: the code still reads them.
 */

/** `orders.status`: paid and being applied, done, failed (money back), awaiting a crypto payment, or cancelled unpaid. */
export const ORDER_STATUSES = ['processing', 'completed', 'failed', 'pending_payment', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** `orders.order_type` (the 0xhost order types). */
export const ORDER_TYPES = ['new_server', 'renew_server', 'scale_server', 'addon', 'plesk', 'plesk_renew'] as const
export type OrderType = (typeof ORDER_TYPES)[number]

/** `orders.payment_method` (`type_payment`): from the balance now, or by a crypto invoice later. */
export const PAYMENT_METHODS = ['balance', 'crypto'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

/** `servers.status`: the lifecycle of a VPS. */
export const SERVER_STATUSES = [
  'pending_payment',
  'provisioning',
  'active',
  'suspending',
  'suspended',
  'resizing',
  'renewing',
  'provision_failed',
  'cancelled',
  'terminating',
  'deleted',
] as const
export type ServerStatus = (typeof SERVER_STATUSES)[number]

/**
 * `server_addons.status`: an extra IP being assigned, assigned, or ended: `releasing` while its
 * release job runs (a cancelled addon), `released` once the IP is gone (cancelled, or its server
 * was terminated).
 */
export const SERVER_ADDON_STATUSES = [
  'pending_payment',
  'provisioning',
  'assigned',
  'unassigned',
  'failed',
  'cancelled',
  'releasing',
  'released',
] as const
export type ServerAddonStatus = (typeof SERVER_ADDON_STATUSES)[number]

/** `plesk_clients.status`: the Plesk customer account behind a user's subscriptions. */
export const PLESK_CLIENT_STATUSES = ['pending', 'active', 'provision_failed'] as const
export type PleskClientStatus = (typeof PLESK_CLIENT_STATUSES)[number]

/** `plesk_subscriptions.status`: the lifecycle of a Plesk webspace. */
export const PLESK_SUBSCRIPTION_STATUSES = [
  'pending_payment',
  'provisioning',
  'active',
  'renewing',
  'suspending',
  'suspended',
  'expired',
  'provision_failed',
  'cancelled',
  'terminating',
  'deleted',
] as const
export type PleskSubscriptionStatus = (typeof PLESK_SUBSCRIPTION_STATUSES)[number]

/** `payments.status`: OxaPay's status, lowercased (`integrations/oxapay/types.ts` lists the same). */
export const PAYMENT_STATUSES = [
  'new',
  'waiting',
  'paying',
  'paid',
  'manual_accept',
  'underpaid',
  'refunding',
  'refunded',
  'expired',
] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]

/** `payments.type`: the payment of an order, or a balance top-up. */
export const PAYMENT_TYPES = ['ORDER', 'RECHARGE'] as const
export type PaymentType = (typeof PAYMENT_TYPES)[number]

/** `jobs.state` (`jobs/runner.ts`); `blocked`: waiting for its order's crypto payment. */
export const JOB_STATES = ['blocked', 'pending', 'running', 'done', 'failed', 'cancelled'] as const
export type JobState = (typeof JOB_STATES)[number]

/** `ledger_entries.kind`: why a balance moved (`domain/billing/ledger.ts`). */
export const LEDGER_KINDS = [
  'order_debit',
  'refund',
  'downgrade_credit',
  'proration_credit',
  'top_up',
  'adjustment',
  'opening_balance',
  'payment_credit',
  'cancel_refund',
] as const
export type LedgerKind = (typeof LEDGER_KINDS)[number]

/** `service_periods.service_kind`. */
export const SERVICE_KINDS = ['server', 'subscription'] as const
export type ServiceKind = (typeof SERVICE_KINDS)[number]

/**
 * `service_periods.kind`: a new service's first period, a renewal, a plan change, or `cancel`: an
 * immediate cancellation cut the paid time to its moment (starts = ends = then; its amount is
 * minus the refund, 0 when none).
 */
export const SERVICE_PERIOD_KINDS = ['opening', 'term', 'plan_change', 'cancel'] as const
export type ServicePeriodKind = (typeof SERVICE_PERIOD_KINDS)[number]

/** `idempotency_keys.state`: a request under way, or its answer stored for replays. */
export const IDEMPOTENCY_STATES = ['running', 'done'] as const
export type IdempotencyState = (typeof IDEMPOTENCY_STATES)[number]

/**
 * `events.type`: the domain events oxbill publishes (`domain/events/catalog.ts` types their
 * payloads). A new type needs a migration that re-creates `events_type_check`, like 0007.
 */
export const EVENT_TYPES = [
  'order.created',
  'order.completed',
  'order.failed',
  'order.refunded',
  'order.cancelled',
  'service.provisioned',
  'service.renewed',
  'service.expiring',
  'service.suspended',
  'service.resumed',
  'service.terminated',
  'service.cancelled',
  'payment.received',
  'payment.flagged',
  'balance.low',
  'webhook_endpoint.disabled',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** One CHECK constraint: `<table>_<column>_check`, `column IN (values)`. */
export interface StateCheck {
  table: string
  column: string
  values: readonly string[]
}

/** `webhook_endpoints.status`: `disabled` by its owner, by a 410 or by days of failures; `deleted` keeps the log. */
export const WEBHOOK_ENDPOINT_STATUSES = ['enabled', 'disabled', 'deleted'] as const
export type WebhookEndpointStatus = (typeof WEBHOOK_ENDPOINT_STATUSES)[number]

/**
 * `webhook_deliveries.state` and `mail_deliveries.state`: `pending` (due at `next_attempt_at`),
 * `sending` (claimed under a lease; a worker that died leaves it to be re-claimed), `delivered`,
 * `failed` (retries exhausted or a permanent refusal; a replay makes it pending again),
 * `abandoned` (its endpoint was disabled or deleted, its address opted out).
 */
export const DELIVERY_STATES = ['pending', 'sending', 'delivered', 'failed', 'abandoned'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

/** The power actions of `POST /API/servers/power` (stop = power off, shutdown = graceful). */
export const POWER_ACTION_KINDS = ['start', 'stop', 'shutdown', 'reboot'] as const
export type PowerActionKind = (typeof POWER_ACTION_KINDS)[number]

/** The rebuild actions (0011): a new OS image, a new root password, boot into rescue and back. */
export const REBUILD_ACTION_KINDS = ['reinstall', 'reset_password', 'rescue_on', 'rescue_off'] as const
export type RebuildActionKind = (typeof REBUILD_ACTION_KINDS)[number]

/** `server_actions.action`: what the customer asked for; one open action per server, whatever its kind. */
export const SERVER_ACTION_KINDS = [...POWER_ACTION_KINDS, ...REBUILD_ACTION_KINDS] as const
export type ServerActionKind = (typeof SERVER_ACTION_KINDS)[number]

/**
 * `server_actions.password_delivery` (0011): how the customer gets the root password an action
 * set. `shown`: by oxbill, once (a reinstall's answer; a reset's reveal); `email`: SolusVM mailed
 * the owner a link instead (its e-mail mode of reset_password). Null for actions without one.
 */
export const PASSWORD_DELIVERIES = ['shown', 'email'] as const
export type PasswordDelivery = (typeof PASSWORD_DELIVERIES)[number]

/** `server_actions.status`: written `queued` with its job, `running` once SolusVM has its task. */
export const SERVER_ACTION_STATUSES = ['queued', 'running', 'done', 'failed'] as const
export type ServerActionStatus = (typeof SERVER_ACTION_STATUSES)[number]
/** `plesk_actions.action`: a customer's FTP password change, an operator's suspension or its lifting. */
export const PLESK_ACTION_KINDS = ['ftp_password', 'suspend', 'resume'] as const
export type PleskActionKind = (typeof PLESK_ACTION_KINDS)[number]

/** `plesk_actions.status`: written `queued` with its job, `running` once its job started on it, then `done` or `failed`. */
export const PLESK_ACTION_STATUSES = ['queued', 'running', 'done', 'failed'] as const
export type PleskActionStatus = (typeof PLESK_ACTION_STATUSES)[number]

/** `account_tokens.purpose`: a link mailed to confirm the address, or to choose a new password. */
export const ACCOUNT_TOKEN_PURPOSES = ['verify_email', 'password_reset'] as const
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number]

/** Every status and kind column and its values; migration 0006 makes one CHECK of each. */
export const STATE_CHECKS: readonly StateCheck[] = [
  { table: 'orders', column: 'status', values: ORDER_STATUSES },
  { table: 'orders', column: 'order_type', values: ORDER_TYPES },
  { table: 'orders', column: 'payment_method', values: PAYMENT_METHODS },
  { table: 'servers', column: 'status', values: SERVER_STATUSES },
  { table: 'server_addons', column: 'status', values: SERVER_ADDON_STATUSES },
  { table: 'plesk_clients', column: 'status', values: PLESK_CLIENT_STATUSES },
  { table: 'plesk_subscriptions', column: 'status', values: PLESK_SUBSCRIPTION_STATUSES },
  { table: 'payments', column: 'status', values: PAYMENT_STATUSES },
  { table: 'payments', column: 'type', values: PAYMENT_TYPES },
  { table: 'jobs', column: 'state', values: JOB_STATES },
  { table: 'ledger_entries', column: 'kind', values: LEDGER_KINDS },
  { table: 'service_periods', column: 'service_kind', values: SERVICE_KINDS },
  { table: 'service_periods', column: 'kind', values: SERVICE_PERIOD_KINDS },
  { table: 'idempotency_keys', column: 'state', values: IDEMPOTENCY_STATES },
]

/** The checks made by migrations after 0006, each by its own migration (0006 must stay as it ran). */
export const LATER_STATE_CHECKS: readonly StateCheck[] = [
  { table: 'events', column: 'type', values: EVENT_TYPES },
  { table: 'webhook_endpoints', column: 'status', values: WEBHOOK_ENDPOINT_STATUSES },
  { table: 'webhook_deliveries', column: 'state', values: DELIVERY_STATES },
  { table: 'mail_deliveries', column: 'state', values: DELIVERY_STATES },
  { table: 'server_actions', column: 'action', values: SERVER_ACTION_KINDS },
  { table: 'server_actions', column: 'status', values: SERVER_ACTION_STATUSES },
  { table: 'account_tokens', column: 'purpose', values: ACCOUNT_TOKEN_PURPOSES },
  { table: 'server_actions', column: 'password_delivery', values: PASSWORD_DELIVERIES },
  { table: 'plesk_actions', column: 'action', values: PLESK_ACTION_KINDS },
  { table: 'plesk_actions', column: 'status', values: PLESK_ACTION_STATUSES },
]

/** The constraint's name: PostgreSQL's own name for a column CHECK, so 0006 replaces the ones 0002/0003 made inline. */
export function checkName(c: StateCheck): string {
  return `${c.table}_${c.column}_check`
}

/** `column IN ('a', 'b')`; the values are fixed identifiers, quoted anyway. */
export function checkExpression(c: StateCheck): string {
  return `${c.column} IN (${c.values.map(v => `'${v.replaceAll("'", "''")}'`).join(', ')})`
}
