import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'

/**
 * What was delivered, beside what was paid. `service_periods` records each paid period of a
 * service (start, end, plan, net price, the order that bought it), written in the transaction
 * that completes the order; `oxbill audit` replays them against each service's paid-through time.
 * `orders.pay_by` bounds the life of an unpaid crypto order: re-issuing its invoice never moves it.
 * An IPv4 is assigned to one addon of a server only (the index), whatever races the jobs run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE service_periods (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      service_kind text NOT NULL CHECK (service_kind IN ('server', 'subscription')),
      service_id text NOT NULL,
      order_id text REFERENCES orders(id),
      kind text NOT NULL CHECK (kind IN ('opening', 'term', 'plan_change')),
      plan_id text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      amount_cents bigint NOT NULL,
      -- clock_timestamp, not now(): the insert happens under the service's lock, so this orders
      -- a service's periods as they were applied even when transactions started in another order.
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      CHECK (ends_at >= starts_at)
    );
    CREATE INDEX service_periods_service ON service_periods(service_kind, service_id, id);
    CREATE UNIQUE INDEX service_periods_order ON service_periods(order_id) WHERE order_id IS NOT NULL;

    -- Services that existed before periods were recorded: one opening period up to their expiry.
    INSERT INTO service_periods (id, user_id, service_kind, service_id, kind, plan_id, starts_at, ends_at, amount_cents)
      SELECT 'per_' || md5(id), user_id, 'server', id, 'opening', plan_id, least(created_at, expire_date), expire_date, 0
      FROM servers WHERE status NOT IN ('pending_payment', 'cancelled', 'provision_failed', 'provisioning');
    INSERT INTO service_periods (id, user_id, service_kind, service_id, kind, plan_id, starts_at, ends_at, amount_cents)
      SELECT 'per_' || md5(id), user_id, 'subscription', id, 'opening', plan_id, least(created_at, expires_at), expires_at, 0
      FROM plesk_subscriptions WHERE status NOT IN ('pending_payment', 'cancelled', 'provision_failed', 'provisioning');

    ALTER TABLE orders ADD COLUMN pay_by timestamptz;
    -- When the term of a new service's order starts (when it was paid): its paid period begins there.
    ALTER TABLE orders ADD COLUMN term_starts_at timestamptz;
    CREATE INDEX orders_open_service ON orders(server_id, status) WHERE status IN ('processing', 'pending_payment');
    CREATE INDEX orders_open_subscription ON orders(subscription_id, status) WHERE status IN ('processing', 'pending_payment');
    CREATE INDEX orders_pay_by ON orders(pay_by) WHERE status = 'pending_payment';

    CREATE UNIQUE INDEX server_addons_one_ip ON server_addons(server_id, assigned_value) WHERE status = 'assigned';
  `,
  )
}
