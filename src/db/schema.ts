import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type {
  AccountTokenPurpose,
  DeliveryState,
  EventType,
  IdempotencyState,
  JobState,
  LedgerKind,
  OrderStatus,
  OrderType,
  PasswordDelivery,
  PaymentMethod,
  PaymentStatus,
  PaymentType,
  PleskClientStatus,
  PleskSubscriptionStatus,
  ServerActionKind,
  PleskActionKind,
  PleskActionStatus,
  ServerActionStatus,
  ServerAddonStatus,
  ServerStatus,
  ServiceKind,
  ServicePeriodKind,
  WebhookEndpointStatus,
} from './states.ts'

/** Kysely's view of the tables in `migrations/`. BIGINT arrives as bigint, NUMERIC as string. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json<T> = ColumnType<T, string | T, string | T>

export interface UsersTable {
  id: string
  username: string
  email: string
  telegram: string | null
  balance_cents: ColumnType<bigint, bigint | undefined, bigint>
  is_active: Generated<boolean>
  notification_days_before: Generated<number>
  notification_preference: Generated<string>
  email_verified: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
  /** `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<key b64url>` (domain/accounts/passwords.ts); null: no portal login. */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>
  /** The TOTP secret (base32) sealed with the secret box, once 2FA is on. */
  totp_secret_sealed: ColumnType<string | null, string | null | undefined, string | null>
  /** A secret being set up, not yet confirmed by a code. */
  totp_pending_sealed: ColumnType<string | null, string | null | undefined, string | null>
  totp_enabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** The last 30-second step whose code was accepted: a code is never accepted twice. */
  totp_last_step: ColumnType<bigint | null, bigint | null | undefined, bigint | null>
  billing_name: ColumnType<string | null, string | null | undefined, string | null>
  billing_company: ColumnType<string | null, string | null | undefined, string | null>
  billing_address_line1: ColumnType<string | null, string | null | undefined, string | null>
  billing_address_line2: ColumnType<string | null, string | null | undefined, string | null>
  billing_postal_code: ColumnType<string | null, string | null | undefined, string | null>
  billing_city: ColumnType<string | null, string | null | undefined, string | null>
  billing_country: ColumnType<string | null, string | null | undefined, string | null>
  billing_vat_id: ColumnType<string | null, string | null | undefined, string | null>
}

/** A portal login (cookie `oxbill_session`): only the token's SHA-256 is kept. */
export interface SessionsTable {
  id: string
  user_id: string
  token_hash: string
  csrf_token: string
  created_at: Timestamp
  last_seen_at: Timestamp
  idle_expires_at: Timestamp
  expires_at: Timestamp
  revoked_at: Date | null
  ip: string | null
  user_agent: string | null
}

/** Single-use mailed tokens (verification, password reset): only the SHA-256 is kept. */
export interface AccountTokensTable {
  id: string
  user_id: string
  purpose: AccountTokenPurpose
  token_hash: string
  expires_at: Timestamp
  used_at: Date | null
  created_at: Timestamp
}

export interface RecoveryCodesTable {
  id: string
  user_id: string
  code_hash: string
  used_at: Date | null
  created_at: Timestamp
}

/** Failed logins per bucket (`email:<address>`, `ip:<client>`) in a fixed window. */
export interface LoginFailuresTable {
  bucket: string
  window_start: Timestamp
  failures: number
}

export interface ApiKeysTable {
  id: string
  user_id: string
  prefix: string
  key_hash: string
  scopes: ColumnType<string[], string[] | undefined, string[]>
  name: string | null
  loopback_only: Generated<boolean>
  created_at: CreatedAt
  last_used_at: Date | null
  revoked_at: Date | null
}

export interface LedgerEntriesTable {
  id: string
  user_id: string
  delta_cents: bigint
  balance_after_cents: bigint
  kind: LedgerKind
  order_id: string | null
  payment_id: string | null
  reason: string
  actor: string
  created_at: CreatedAt
}

export interface LocationsTable {
  id: string
  name: string
  solusvm_location_id: number
  is_active: Generated<boolean>
}
export interface OsImagesTable {
  id: string
  name: string
  version: string
  solusvm_os_version_id: number
  is_active: Generated<boolean>
}

