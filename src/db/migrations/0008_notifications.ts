import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'
import { checkExpression, checkName, LATER_STATE_CHECKS } from '../states.ts'

const check = (table: string, column: string): string => {
  const c = LATER_STATE_CHECKS.find(x => x.table === table && x.column === column)!
  return `CONSTRAINT ${checkName(c)} CHECK (${checkExpression(c)})`
}

/**
 * Delivery of events (issue 11). An event is fanned out once (`fanned_out`), into one row per
 * (event, endpoint) and per (event, address): the unique keys are what make "at most once" hold
 * across crashes, retries and concurrent workers. A delivery is claimed under a lease, sent with
 * its stable id (the event id as `webhook-id`, a Message-ID derived from it), and its outcome
 * recorded afterwards; every webhook attempt is logged.
 *
 * `events.dedupe_key` lets a scan (reminders before expiry, balance low) write an event at most
 * once per occasion: the order path leaves it NULL and pays nothing for the partial index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE events ADD COLUMN dedupe_key text;
    ALTER TABLE events ADD COLUMN fanned_out boolean NOT NULL DEFAULT false;
    CREATE UNIQUE INDEX events_dedupe_key ON events (dedupe_key) WHERE dedupe_key IS NOT NULL;
    CREATE INDEX events_to_fan_out ON events (seq) WHERE NOT fanned_out;

    CREATE TABLE webhook_endpoints (
      id text PRIMARY KEY,
      user_id text REFERENCES users(id),
      url text NOT NULL,
      description text NOT NULL DEFAULT '',
      event_types text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'enabled',
      disabled_reason text,
      failing_since timestamptz,
      secret_sealed text NOT NULL,
      previous_secret_sealed text,
      previous_secret_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      ${check('webhook_endpoints', 'status')}
    );
    CREATE INDEX webhook_endpoints_user ON webhook_endpoints (user_id) WHERE status = 'enabled';
    CREATE UNIQUE INDEX webhook_endpoints_owner_url ON webhook_endpoints (coalesce(user_id, ''), url) WHERE status <> 'deleted';

    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events(id),
      endpoint_id text NOT NULL REFERENCES webhook_endpoints(id),
      state text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      round_start integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      lease_token text,
      lease_until timestamptz,
      last_status integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, endpoint_id),
      ${check('webhook_deliveries', 'state')}
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state IN ('pending', 'sending');
    CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);

    CREATE TABLE webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id text NOT NULL REFERENCES webhook_deliveries(id),
      attempt integer NOT NULL,
      started_at timestamptz NOT NULL,
      latency_ms integer NOT NULL,
      outcome text NOT NULL,
      status integer,
      error text,
      response_excerpt text NOT NULL DEFAULT '',
      UNIQUE (delivery_id, attempt)
    );

    CREATE TABLE mail_preferences (
      user_id text PRIMARY KEY REFERENCES users(id),
      enabled boolean NOT NULL DEFAULT true,
      address text,
      event_types text[],
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE mail_deliveries (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events(id),
      user_id text REFERENCES users(id),
      address text NOT NULL,
      message_id text NOT NULL,
      state text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      round_start integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      lease_token text,
      lease_until timestamptz,
      last_error text,
      smtp_response text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, address),
      ${check('mail_deliveries', 'state')}
    );
    CREATE INDEX mail_deliveries_due ON mail_deliveries (next_attempt_at) WHERE state IN ('pending', 'sending');
    CREATE INDEX mail_deliveries_user ON mail_deliveries (user_id, created_at);
  `,
  )
}
