import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../db/connect.ts'
import { wallClock, type Clock } from '../deps.ts'
import type { Job } from '../db/schema.ts'
import type { Logger } from '../lib/logger.ts'
import type { SecretBox } from '../lib/secret-box.ts'
import { AppError } from '../lib/errors.ts'
import type { JobContext, JobDefinition, JobQueue } from '../outbox/types.ts'
import { armSingletonJob } from '../outbox/enqueue.ts'
import { JOB, moveJobs } from '../domain/state/jobs.ts'
import { checkMove } from '../domain/state/transition.ts'

export interface RunnerOptions {
  db: Db
  definitions: JobDefinition<any>[]
  secretBox: SecretBox
  logger: Logger
  /** How long a claim is valid without a heartbeat; a crashed worker's job is re-claimed after it. */
  leaseMs?: number
  backoffBaseMs?: number
  backoffCapMs?: number
  pollMs?: number
  concurrency?: number
  /** Singleton jobs the polling loop arms every `everyMs` (payments reconciliation). */
  schedules?: Array<{ kind: string; everyMs: number; maxAttempts?: number }>
  /**
   * Infrastructure time (the jobs table's own timestamps, retry backoff, schedule arming); defaults
   * to `wallClock`. Not the business clock: claims compare `run_at` with the database's now().
   */
  clock?: Clock
}

export type RunOutcome = 'done' | 'retry' | 'failed' | 'lost'

class LeaseLost extends Error {}

/**
 * Claims jobs under a lease (`FOR UPDATE SKIP LOCKED`, so any number of workers on one
 * PostgreSQL never run a job twice at once), heartbeats while running, retries with exponential
 * backoff and jitter, and compensates when a job gives up.
 */
export class JobRunner implements JobQueue {
  private readonly defs: Map<string, JobDefinition<any>>
  private readonly leaseMs: number
  private readonly running = new Set<Promise<unknown>>()
  private loop: Promise<void> | undefined
  private stopping = false
  private wake: (() => void) | undefined
  private nextArm = 0
  private readonly clock: Clock

  constructor(private readonly opts: RunnerOptions) {
    this.defs = new Map(opts.definitions.map(d => [d.kind, d]))
    this.leaseMs = opts.leaseMs ?? 60_000
    this.clock = opts.clock ?? wallClock
  }

  /** Claims one specific pending job (the request that just wrote it), or null if another worker has it. */
  async claimById(id: string): Promise<{ job: Job; token: string } | null> {
    return this.claim(sql`id = ${id} AND state = 'pending'`)
  }

  /** Claims the next runnable job: pending and due, or running with an expired lease (its worker died). */
  async claimNext(): Promise<{ job: Job; token: string } | null> {
    return this.claim(sql`(state = 'pending' AND run_at <= now()) OR (state = 'running' AND lease_until < now())`)
  }

