import { sql } from 'kysely'
import type { Db } from '../db/connect.ts'
import { wallClock } from '../lib/clock.ts'
import type { SecretBox } from '../lib/secret-box.ts'
import { newId } from '../lib/ids.ts'

/**
 * Writes a job inside the caller's transaction (transactional outbox): the job exists if and only
 * if the business change that caused it committed. A secret is stored sealed, beside the job.
 */
export async function enqueueJob(
  trx: Db,
  opts: {
    kind: string
    payload: Record<string, unknown>
    orderId?: string
    maxAttempts: number
    secret?: { box: SecretBox; value: string }
    runAt?: Date
    /** Default: now on the wall clock, since the runner compares `run_at` with the database's now(). */
    /** `blocked` for an order awaiting payment: not runnable until settlement releases it. */
    state?: 'pending' | 'blocked'
  },
): Promise<string> {
  const id = newId('job')
  const job = {
    id,
    kind: opts.kind,
    payload: JSON.stringify(opts.payload),
    order_id: opts.orderId ?? null,
    max_attempts: opts.maxAttempts,
    run_at: opts.runAt ?? wallClock.now(),
    state: opts.state ?? 'pending',
  }
  if (opts.secret) {
    // One round trip for the job and its sealed secret.
    await sql`
      WITH j AS (
        INSERT INTO jobs (id, kind, payload, order_id, max_attempts, run_at, state)
        VALUES (${job.id}, ${job.kind}, ${job.payload}::jsonb, ${job.order_id}, ${job.max_attempts}, ${job.run_at}, ${job.state})
        RETURNING id
      )
      INSERT INTO job_secrets (job_id, ciphertext) SELECT id, ${opts.secret.box.seal(opts.secret.value)} FROM j`.execute(
      trx,
    )
  } else {
    await trx.insertInto('jobs').values(job).execute()
  }
  return id
}

/**
 * Arms a singleton job (one row per kind, kept forever): inserts it the first time, and later sets
 * it back to `pending` only once it ended at least `everyMs` ago. With any number of workers calling
 * this, one statement decides: the unique index on `singleton` makes concurrent arms collapse into
 * one row, and the conditional DO UPDATE leaves a pending or running job alone. Returns true if armed.
 */
export async function armSingletonJob(
  db: Db,
  opts: { kind: string; everyMs: number; maxAttempts: number },
): Promise<boolean> {
  const res = await sql<{ id: string }>`
    INSERT INTO jobs (id, kind, payload, singleton, max_attempts, run_at)
    VALUES (${newId('job')}, ${opts.kind}, '{}'::jsonb, ${opts.kind}, ${opts.maxAttempts}, now())
    ON CONFLICT (singleton) WHERE singleton IS NOT NULL DO UPDATE
      SET state = 'pending', attempts = 0, run_at = now(), last_error = NULL, locked_by = NULL,
        lease_until = NULL, finished_at = NULL, max_attempts = EXCLUDED.max_attempts, updated_at = now()
      WHERE jobs.state IN ('done', 'failed') AND jobs.finished_at <= now() - make_interval(secs => ${opts.everyMs / 1000})
    RETURNING id`.execute(db)
  return res.rows.length > 0
}
