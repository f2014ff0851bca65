import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { formatAmount } from '../../lib/money.ts'

export interface PaymentViolation {
  paymentId: string | null
  credited: string
  ledgerSum: string
}

/**
 * Checks that every payment's `credited_cents` equals the sum of its `payment_credit` ledger rows,
 * and that no such row points at a missing payment: a crypto payment is credited exactly once.
 */
export async function auditPayments(db: Db): Promise<{ payments: number; violations: PaymentViolation[] }> {
  const rows = await sql<{ id: string | null; credited: string | null; ledger: string | null }>`
    SELECT p.id, p.credited_cents::text AS credited, l.total::text AS ledger
    FROM payments p
    FULL OUTER JOIN (
      SELECT payment_id, sum(delta_cents) AS total FROM ledger_entries
      WHERE kind = 'payment_credit' GROUP BY payment_id
    ) l ON l.payment_id = p.id`.execute(db)
  const violations = rows.rows
    .filter(r => BigInt(r.credited ?? '0') !== BigInt(r.ledger ?? '0') || r.id === null)
    .map(r => ({
      paymentId: r.id,
      credited: formatAmount(BigInt(r.credited ?? '0')),
      ledgerSum: formatAmount(BigInt(r.ledger ?? '0')),
    }))
  return { payments: rows.rows.filter(r => r.id !== null).length, violations }
}
