import type { Db } from '../../db/connect.ts'
import { wallClock, type Deps } from '../../deps.ts'
import { generatePassword, type SecretBox } from '../../lib/secret-box.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { debit } from '../billing/ledger.ts'
import { writeAudit } from './audit-log.ts'
import { requoteFailedOrder } from '../orders/requote-order.ts'
import { moveOrder } from '../state/orders.ts'
import { moveJobs } from '../state/jobs.ts'
import type { JobDefinition } from '../../outbox/types.ts'
import type { AdminMeta } from './meta.ts'

/**
 * An operator's retry of a failed job. The failure refunded the order, so the retry quotes it
 * again from the state now (`requoteFailedOrder`: refused when the service moved on), charges that
 * (refused if the balance cannot cover it) and undoes the failure's state changes, in one
 * transaction. A job that keeps its secret on failure (`keepSecretOnFailure`: a new server's root
 * password, shown to the customer with the order) retries with that very secret. Only when the
 * secret is truly gone (a kind that erases it, or a job that failed before secrets were kept) is a
 * fresh random one minted: never silently — the answer says so and the audit row names it, and the
 * customer resets the root password once the server is active (POST /API/servers/reset_password).
 * `now` is business time (the requote, the order's updated_at): callers with a clock pass it. The
 * job row itself is runner state and uses wall time, so the worker can claim it at once.
 */
export interface RetryInput {
  jobId: string
  actor: string
  requestId?: string
  /** Business time: the requote is made on the state at this moment. */ now: Date
}

export async function retryFailedJob(
  db: Db,
  defs: readonly JobDefinition<any>[],
  box: SecretBox,
  { jobId, actor, requestId, now }: RetryInput,
): Promise<{ newSecret: string | null }> {
  return db.transaction().execute(async trx => {
    const job = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirst()
    if (!job) throw notFound('job', jobId)
    if (job.state !== 'failed') {
      throw new AppError('invalid_state', `job ${jobId} is ${job.state}; only failed jobs can be retried`)
    }
    const def = defs.find(d => d.kind === job.kind)
    if (!def) throw new AppError('invalid_state', `no handler for job kind ${job.kind}`)
    const payload = def.parse(job.payload)
    if (job.order_id !== null) {
      const order = await trx
        .selectFrom('orders')
        .selectAll()
        .where('id', '=', job.order_id)
        .forUpdate()
        .executeTakeFirstOrThrow()
      if (order.status === 'failed') {
        const amount = await requoteFailedOrder(trx, order, now)
        if (amount > 0n) {
          await debit(trx, {
            userId: order.user_id,
            amount,
            kind: 'order_debit',
            orderId: order.id,
            reason: `${order.order_number}: charged again for a retry`,
            actor,
          })
        }
        await moveOrder(trx, order.id, { from: 'failed', to: 'processing', set: { failure_reason: null }, now })
      }
    }
    await def.onRetry(trx, payload)
    let newSecret: string | null = null
    if (def.secretName !== undefined) {
      const has = await trx.selectFrom('job_secrets').select('job_id').where('job_id', '=', jobId).executeTakeFirst()
      if (!has) {
        newSecret = generatePassword()
        await trx
          .insertInto('job_secrets')
          .values({ job_id: jobId, ciphertext: box.seal(newSecret) })
          .execute()
      }
    }
    // Start over: a memoized step may hold the very thing that failed (a VM that never started).
    await trx.deleteFrom('job_steps').where('job_id', '=', jobId).execute()
    const wall = wallClock.now()
    // Read under its lock as failed above.
    await moveJobs(trx, eb => eb('id', '=', jobId), {
      from: 'failed',
      to: 'pending',
      set: { attempts: 0, run_at: wall, last_error: null, locked_by: null, lease_until: null, finished_at: null },
      now: wall,
    })
    await writeAudit(trx, {
      actor,
      requestId,
      action: 'job.retry',
      targetType: 'job',
      targetId: jobId,
      details: {
        order_id: job.order_id,
        new_secret: newSecret !== null,
        ...(newSecret !== null ? { replaced_secret: def.secretName } : {}),
      },
    })
    return { newSecret }
  })
}

/**
 * An operator's retry of a failed job, through the same function as `oxbill jobs retry`: the
 * order is charged again, the failure's state changes are undone and the job is pending again,
 * in one transaction with its audit record. A secret the failure erased is replaced by a new one,
 * which is never shown: the answer only says that the customer must reset it.
 */
export async function retryJob(
  deps: Pick<Deps, 'db' | 'secretBox' | 'runner' | 'clock'>,
  meta: AdminMeta,
  jobId: string,
) {
  const res = await retryFailedJob(deps.db, deps.runner.definitions(), deps.secretBox, {
    jobId,
    actor: meta.actor,
    requestId: meta.requestId,
    now: deps.clock.now(),
  })
  // Wake the worker rather than run the job here: a retry answers at once, like the CLI.
  deps.runner.poke()
  return { job_id: jobId, state: 'pending' as const, new_secret_generated: res.newSecret !== null }
}
