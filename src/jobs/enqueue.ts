import type { Db } from '../db/connect.ts'
import type { SecretBox } from '../lib/secret-box.ts'
import { newId } from '../lib/ids.ts'

/**
 * Writes a job inside the caller's transaction (transactional outbox): the job exists if and only
 * if the business change that caused it committed. A secret is stored sealed, beside the job.
 */
export async function enqueueJob (trx: Db, opts: {
  kind: string
  payload: Record<string, unknown>
  orderId?: string
  maxAttempts: number
  secret?: { box: SecretBox, value: string }
  runAt?: Date
}): Promise<string> {
  const id = newId('job')
  await trx.insertInto('jobs').values({
    id, kind: opts.kind, payload: JSON.stringify(opts.payload), order_id: opts.orderId ?? null,
    max_attempts: opts.maxAttempts, run_at: opts.runAt ?? new Date(),
  }).execute()
  if (opts.secret) {
    await trx.insertInto('job_secrets').values({ job_id: id, ciphertext: opts.secret.box.seal(opts.secret.value) }).execute()
  }
  return id
}
