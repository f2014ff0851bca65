import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../errors.ts'
import { formatAmount, type Cents } from '../money.ts'
import { newId } from '../../lib/ids.ts'

/**
 * The only two ways money moves: `debit` and `credit`, each one conditional UPDATE of the balance
 * plus one ledger row, inside the caller's transaction. The invariant, per user:
 * balance_cents = Σ ledger_entries.delta_cents, and balance_cents ≥ 0 (also a CHECK constraint).
 */
export type LedgerKind = 'order_debit' | 'refund' | 'downgrade_credit' | 'top_up' | 'adjustment' | 'opening_balance' | 'payment_credit'

export interface Movement {
  userId: string
  amount: Cents
  kind: LedgerKind
  reason: string
  /** Who caused it: an API key id, "system", "worker", or "cli". */
  actor: string
  orderId?: string
  paymentId?: string
}

export interface MovementResult { ledgerId: string, balanceAfter: Cents, balanceBefore: Cents }

/**
 * Takes `amount` from the balance if it covers it. Read Committed + one conditional UPDATE: a
 * concurrent debit waits for the row, PostgreSQL re-checks the WHERE, and the loser sees 0 rows.
 */
export async function debit (trx: Db, m: Movement): Promise<MovementResult> {
  if (m.amount < 0n) throw new Error('debit amount must not be negative')
  const row = await trx.updateTable('users')
    .set({ balance_cents: sql<bigint>`balance_cents - ${m.amount}`, updated_at: new Date() })
    .where('id', '=', m.userId)
    .where('balance_cents', '>=', m.amount)
    .returning('balance_cents')
    .executeTakeFirst()
  if (!row) {
    const user = await trx.selectFrom('users').select('balance_cents').where('id', '=', m.userId).executeTakeFirst()
    const available = user?.balance_cents ?? 0n
    throw new AppError('insufficient_balance', `Insufficient balance: ${formatAmount(m.amount)} EUR required, ${formatAmount(available)} EUR available`, {
      details: { required: formatAmount(m.amount), available: formatAmount(available), currency: 'EUR' },
    })
  }
  return record(trx, { ...m, amount: -m.amount }, row.balance_cents)
}

/** Adds `amount` to the balance with its ledger row. */
export async function credit (trx: Db, m: Movement): Promise<MovementResult> {
  if (m.amount < 0n) throw new Error('credit amount must not be negative')
  const row = await trx.updateTable('users')
    .set({ balance_cents: sql<bigint>`balance_cents + ${m.amount}`, updated_at: new Date() })
    .where('id', '=', m.userId)
    .returning('balance_cents')
    .executeTakeFirstOrThrow()
  return record(trx, m, row.balance_cents)
}

async function record (trx: Db, m: Movement, balanceAfter: Cents): Promise<MovementResult> {
  const id = newId('ledger')
  await trx.insertInto('ledger_entries').values({
    id, user_id: m.userId, delta_cents: m.amount, balance_after_cents: balanceAfter, kind: m.kind,
    order_id: m.orderId ?? null, payment_id: m.paymentId ?? null, reason: m.reason, actor: m.actor,
  }).execute()
  return { ledgerId: id, balanceAfter, balanceBefore: balanceAfter - m.amount }
}

export interface AuditViolation { userId: string, balance: string, ledgerSum: string }

/** Checks balance = Σ ledger for every user; returns the users where it does not hold. */
export async function auditLedger (db: Db): Promise<{ users: number, violations: AuditViolation[] }> {
  const rows = await db.selectFrom('users')
    .leftJoin('ledger_entries', 'ledger_entries.user_id', 'users.id')
    .select(['users.id', 'users.balance_cents', sql<string>`coalesce(sum(ledger_entries.delta_cents), 0)::text`.as('ledger_sum')])
    .groupBy(['users.id', 'users.balance_cents'])
    .execute()
  const violations = rows
    .filter(r => BigInt(r.ledger_sum) !== r.balance_cents || r.balance_cents < 0n)
    .map(r => ({ userId: r.id, balance: formatAmount(r.balance_cents), ledgerSum: formatAmount(BigInt(r.ledger_sum)) }))
  return { users: rows.length, violations }
}
