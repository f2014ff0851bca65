import type { Config } from '../../config.ts'
import type { Deps } from '../../deps.ts'
import { TERM_HOURS } from '../billing/pricing.ts'

/** What the lifecycle use-cases read from the configuration. */
export interface LifecycleSettings {
  autoRenewAheadHours: number
  suspendGraceHours: number
  /** A service still suspended (unpaid) this long after its expiry is terminated. */
  terminateSuspendedAfterHours: number
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
export function lifecycleSettings(
  config?: Readonly<
    Pick<
      Config,
      | 'autoRenewAheadHours'
      | 'suspendGraceHours'
      | 'terminateSuspendedAfterHours'
      | 'jobMaxAttempts'
      | 'idempotencyRetentionHours'
    >
  >,
): LifecycleSettings {
  return {
    autoRenewAheadHours: config?.autoRenewAheadHours ?? 24,
    suspendGraceHours: config?.suspendGraceHours ?? 0,
    terminateSuspendedAfterHours: config?.terminateSuspendedAfterHours ?? 336,
    jobMaxAttempts: config?.jobMaxAttempts ?? 8,
    idempotencyRetentionHours: config?.idempotencyRetentionHours ?? 48,
    batchSize: 50,
  }
}

/**
 * How long before expiry a service is auto-renewed: AUTO_RENEW_AHEAD_HOURS, but at most half a
 * term. A renewal of a lapsed service starts its new term now, so with a window of a whole term
 * the fresh term would be due again at once; with half a term it is renewed once per lapse and
 * then once per term.
 */
export function autoRenewWindowHours(settings: Pick<LifecycleSettings, 'autoRenewAheadHours'>): number {
  return Math.min(settings.autoRenewAheadHours, TERM_HOURS / 2)
}
