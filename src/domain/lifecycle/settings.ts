import type { Config } from '../../config.ts'
import type { Deps } from '../../deps.ts'

/** What the lifecycle use-cases read from the configuration. */
export interface LifecycleSettings {
  autoRenewAheadHours: number
  suspendGraceHours: number
  jobMaxAttempts: number
  /** Idempotency keys older than this are deleted (a reuse after that is a new request). */
  idempotencyRetentionHours: number
  /** Rows read per query; each row is then handled in its own short transaction. */
  batchSize: number
}

/** The dependencies of every lifecycle use-case: business time comes from `clock`, so tests can move it. */
export type LifecycleDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & { settings: LifecycleSettings }

/** The actor of every order and ledger row the lifecycle writes. */
export const LIFECYCLE_ACTOR = 'lifecycle'

/** Settings from the configuration, or the documented defaults (job catalogs built without one). */
export function lifecycleSettings (config?: Readonly<Pick<Config, 'autoRenewAheadHours' | 'suspendGraceHours' | 'jobMaxAttempts' | 'idempotencyRetentionHours'>>): LifecycleSettings {
  return {
    autoRenewAheadHours: config?.autoRenewAheadHours ?? 24,
    suspendGraceHours: config?.suspendGraceHours ?? 0,
    jobMaxAttempts: config?.jobMaxAttempts ?? 8,
    idempotencyRetentionHours: config?.idempotencyRetentionHours ?? 48,
    batchSize: 50,
  }
}
