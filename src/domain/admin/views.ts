import type { Selectable } from 'kysely'
import type { ApiKeysTable, LedgerEntriesTable, User } from '../../db/schema.ts'
import { formatAmount } from '../../lib/money.ts'

/** API shapes of admin rows: money as decimal strings, times as ISO 8601 UTC, never a secret. */

/** A timestamp as ISO 8601 (both drivers give Date; a string is tolerated). */
export const iso = (d: Date | string): string => new Date(d).toISOString()
/** A nullable timestamp as ISO 8601. */
export const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d))

/** A user with its balance. */
export function userView(u: User) {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    telegram: u.telegram,
    balance: formatAmount(u.balance_cents),
    is_active: u.is_active,
    email_verified: u.email_verified,
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
  }
}

/** A key as operators may see it: the hash and the key itself never leave the database. */
export function keyView(k: Omit<Selectable<ApiKeysTable>, 'key_hash'>) {
  return {
    id: k.id,
    user_id: k.user_id,
    prefix: k.prefix,
    name: k.name,
    scopes: k.scopes,
    loopback_only: k.loopback_only,
    created_at: iso(k.created_at),
    last_used_at: isoOrNull(k.last_used_at),
    revoked_at: isoOrNull(k.revoked_at),
  }
}

/** A ledger entry: signed delta and the balance after it. */
export function ledgerView(e: Selectable<LedgerEntriesTable>) {
  return {
    id: e.id,
    user_id: e.user_id,
    amount: formatAmount(e.delta_cents),
    balance_after: formatAmount(e.balance_after_cents),
    kind: e.kind,
    reason: e.reason,
    actor: e.actor,
    order_id: e.order_id,
    payment_id: e.payment_id,
    created_at: iso(e.created_at),
  }
}
