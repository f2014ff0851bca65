import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'
import { checkExpression, checkName, LATER_STATE_CHECKS } from '../states.ts'

const check = (table: string, column: string): string => {
  const c = LATER_STATE_CHECKS.find(x => x.table === table && x.column === column)!
  return `CONSTRAINT ${checkName(c)} CHECK (${checkExpression(c)})`
}

/**
 * Customer accounts (issue 12): a password and TOTP for the portal, billing details, cookie
 * sessions, mailed single-use tokens, recovery codes, and the login throttle. Every secret is
 * stored as a hash (session tokens, mailed tokens, recovery codes: SHA-256 of 256-bit random
 * values; passwords: scrypt) or sealed with the secret box (TOTP secrets). The throttle lives here,
 * not in memory, so several API processes share it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE users ADD COLUMN password_hash text;
    ALTER TABLE users ADD COLUMN totp_secret_sealed text;
    ALTER TABLE users ADD COLUMN totp_pending_sealed text;
    ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
    ALTER TABLE users ADD COLUMN totp_last_step bigint;
    ALTER TABLE users ADD COLUMN billing_name text;
    ALTER TABLE users ADD COLUMN billing_company text;
    ALTER TABLE users ADD COLUMN billing_address_line1 text;
    ALTER TABLE users ADD COLUMN billing_address_line2 text;
    ALTER TABLE users ADD COLUMN billing_postal_code text;
    ALTER TABLE users ADD COLUMN billing_city text;
    ALTER TABLE users ADD COLUMN billing_country text CHECK (billing_country ~ '^[A-Z]{2}$');
    ALTER TABLE users ADD COLUMN billing_vat_id text;

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      token_hash text NOT NULL UNIQUE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      idle_expires_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      ip text,
      user_agent text
    );
    CREATE INDEX sessions_user_live ON sessions (user_id, created_at) WHERE revoked_at IS NULL;

    CREATE TABLE account_tokens (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      purpose text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL,
      ${check('account_tokens', 'purpose')}
    );
    CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose) WHERE used_at IS NULL;

    CREATE TABLE recovery_codes (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      code_hash text NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL,
      UNIQUE (user_id, code_hash)
    );

    CREATE TABLE login_failures (
      bucket text PRIMARY KEY,
      window_start timestamptz NOT NULL,
      failures integer NOT NULL
    );
    CREATE INDEX login_failures_window ON login_failures (window_start);
  `,
  )
}
