import type { Deps } from '../../deps.ts'

/** What the fan-out and the senders use: the database, the clock, the mailer and the webhook policy. */
export type NotifyDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'secretBox' | 'webhookPolicy' | 'mailer' | 'config'>

export interface NotifySettings {
  /** Events fanned out per transaction. */
  fanOutBatch: number
  /** Deliveries claimed (and then sent in parallel) per round, per kind. */
  sendBatch: number
  /** A claim's lease: a worker that died mid-send leaves the delivery to be re-claimed after it. */
  leaseMs: number
  /** An endpoint failing without a success this long is disabled. */
  disableAfterHours: number
  /** [0, 1): the jitter of the retry schedule (fixed in tests). */
  random: () => number
}

export function notifySettings(deps: Pick<Deps, 'config'>, over: Partial<NotifySettings> = {}): NotifySettings {
  return {
    fanOutBatch: 200,
    sendBatch: Math.max(1, deps.config.workerConcurrency * 4),
    leaseMs: deps.config.jobLeaseMs,
    disableAfterHours: deps.config.webhooks.disableAfterHours,
    random: Math.random,
    ...over,
  }
}