export interface VpsPlansTable {
  id: string
  name: string
  price_cents: bigint
  vcpu: number
  ram_bytes: bigint
  disk_gb: number
  disk_type: Generated<string>
  solusvm_plan_id: number
  os_image_ids: ColumnType<string[], string[] | undefined, string[]>
  is_active: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ServersTable {
  id: string
  user_id: string
  plan_id: string
  os_image_id: string
  location_id: string
  name: string
  status: ServerStatus
  id_solusvm: number | null
  solusvm_uuid: string | null
  primary_ip: string | null
  extra_ips: ColumnType<string[], string[] | undefined, string[]>
  auto_renew: Generated<boolean>
  rental_duration_hours: Generated<number>
  expire_date: Timestamp
  /** When a cancellation at the end of the term takes effect (0010); null: none pending. */
  cancel_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

/** A power action a customer asked for (0010), run by a `server.power` job. */
export interface ServerActionsTable {
  id: string
  server_id: string
  user_id: string
  action: ServerActionKind
  status: ServerActionStatus
  /** Why it failed (provider text, scrubbed by the adapter); null otherwise. */
  error: string | null
  job_id: string | null
  /** The SolusVM task that carried it out, once SolusVM accepted the call. */
  solusvm_task_id: number | null
  /** The API key that asked (an admin key acting for the owner included). */
  requested_by: string
  created_at: Timestamp
  updated_at: Timestamp
  finished_at: Timestamp | null
  /** A reinstall's image (0011); null for other actions. */
  os_image_id: ColumnType<string | null, string | null | undefined, string | null>
  /** A reset's root password from SolusVM, sealed (0011); null once shown, or when none came. */
  password_sealed: ColumnType<string | null, string | null | undefined, string | null>
  /** How the customer gets the action's root password (0011); null for actions without one. */
  password_delivery: ColumnType<PasswordDelivery | null, PasswordDelivery | null | undefined, PasswordDelivery | null>
}
export type ServerAction = Selectable<ServerActionsTable>

export interface AddonsTable {
  id: string
  name: string
  kind: string
  price_cents: bigint
  is_active: Generated<boolean>
}

export interface ServerAddonsTable {
  id: string
  addon_id: string
  server_id: string
  user_id: string
  order_id: string | null
  assigned_price_cents: bigint
  status: ServerAddonStatus
  assigned_value: Generated<string>
  /** When a cancelled addon ends (0012): its server's expiry for end_of_term, the moment for immediate. */
  cancel_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface PleskPlansTable {
  id: string
  name: string
  plesk_plan_name: string
  price_cents: bigint
  is_active: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface PleskClientsTable {
  id: string
  user_id: string
  name: string
  login: string
  email: string
  company: string | null
  plesk_customer_id: number | null
  status: Generated<PleskClientStatus>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface PleskSubscriptionsTable {
  id: string
  user_id: string
  client_id: string
  plan_id: string
  domain_name: string
  ftp_login: string
  status: PleskSubscriptionStatus
  plesk_webspace_id: number | null
  auto_renew: Generated<boolean>
  expires_at: Timestamp
  /** When a cancellation at the end of the term takes effect (0010); null: none pending. */
  cancel_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** An operator's suspension (0013), apart from `status`: set from the request until a resumption lifts it. */
  operator_suspended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** Who suspended it (API key id or "cli"); null when not operator-suspended. */
  operator_suspended_by: ColumnType<string | null, string | null | undefined, string | null>
  operator_suspend_reason: ColumnType<string | null, string | null | undefined, string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

/** A Plesk action (0013): an FTP password change, an operator's suspension or resumption; run by `plesk.action`. */
export interface PleskActionsTable {
  id: string
  subscription_id: string
  user_id: string
  action: PleskActionKind
  status: PleskActionStatus
  /** The operator's reason for a suspension; null otherwise. */
  reason: string | null
  /** Why it failed (provider text, secrets scrubbed by the adapter); null otherwise. */
  error: string | null
  job_id: string | null
  /** The API key that asked ("cli" from the command line). */
  requested_by: string
  created_at: Timestamp
  updated_at: Timestamp
  finished_at: Timestamp | null
}
export type PleskAction = Selectable<PleskActionsTable>

export interface OrdersTable {
  id: string
  user_id: string
  order_number: string
  order_type: OrderType
  status: OrderStatus
  payment_method: Generated<PaymentMethod>
  server_id: string | null
  subscription_id: string | null
  server_addon_id: string | null
  plan_id: string | null
  amount_cents: bigint
  upgrade_difference_cents: ColumnType<bigint, bigint | undefined, bigint>
  credit_cents: ColumnType<bigint, bigint | undefined, bigint>
  currency: Generated<string>
  hours: number | null
  months: number | null
  metadata: Json<Record<string, unknown>>
  description: Generated<string>
  failure_reason: string | null
  /** A pending_payment order is cancelled at this time, whatever invoices it had. */
  pay_by: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** When a new service's term started (it was paid): its first paid period begins there. */
  term_starts_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

/** One paid period of a service: what a completed order delivered. */
export interface ServicePeriodsTable {
  id: string
  user_id: string
  service_kind: ServiceKind
  service_id: string
  order_id: string | null
  kind: ServicePeriodKind
  plan_id: string
  starts_at: Timestamp
  ends_at: Timestamp
  /** Net price of the period (what the order cost after credits). */
  amount_cents: bigint
  created_at: CreatedAt
}

export interface JobsTable {
  id: string
  kind: string
  version: Generated<number>
  payload: Json<Record<string, unknown>>
  state: Generated<JobState>
  order_id: string | null
  attempts: Generated<number>
  max_attempts: Generated<number>
  run_at: Timestamp
  lease_until: Date | null
  locked_by: string | null
  last_error: string | null
  created_at: CreatedAt
  updated_at: Timestamp
  finished_at: Date | null
  /** Set on singleton jobs (the reconciliation): one row per value, re-armed when due. */
  singleton: ColumnType<string | null, string | null | undefined, string | null>
}

export interface JobStepsTable {
  job_id: string
  step: string
  result: Json<unknown>
  created_at: CreatedAt
}
export interface JobSecretsTable {
  job_id: string
  ciphertext: string
}

export interface IdempotencyKeysTable {
  api_key_id: string
  key: string
  fingerprint: string
  state: IdempotencyState
  order_id: string | null
  response_status: number | null
  response_body: Json<unknown> | null
  lease_until: Date
  created_at: CreatedAt
}

export interface AuditLogTable {
  id: string
  actor: string
  request_id: string | null
  action: string
  target_type: string
  target_id: string
  details: Json<Record<string, unknown>>
  created_at: CreatedAt
}

export interface PaymentsTable {
  id: string
  user_id: string
  order_id: string | null
  type: PaymentType
  track_id: string | null
  /** Normalised OxaPay status (lowercase), 'new' until OxaPay reports another. */
  status: ColumnType<PaymentStatus, PaymentStatus | undefined, PaymentStatus>
  amount_cents: bigint
  currency: Generated<string>
  credited_cents: ColumnType<bigint, bigint | undefined, bigint>
  payment_url: string | null
  expired_at: Date | null
  invoice_date: Date | null
  lifetime_minutes: number
  description: Generated<string>
  /** The coin amount to send (white-label: fixed at creation; a hosted invoice: what was sent). */
  pay_amount: string | null
  /** The coin; before a white-label invoice exists, the one the client asked for. */
  pay_currency: string | null
  /** OxaPay's name of the network ("Tron Network"). */
  network: string | null
  /** The deposit address (white-label: fixed at creation). */
  address: string | null
  tx_hash: string | null
  under_paid_coverage: string | null
  /** Which OxaPay payment the track id is: 'invoice' (hosted, before white-label) or 'white_label'; null without one. */
  oxapay_type: ColumnType<
    'invoice' | 'white_label' | null,
    'invoice' | 'white_label' | null | undefined,
    'invoice' | 'white_label' | null
  >
  /** Destination memo/tag of chains that need one; null otherwise. */
  memo: ColumnType<string | null, string | null | undefined, string | null>
  /** The network as the client named it, sent to OxaPay as is. */
  requested_network: ColumnType<string | null, string | null | undefined, string | null>
  flagged: Generated<boolean>
  flag_reason: string | null
  invoice_claimed_until: Date | null
  last_error: string | null
  settled_at: Date | null
  ip_address: string | null
  /** When the reconciliation last asked OxaPay about it (null: never); it polls the least recent first. */
  last_polled_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface PaymentEventsTable {
  id: string
  source: 'callback' | 'poll'
  payment_id: string | null
  track_id: string | null
  status: string | null
  raw_status: string | null
  raw_body: string
  signature_valid: boolean | null
  dedupe_key: string | null
  processed: Generated<boolean>
  applied: Generated<boolean>
  outcome: string | null
  flagged: Generated<boolean>
  credited_cents: ColumnType<bigint, bigint | undefined, bigint>
  ip_address: string | null
  /** SHA-256 (hex) and size of the body as received (callbacks); `raw_body` of a rejected one holds only its first bytes. */
  body_sha256: ColumnType<string | null, string | null | undefined, string | null>
  body_bytes: ColumnType<number | null, number | null | undefined, number | null>
  created_at: CreatedAt
}

/** Domain events (migration 0007): written in the transaction of the change they tell of. */
export interface EventsTable {
  /** Paging order: the order events were committed in is close enough, and ids alone are not sequential. */
  seq: Generated<string>
  id: string
  type: EventType
  occurred_at: Timestamp
  /** The customer it concerns; null for operator-only events. */
  user_id: string | null
  data: Json<Record<string, unknown>>
  created_at: CreatedAt
  /** Set by scans that must write an event once per occasion (`expiring:<service>:<expiry>:7`). */
  dedupe_key: ColumnType<string | null, string | null | undefined, string | null>
  /** The delivery worker turned it into deliveries (migration 0008). */
  fanned_out: Generated<boolean>
}
export type Event = Selectable<EventsTable>

/** Webhook endpoints (0008): a customer's (`user_id`) or the operator's (`user_id` null: every event). */
export interface WebhookEndpointsTable {
  id: string
  user_id: string | null
  url: string
  description: Generated<string>
  /** Types it receives; empty: all. */
  event_types: ColumnType<string[], string[] | undefined, string[]>
  status: ColumnType<WebhookEndpointStatus, WebhookEndpointStatus | undefined, WebhookEndpointStatus>
  disabled_reason: string | null
  /** First failure since the last success; days of it disable the endpoint. */
  failing_since: Timestamp | null
  /** The `whsec_` secret, sealed with the secret box. */
  secret_sealed: string
  /** During a rotation: the old secret, still signed with until `previous_secret_until`. */
  previous_secret_sealed: string | null
  previous_secret_until: Timestamp | null
  created_at: CreatedAt
  updated_at: Timestamp
}

interface DeliveryColumns {
  id: string
  event_id: string
  state: ColumnType<DeliveryState, DeliveryState | undefined, DeliveryState>
  attempts: Generated<number>
  /** `attempts` when the current round began (a replay starts a new one, with the whole retry schedule). */
  round_start: Generated<number>
  next_attempt_at: Timestamp
  lease_token: string | null
  lease_until: Timestamp | null
  last_error: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface WebhookDeliveriesTable extends DeliveryColumns {
  endpoint_id: string
  last_status: number | null
  delivered_at: Timestamp | null
}

export interface WebhookAttemptsTable {
  id: Generated<string>
  delivery_id: string
  attempt: number
  started_at: Timestamp
  latency_ms: number
  /** delivered, failed, gone (410). */
  outcome: string
  status: number | null
  error: string | null
  response_excerpt: Generated<string>
}

/** A customer's mail choices (0008); no row: every event to the account's address. */
export interface MailPreferencesTable {
  user_id: string
  enabled: Generated<boolean>
  /** Another address than the account's; null: the account's. */
  address: string | null
  /** Types mailed; null: all. */
  event_types: string[] | null
  updated_at: Timestamp
}

export interface MailDeliveriesTable extends DeliveryColumns {
  /** Null for mail to the operator's address. */
  user_id: string | null
  address: string
  message_id: string
  smtp_response: string | null
  sent_at: Timestamp | null
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  account_tokens: AccountTokensTable
  recovery_codes: RecoveryCodesTable
  login_failures: LoginFailuresTable
  api_keys: ApiKeysTable
  ledger_entries: LedgerEntriesTable
  locations: LocationsTable
  os_images: OsImagesTable
  vps_plans: VpsPlansTable
  servers: ServersTable
  server_actions: ServerActionsTable
  plesk_actions: PleskActionsTable
  addons: AddonsTable
  server_addons: ServerAddonsTable
  plesk_plans: PleskPlansTable
  plesk_clients: PleskClientsTable
  plesk_subscriptions: PleskSubscriptionsTable
  orders: OrdersTable
  jobs: JobsTable
  job_steps: JobStepsTable
  job_secrets: JobSecretsTable
  idempotency_keys: IdempotencyKeysTable
  audit_log: AuditLogTable
  events: EventsTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
  mail_preferences: MailPreferencesTable
  mail_deliveries: MailDeliveriesTable
  payments: PaymentsTable
  payment_events: PaymentEventsTable
  service_periods: ServicePeriodsTable
}

export type User = Selectable<UsersTable>
export type Order = Selectable<OrdersTable>
export type NewOrder = Insertable<OrdersTable>
export type Server = Selectable<ServersTable>
export type VpsPlan = Selectable<VpsPlansTable>
export type Job = Selectable<JobsTable>
export type PleskSubscription = Selectable<PleskSubscriptionsTable>
export type OrderUpdate = Updateable<OrdersTable>
export type Payment = Selectable<PaymentsTable>
