import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'

export interface Claimed {
  id: string
  event_id: string
  /** Attempts including this one. */
  attempts: number
  round_start: number
}

/**
 * Claims due deliveries of one table under a lease: pending ones whose time has come, and ones a
 * worker took and never finished (its lease ran out: it died mid-send). One statement, SKIP
 * LOCKED, so any number of workers never send one delivery at once; the token ties the outcome to
 * this claim, so a worker that lost its lease cannot overwrite the next one's result.
 */
export async function claimDue(
  db: Db,
  table: 'webhook_deliveries' | 'mail_deliveries',
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<{ token: string; rows: Claimed[] }> {
  const token = randomBytes(8).toString('hex')
  const until = new Date(now.getTime() + leaseMs)
  const t = sql.table(table)
  const res = await sql<Claimed>`
    UPDATE ${t} SET state = 'sending', attempts = attempts + 1, lease_token = ${token}, lease_until = ${until}, updated_at = ${now}
    WHERE id IN (
      SELECT id FROM ${t}
      WHERE (state = 'pending' AND next_attempt_at <= ${now}) OR (state = 'sending' AND lease_until < ${now})
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, event_id, attempts, round_start`.execute(db)
  return { token, rows: res.rows }
}
