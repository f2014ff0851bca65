import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'

/**
 * Login throttling, in the database so every API process shares it (`login_failures`): fixed
 * 15-minute windows per normalized e-mail (known or not: 5 failures) and per client address (30).
 * An attempt is charged before the password is checked — one atomic upsert per bucket — so a
 * burst of parallel guesses cannot all pass a count read before any of them failed; a login that
 * succeeds gives the charge back (the account's bucket is cleared, the address's decremented).
 */
export const LOGIN_WINDOW_MS = 15 * 60_000
export const ACCOUNT_FAILURES_MAX = 5
export const ADDRESS_FAILURES_MAX = 30

export interface ThrottleBuckets {
  account: string
  address: string
}

export const throttleBuckets = (email: string, clientAddress: string): ThrottleBuckets => ({
  account: `email:${email}`,
  address: `ip:${clientAddress}`,
})

/** Counts one attempt; returns the failures in the window after it and when the window ends. */
async function charge(db: Db, bucket: string, now: Date): Promise<{ failures: number; windowEnd: Date }> {
  const stale = new Date(now.getTime() - LOGIN_WINDOW_MS)
  const res = await sql<{ failures: number; window_start: Date }>`
    INSERT INTO login_failures (bucket, window_start, failures) VALUES (${bucket}, ${now}, 1)
    ON CONFLICT (bucket) DO UPDATE SET
      failures = CASE WHEN login_failures.window_start <= ${stale} THEN 1 ELSE login_failures.failures + 1 END,
      window_start = CASE WHEN login_failures.window_start <= ${stale} THEN ${now} ELSE login_failures.window_start END
    RETURNING failures, window_start`.execute(db)
  const row = res.rows[0]!
  return { failures: row.failures, windowEnd: new Date(new Date(row.window_start).getTime() + LOGIN_WINDOW_MS) }
}

export class TooManyAttempts extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super('too_many_attempts', `too many failed logins ${what}; retry in ${retryAfterSeconds} seconds`, {
      retryable: true,
      details: { retry_after: retryAfterSeconds },
    })
  }
}

/**
 * Charges the address, then the account; throws 429 `too_many_attempts` (with the seconds to wait)
 * when either was already at its limit. A refused attempt is not given back: hammering a locked
 * account keeps it locked.
 */
export async function chargeLoginAttempt(db: Db, b: ThrottleBuckets, now: Date): Promise<void> {
  const after = (end: Date) => Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000))
  const address = await charge(db, b.address, now)
  if (address.failures > ADDRESS_FAILURES_MAX) throw new TooManyAttempts(after(address.windowEnd), 'from this address')
  const account = await charge(db, b.account, now)
  if (account.failures > ACCOUNT_FAILURES_MAX) throw new TooManyAttempts(after(account.windowEnd), 'for this e-mail')
}

/** A login that succeeded (or stopped at "a code is needed"): its charge is given back. */
export async function refundLoginAttempt(db: Db, b: ThrottleBuckets): Promise<void> {
  await db.deleteFrom('login_failures').where('bucket', '=', b.account).execute()
  await db
    .updateTable('login_failures')
    .set(eb => ({ failures: eb('failures', '-', 1) }))
    .where('bucket', '=', b.address)
    .where('failures', '>', 0)
    .execute()
}
