import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'

/**
 * The first schema. Money is BIGINT cents; every balance change has a ledger row (see
 * `domain/billing/ledger.ts`); CHECK constraints are the backstop for the invariants the code keeps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE users (
      id text PRIMARY KEY,
      username text NOT NULL,
      email text NOT NULL UNIQUE,
      telegram text,
      balance_cents bigint NOT NULL DEFAULT 0 CHECK (balance_cents >= 0),
      is_active boolean NOT NULL DEFAULT true,
      notification_days_before integer NOT NULL DEFAULT 3,
      notification_preference text NOT NULL DEFAULT 'email',
      email_verified boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      scopes text[] NOT NULL DEFAULT '{}',
      name text,
      loopback_only boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_keys_user ON api_keys(user_id);

    CREATE TABLE ledger_entries (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      delta_cents bigint NOT NULL,
      balance_after_cents bigint NOT NULL CHECK (balance_after_cents >= 0),
      kind text NOT NULL,
      order_id text,
      payment_id text,
      reason text NOT NULL,
      actor text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ledger_user ON ledger_entries(user_id, created_at);

    CREATE TABLE locations (
      id text PRIMARY KEY,
      name text NOT NULL UNIQUE,
      solusvm_location_id integer NOT NULL,
      is_active boolean NOT NULL DEFAULT true
    );

    CREATE TABLE os_images (
      id text PRIMARY KEY,
      name text NOT NULL,
      version text NOT NULL,
      solusvm_os_version_id integer NOT NULL,
      is_active boolean NOT NULL DEFAULT true
    );

    CREATE TABLE vps_plans (
      id text PRIMARY KEY,
      name text NOT NULL,
      price_cents bigint NOT NULL CHECK (price_cents >= 0),
      vcpu integer NOT NULL,
      ram_bytes bigint NOT NULL,
      disk_gb integer NOT NULL,
      disk_type text NOT NULL DEFAULT 'ssd',
      solusvm_plan_id integer NOT NULL,
      os_image_ids text[] NOT NULL DEFAULT '{}',
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE servers (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      plan_id text NOT NULL REFERENCES vps_plans(id),
      os_image_id text NOT NULL REFERENCES os_images(id),
      location_id text NOT NULL REFERENCES locations(id),
      name text NOT NULL,
      status text NOT NULL,
      id_solusvm integer,
      solusvm_uuid text,
      primary_ip text,
      extra_ips text[] NOT NULL DEFAULT '{}',
      auto_renew boolean NOT NULL DEFAULT false,
      rental_duration_hours integer NOT NULL DEFAULT 720,
      expire_date timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX servers_user ON servers(user_id);

    CREATE TABLE addons (
      id text PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      price_cents bigint NOT NULL CHECK (price_cents >= 0),
      is_active boolean NOT NULL DEFAULT true
    );

    CREATE TABLE server_addons (
      id text PRIMARY KEY,
      addon_id text NOT NULL REFERENCES addons(id),
      server_id text NOT NULL REFERENCES servers(id),
      user_id text NOT NULL REFERENCES users(id),
      order_id text,
      assigned_price_cents bigint NOT NULL,
      status text NOT NULL,
      assigned_value text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX server_addons_server ON server_addons(server_id);

    CREATE TABLE plesk_plans (
      id text PRIMARY KEY,
      name text NOT NULL,
      plesk_plan_name text NOT NULL,
      price_cents bigint NOT NULL CHECK (price_cents >= 0),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE plesk_clients (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      name text NOT NULL,
      login text NOT NULL UNIQUE,
      email text NOT NULL,
      company text,
      plesk_customer_id integer,
      status text NOT NULL DEFAULT 'pending',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX plesk_clients_user ON plesk_clients(user_id);

    CREATE TABLE plesk_subscriptions (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      client_id text NOT NULL REFERENCES plesk_clients(id),
      plan_id text NOT NULL REFERENCES plesk_plans(id),
      domain_name text NOT NULL,
      ftp_login text NOT NULL,
      status text NOT NULL,
      plesk_webspace_id integer,
      auto_renew boolean NOT NULL DEFAULT true,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX plesk_subscriptions_user ON plesk_subscriptions(user_id);
    -- One live subscription per domain: a failed one frees the name for a new order.
    CREATE UNIQUE INDEX plesk_subscriptions_domain_live ON plesk_subscriptions(domain_name)
      WHERE status NOT IN ('provision_failed', 'cancelled', 'deleted');

    CREATE TABLE orders (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      order_number text NOT NULL UNIQUE,
      order_type text NOT NULL,
      status text NOT NULL,
      payment_method text NOT NULL DEFAULT 'balance',
      server_id text,
      subscription_id text,
      server_addon_id text,
      plan_id text,
      amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
      upgrade_difference_cents bigint NOT NULL DEFAULT 0,
      credit_cents bigint NOT NULL DEFAULT 0,
      currency text NOT NULL DEFAULT 'EUR',
      hours integer,
      months integer,
      metadata jsonb NOT NULL DEFAULT '{}',
      description text NOT NULL DEFAULT '',
      failure_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX orders_user ON orders(user_id, created_at);

    CREATE SEQUENCE order_number_seq;

    CREATE TABLE jobs (
      id text PRIMARY KEY,
      kind text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      payload jsonb NOT NULL,
      state text NOT NULL DEFAULT 'pending',
      order_id text,
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 8,
      run_at timestamptz NOT NULL DEFAULT now(),
      lease_until timestamptz,
      locked_by text,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
    CREATE INDEX jobs_runnable ON jobs(run_at) WHERE state IN ('pending', 'running');
    CREATE INDEX jobs_order ON jobs(order_id);

    CREATE TABLE job_steps (
      job_id text NOT NULL REFERENCES jobs(id),
      step text NOT NULL,
      result jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (job_id, step)
    );

    -- Secrets a job still needs (root or FTP passwords), AES-256-GCM encrypted, deleted when the job ends.
    CREATE TABLE job_secrets (
      job_id text PRIMARY KEY REFERENCES jobs(id),
      ciphertext text NOT NULL
    );

    CREATE TABLE idempotency_keys (
      api_key_id text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      state text NOT NULL,
      order_id text,
      response_status integer,
      response_body jsonb,
      lease_until timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (api_key_id, key)
    );
    CREATE INDEX idempotency_created ON idempotency_keys(created_at);

    CREATE TABLE audit_log (
      id text PRIMARY KEY,
      actor text NOT NULL,
      request_id text,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  )
}
