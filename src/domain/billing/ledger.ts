import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { formatAmount, type Cents } from '../../lib/money.ts'
import { newId } from '../../lib/ids.ts'

/**
 * The only two ways money moves: `debit` and `credit`, each one conditional UPDATE of the balance
 * plus one ledger row, inside the caller's transaction. The invariant, per user:
 * balance_cents = Σ ledger_entries.delta_cents, and balance_cents ≥ 0 (also a CHECK constraint).
 */
export type LedgerKind =
  | 'order_debit'
  | 'refund'
  | 'downgrade_credit'
  | 'proration_credit'
  | 'top_up'
  | 'adjustment'
  | 'opening_balance'
  | 'payment_credit'
  | 'cancel_refund'

export interface Movement {
  userId: string
  amount: Cents
  kind: LedgerKind
  reason: string
  /** Who caused it: an API key id, "system", "worker", or "cli". */
  actor: string
  orderId?: string
  paymentId?: string
  /**
   * A debit made for a user's own order: the user must be active, checked in the debit's own
   * statement (a deactivation committed first wins, and the user's row stays locked for one
   * round trip, as the hot-customer throughput needs); this error when not.
   */
  whenInactive?: () => Error
}

export interface MovementResult {
  ledgerId: string
  balanceAfter: Cents
  balanceBefore: Cents
}

/**
 * Takes `amount` from the balance if it covers it. Read Committed + one conditional UPDATE: a
 * concurrent debit waits for the row, PostgreSQL re-checks the WHERE, and the loser sees 0 rows.
 */
export async function debit(trx: Db, m: Movement): Promise<MovementResult> {
  if (m.amount < 0n) throw new Error('debit amount must not be negative')
  const res = await move(trx, m, -m.amount)
  if (res) return res
  const user = await trx
    .selectFrom('users')
    .select(['balance_cents', 'is_active'])
    .where('id', '=', m.userId)
    .executeTakeFirst()
  if (m.whenInactive !== undefined && user?.is_active !== true) throw m.whenInactive()
  const available = user?.balance_cents ?? 0n
  throw new AppError(
    'insufficient_balance',
    `Insufficient balance: ${formatAmount(m.amount)} EUR required, ${formatAmount(available)} EUR available`,
    {
      details: { required: formatAmount(m.amount), available: formatAmount(available), currency: 'EUR' },
    },
  )
}

/** Adds `amount` to the balance with its ledger row. */
export async function credit(trx: Db, m: Movement): Promise<MovementResult> {
  if (m.amount < 0n) throw new Error('credit amount must not be negative')
  const res = await move(trx, m, m.amount)
  if (!res) throw new AppError('not_found', `user '${m.userId}' was not found`)
  return res
}

/**
 * The balance change and its ledger row in ONE statement (a data-modifying CTE): the row is
 * written only if the conditional UPDATE matched, and the lock on the user's row is held for a
 * single round trip — the hot-customer throughput depends on that.
 */
async function move(trx: Db, m: Movement, delta: bigint): Promise<MovementResult | null> {
  const id = newId('ledger')
  const { rows } = await sql<{ balance_after_cents: bigint }>`
    WITH u AS (
      UPDATE users SET balance_cents = balance_cents + ${delta}, updated_at = now()
      WHERE id = ${m.userId} AND balance_cents + ${delta} >= 0 ${m.whenInactive !== undefined ? sql`AND is_active` : sql``}
      RETURNING balance_cents
    )
    INSERT INTO ledger_entries (id, user_id, delta_cents, balance_after_cents, kind, order_id, payment_id, reason, actor)
    SELECT ${id}, ${m.userId}, ${delta}, u.balance_cents, ${m.kind}, ${m.orderId ?? null}, ${m.paymentId ?? null}, ${m.reason}, ${m.actor} FROM u
    RETURNING balance_after_cents`.execute(trx)
  const row = rows[0]
  return row
    ? { ledgerId: id, balanceAfter: row.balance_after_cents, balanceBefore: row.balance_after_cents - delta }
    : null
}

export interface AuditViolation {
  userId: string
  balance: string
  ledgerSum: string
}

/** Checks balance = Σ ledger for every user; returns the users where it does not hold. */
export async function auditLedger(db: Db): Promise<{ users: number; violations: AuditViolation[] }> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('ledger_entries', 'ledger_entries.user_id', 'users.id')
    .select([
      'users.id',
      'users.balance_cents',
      sql<string>`coalesce(sum(ledger_entries.delta_cents), 0)::text`.as('ledger_sum'),
    ])
    .groupBy(['users.id', 'users.balance_cents'])
    .execute()
  const violations = rows
    .filter(r => BigInt(r.ledger_sum) !== r.balance_cents || r.balance_cents < 0n)
    .map(r => ({ userId: r.id, balance: formatAmount(r.balance_cents), ledgerSum: formatAmount(BigInt(r.ledger_sum)) }))
  return { users: rows.length, violations }
}
