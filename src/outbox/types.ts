import type { Db } from '../db/connect.ts'
import type { Job } from '../db/schema.ts'
import type { Logger } from '../lib/logger.ts'

/**
 * A job definition (STYLE rule 10): a kind with a version, a payload check, a handler whose
 * external calls are wrapped in memoized steps, and a compensation run in the same transaction
 * that marks the job failed.
 */
export interface JobContext<P> {
  job: Job
  payload: P
  logger: Logger
  /** Runs `fn` once per job: a retry gets the stored result instead of calling the provider again. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>
  /** The job's decrypted secret (root or FTP password), or null once erased. */
  secret(): Promise<string | null>
  /** Seals a secret a provider answered (a reset's root password) with the secrets key, for a column. */
  seal(plaintext: string): string
  /** Final write: `fn` and "job done, secret erased" commit together, only while this worker holds the lease. */
  finish(fn: (trx: Db) => Promise<void>): Promise<void>
}

export interface JobDefinition<P = Record<string, unknown>> {
  kind: string
  version: number
  parse(payload: unknown): P
  handler(ctx: JobContext<P>): Promise<void>
  /** Compensation when the job gives up: refund, mark the order and the service failed. */
  onFailure(trx: Db, job: Job, payload: P, reason: string): Promise<void>
  /** Undoes onFailure's state changes before an operator's retry (the order is re-debited elsewhere). */
  onRetry(trx: Db, payload: P): Promise<void>
  /** The secret this job needs if it has to start over ('root password', 'FTP password'), if any. */
  secretName?: string
  /**
   * Keep the sealed secret when the job gives up (it is still erased on success): an operator's
   * retry then uses the very secret the customer was shown (a new server's root password) instead
   * of a new one nobody knows. Only for jobs whose retry makes sense (`onRetry` undoes the failure).
   */
  keepSecretOnFailure?: boolean
}

/**
 * What a use-case may ask of the job worker (`jobs/runner.ts` implements it): wake it after a
 * commit, run a just-committed job within a deadline, or look up the definitions (an operator's
 * retry undoes a failure the way its kind says). Declared here so `domain` never imports the worker.
 */
export interface JobQueue {
  poke(): void
  runNow(id: string, deadlineMs: number): Promise<void>
  definitions(): readonly JobDefinition<any>[]
}