  private async claim(where: ReturnType<typeof sql>): Promise<{ job: Job; token: string } | null> {
    // One statement picks and claims (SKIP LOCKED), so it is raw SQL; the move is still the table's.
    checkMove(JOB, { from: ['pending', 'running'], to: 'running' })
    const token = randomBytes(8).toString('hex')
    const res = await sql<Job>`
      UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = ${token},
        lease_until = now() + make_interval(secs => ${this.leaseMs / 1000}), updated_at = now()
      WHERE id = (SELECT id FROM jobs WHERE ${where} ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(this.opts.db)
    const job = res.rows[0]
    return job ? { job, token } : null
  }

  /** Runs a claimed job to one outcome. Never throws. */
  async run(job: Job, token: string): Promise<RunOutcome> {
    const def = this.defs.get(job.kind)
    const log = this.opts.logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts })
    const heartbeat = setInterval(
      () => {
        void this.extendLease(job.id, token).catch(() => {})
      },
      Math.max(50, this.leaseMs / 3),
    )
    heartbeat.unref()
    try {
      if (!def) throw new AppError('internal_error', `no handler for job kind ${job.kind}`)
      const payload = def.parse(job.payload)
      await def.handler(this.context(job, token, payload, log))
      const state = await this.opts.db.selectFrom('jobs').select('state').where('id', '=', job.id).executeTakeFirst()
      if (state?.state !== 'done') {
        throw new AppError('internal_error', `handler of ${job.kind} returned without finishing`)
      }
      log.info('job done')
      return 'done'
    } catch (err) {
      if (err instanceof LeaseLost) {
        log.warn('lease lost; another worker owns the job')
        return 'lost'
      }
      return await this.handleFailure(job, token, def, err, log)
    } finally {
      clearInterval(heartbeat)
    }
  }

  private context<P>(job: Job, token: string, payload: P, logger: Logger): JobContext<P> {
    const db = this.opts.db
    return {
      job,
      payload,
      logger,
      step: async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        const done = await db
          .selectFrom('job_steps')
          .select('result')
          .where('job_id', '=', job.id)
          .where('step', '=', name)
          .executeTakeFirst()
        if (done) return (done.result as { value: T }).value
        const value = await fn()
        await this.assertLease(job.id, token)
        await db
          .insertInto('job_steps')
          .values({ job_id: job.id, step: name, result: JSON.stringify({ value: value ?? null }) })
          .onConflict(oc => oc.doNothing())
          .execute()
        return value
      },
      secret: async () => {
        const row = await db
          .selectFrom('job_secrets')
          .select('ciphertext')
          .where('job_id', '=', job.id)
          .executeTakeFirst()
        return row ? this.opts.secretBox.open(row.ciphertext) : null
      },
      seal: plaintext => this.opts.secretBox.seal(plaintext),
      finish: async fn => {
        await db.transaction().execute(async trx => {
          const at = this.clock.now()
          const ids = await moveJobs(trx, eb => eb.and([eb('id', '=', job.id), eb('locked_by', '=', token)]), {
            from: 'running',
            to: 'done',
            set: { finished_at: at, lease_until: null, last_error: null },
            now: at,
          })
          if (ids.length !== 1) throw new LeaseLost()
          await fn(trx)
          await trx.deleteFrom('job_secrets').where('job_id', '=', job.id).execute()
        })
      },
    }
  }

  private async handleFailure(
    job: Job,
    token: string,
    def: JobDefinition<any> | undefined,
    err: unknown,
    log: Logger,
  ): Promise<RunOutcome> {
    const message = err instanceof Error ? err.message : String(err)
    const retryable = !(err instanceof AppError) || err.retryable
    const giveUp = !retryable || job.attempts >= job.max_attempts || !def
    try {
      if (!giveUp) {
        const delay = this.backoff(job.attempts)
        const at = this.clock.now()
        const ids = await moveJobs(this.opts.db, eb => eb.and([eb('id', '=', job.id), eb('locked_by', '=', token)]), {
          from: 'running',
          to: 'pending',
          set: { run_at: new Date(at.getTime() + delay), lease_until: null, locked_by: null, last_error: message },
          now: at,
        })
        log.warn({ error: message, retryInMs: delay }, 'job attempt failed; will retry')
        return ids.length === 1 ? 'retry' : 'lost'
      }
      let lost = false
      await this.opts.db.transaction().execute(async trx => {
        const at = this.clock.now()
        const ids = await moveJobs(trx, eb => eb.and([eb('id', '=', job.id), eb('locked_by', '=', token)]), {
          from: 'running',
          to: 'failed',
          set: { finished_at: at, lease_until: null, last_error: message },
          now: at,
        })
        if (ids.length !== 1) {
          lost = true
          return
        }
        if (def) await def.onFailure(trx, job, def.parse(job.payload), message)
        // Kept for a retry when the kind says so (its success erases it); otherwise gone with the job.
        if (def?.keepSecretOnFailure !== true) {
          await trx.deleteFrom('job_secrets').where('job_id', '=', job.id).execute()
        }
      })
      if (lost) return 'lost'
      log.error({ error: message, attempts: job.attempts }, 'job failed permanently; compensated')
      return 'failed'
    } catch (failure) {
      // The lease will expire and another attempt will run the failure path again.
      log.error({ error: failure instanceof Error ? failure.message : String(failure) }, 'could not record job failure')
      return 'lost'
    }
  }

  private backoff(attempts: number): number {
    const base = this.opts.backoffBaseMs ?? 2000
    const cap = this.opts.backoffCapMs ?? 600_000
    const exp = Math.min(cap, base * 2 ** Math.max(0, attempts - 1))
    return Math.round(exp / 2 + (Math.random() * exp) / 2)
  }

  private async extendLease(id: string, token: string): Promise<void> {
    await sql`UPDATE jobs SET lease_until = now() + make_interval(secs => ${this.leaseMs / 1000})
      WHERE id = ${id} AND locked_by = ${token} AND state = 'running'`.execute(this.opts.db)
  }

  private async assertLease(id: string, token: string): Promise<void> {
    const row = await this.opts.db
      .selectFrom('jobs')
      .select('id')
      .where('id', '=', id)
      .where('locked_by', '=', token)
      .where('state', '=', 'running')
      .executeTakeFirst()
    if (!row) throw new LeaseLost()
  }

  /**
   * Claims and runs `id` now, waiting at most `deadlineMs`. Past the deadline the job goes on in
   * the background under its lease; if this process dies, the lease expires and a worker resumes it.
   */
  async runNow(id: string, deadlineMs: number): Promise<void> {
    const claimed = await this.claimById(id)
    if (!claimed) return
    const p = this.track(this.run(claimed.job, claimed.token))
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      p,
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, deadlineMs)
      }),
    ])
    clearTimeout(timer)
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p)
    void p.finally(() => this.running.delete(p))
    return p
  }

  /** Starts the polling loop (in-process worker or `oxbill worker`). */
  start(): void {
    if (this.loop) return
    this.stopping = false
    const concurrency = this.opts.concurrency ?? 4
    this.loop = (async () => {
      while (!this.stopping) {
        await this.armSchedules()
        let claimedAny = false
        while (!this.stopping && this.running.size < concurrency) {
          const claimed = await this.claimNext().catch(err => {
            this.opts.logger.error({ error: String(err) }, 'claim failed')
            return null
          })
          if (!claimed) break
          claimedAny = true
          void this.track(this.run(claimed.job, claimed.token))
        }
        if (claimedAny && this.running.size < concurrency) continue
        await new Promise<void>(resolve => {
          const t = setTimeout(resolve, this.opts.pollMs ?? 1000)
          this.wake = () => {
            clearTimeout(t)
            resolve()
          }
        })
      }
    })()
  }

  /**
   * Arms the scheduled singleton jobs; each process tries every quarter period (at most once per
   * poll), and the database decides whether one is due (see `armSingletonJob`), so any number of
   * workers run it once per period, give or take a quarter.
   */
  async armSchedules(force = false): Promise<void> {
    const schedules = this.opts.schedules ?? []
    const at = this.clock.now().getTime()
    if (schedules.length === 0 || (!force && at < this.nextArm)) return
    this.nextArm = at + Math.max(this.opts.pollMs ?? 1000, Math.min(...schedules.map(s => s.everyMs)) / 4)
    for (const s of schedules) {
      await armSingletonJob(this.opts.db, { kind: s.kind, everyMs: s.everyMs, maxAttempts: s.maxAttempts ?? 3 }).catch(
        err => {
          this.opts.logger.error({ error: String(err), kind: s.kind }, 'could not arm a scheduled job')
        },
      )
    }
  }

  definitions(): readonly JobDefinition<any>[] {
    return this.opts.definitions
  }

  /** Wakes the loop early, e.g. after a job was written. */
  poke(): void {
    this.wake?.()
  }

  /** Stops claiming and waits for running jobs (up to `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true
    this.wake?.()
    await this.loop
    this.loop = undefined
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise(resolve => {
        timer = setTimeout(resolve, graceMs)
      }),
    ])
    clearTimeout(timer)
  }

  /** Runs every due job until none is left (tests and `oxbill jobs drain`). */
  async drain(): Promise<number> {
    let n = 0
    for (;;) {
      const claimed = await this.claimNext()
      if (!claimed) {
        await Promise.allSettled([...this.running])
        return n
      }
      await this.track(this.run(claimed.job, claimed.token))
      n++
    }
  }
}
