import type { Config } from '../../config.ts'
import type { Deps } from '../../deps.ts'

/** What the lifecycle use-cases read from the configuration. */
export interface LifecycleSettings {
  autoRenewAheadHours: number
  suspendGraceHours: number
  jobMaxAttempts: number
  /** Rows read per query; each row is then handled in its own short transaction. */
  batchSize: number
}

/** The dependencies of every lifecycle use-case: business time comes from `clock`, so tests can move it. */
export type LifecycleDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & { settings: LifecycleSettings }

/** The actor of every order and ledger row the lifecycle writes. */
export const LIFECYCLE_ACTOR = 'lifecycle'

/** Settings from the configuration, or the documented defaults (job catalogs built without one). */
export function lifecycleSettings (config?: Readonly<Pick<Config, 'autoRenewAheadHours' | 'suspendGraceHours' | 'jobMaxAttempts'>>): LifecycleSettings {
  return {
    autoRenewAheadHours: config?.autoRenewAheadHours ?? 24,
    suspendGraceHours: config?.suspendGraceHours ?? 0,
    jobMaxAttempts: config?.jobMaxAttempts ?? 8,
    batchSize: 50,
  }
}
