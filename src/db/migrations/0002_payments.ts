import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'

/**
 * Crypto payments (OxaPay). A `payments` row is the intent to be paid, written with its order;
 * `payment_events` keeps every callback as received and every poll that changed something.
 * Money never moves here: a payment credits the balance through the ledger (`payment_credit`),
 * and `credited_cents` is the running total of those credits, so a replay credits only the delta.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE payments (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      order_id text REFERENCES orders(id),
      type text NOT NULL CHECK (type IN ('ORDER', 'RECHARGE')),
      track_id text UNIQUE,
      status text NOT NULL DEFAULT 'new',
      amount_cents bigint NOT NULL CHECK (amount_cents > 0),
      currency text NOT NULL DEFAULT 'EUR',
      credited_cents bigint NOT NULL DEFAULT 0 CHECK (credited_cents >= 0),
      payment_url text,
      expired_at timestamptz,
      invoice_date timestamptz,
      lifetime_minutes integer NOT NULL CHECK (lifetime_minutes BETWEEN 15 AND 2880),
      description text NOT NULL DEFAULT '',
      pay_amount text,
      pay_currency text,
      network text,
      address text,
      tx_hash text,
      under_paid_coverage text,
      flagged boolean NOT NULL DEFAULT false,
      flag_reason text,
      invoice_claimed_until timestamptz,
      last_error text,
      settled_at timestamptz,
      ip_address text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((type = 'ORDER') = (order_id IS NOT NULL))
    );
    CREATE INDEX payments_user ON payments(user_id, created_at);
    CREATE INDEX payments_order ON payments(order_id);
    -- What the reconciliation job polls.
    CREATE INDEX payments_open ON payments(updated_at) WHERE status IN ('new', 'waiting', 'paying');

    CREATE TABLE payment_events (
      id text PRIMARY KEY,
      source text NOT NULL CHECK (source IN ('callback', 'poll')),
      payment_id text REFERENCES payments(id),
      track_id text,
      status text,
      raw_status text,
      raw_body text NOT NULL,
      signature_valid boolean,
      dedupe_key text,
      processed boolean NOT NULL DEFAULT false,
      applied boolean NOT NULL DEFAULT false,
      outcome text,
      flagged boolean NOT NULL DEFAULT false,
      credited_cents bigint NOT NULL DEFAULT 0,
      ip_address text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX payment_events_track ON payment_events(track_id, created_at);
    CREATE INDEX payment_events_payment ON payment_events(payment_id, created_at);
    -- Per (track id, status, confirmed txs) at most one event takes effect: the backstop of the
    -- duplicate check that settlement makes under the payment's row lock.
    CREATE UNIQUE INDEX payment_events_once ON payment_events(dedupe_key) WHERE applied;

    -- Singleton jobs (the reconciliation): one row per singleton, re-armed instead of re-inserted.
    ALTER TABLE jobs ADD COLUMN singleton text;
    CREATE UNIQUE INDEX jobs_singleton ON jobs(singleton) WHERE singleton IS NOT NULL;
  `,
  )
}
