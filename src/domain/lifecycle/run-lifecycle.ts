import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { addHours } from '../billing/pricing.ts'
import { autoRenewServer } from './auto-renew-server.ts'
import { autoRenewSubscription } from './auto-renew-subscription.ts'
import { suspendExpiredServer } from './suspend-expired-server.ts'
import { terminateCancelledServer } from './terminate-cancelled-server.ts'
import { terminateCancelledSubscription } from './terminate-cancelled-subscription.ts'
import { suspendExpiredSubscription } from './suspend-expired-subscription.ts'
import { terminateUnpaidServer } from './terminate-unpaid-server.ts'
import { terminateUnpaidSubscription } from './terminate-unpaid-subscription.ts'
import { releaseCancelledAddon } from './release-cancelled-addon.ts'
import type { LifecycleDeps } from './settings.ts'
import { pruneIdempotencyKeys } from './prune-idempotency-keys.ts'
import { remindExpiring } from './remind-expiring.ts'
import { cancelOverdueOrders } from '../orders/cancel-overdue-orders.ts'
import { autoRenewWindowHours } from './settings.ts'

/** What one lifecycle run did (logged by the job; tests read it). */
export interface LifecycleReport {
  serversRenewed: number
  subscriptionsRenewed: number
  /** Auto-renewals the balance did not cover. */
  notCovered: number
  serversSuspended: number
  /** Servers whose cancelled term ended, handed to their delete job. */
  serversTerminated: number
  subscriptionsTerminated: number
  subscriptionsSuspended: number
  /** Suspended (unpaid) services terminated after TERMINATE_SUSPENDED_AFTER_HOURS. */
  serversTerminatedUnpaid: number
  subscriptionsTerminatedUnpaid: number
  /** Cancelled addons whose end came, handed to their release job. */
  addonsReleased: number
  /** `service.expiring` reminders written (each once per service, term and threshold). */
  expiringReminders: number
  /** `balance.low` warnings written (once per auto-renewing service and term). */
  balanceLowWarnings: number
  failures: number
  /** Unpaid orders cancelled at their payment deadline. */
  overdueOrdersCancelled: number
  idempotencyKeysPruned: number
  /** Jobs written (Plesk renewals, suspensions): the caller pokes the runner. */
  jobIds: string[]
}

/**
 * One run of the services lifecycle: auto-renewals first (a service renewed in time is not
 * suspended), then the reminders before expiry, then the ends of cancelled servers, then suspensions,
 * then the ends of cancelled addons and the terminations of services suspended past their grace. Candidates are read in small
 * keyset batches without locks; each is re-checked and handled in its own short transaction, so
 * no transaction spans a provider call and one bad row does not stop the run.
 */
export async function runLifecycle(deps: LifecycleDeps): Promise<LifecycleReport> {
  const r: LifecycleReport = {
    serversRenewed: 0,
    subscriptionsRenewed: 0,
    notCovered: 0,
    serversSuspended: 0,
    serversTerminated: 0,
    subscriptionsTerminated: 0,
    subscriptionsSuspended: 0,
    serversTerminatedUnpaid: 0,
    subscriptionsTerminatedUnpaid: 0,
    addonsReleased: 0,
    expiringReminders: 0,
    balanceLowWarnings: 0,
    failures: 0,
    overdueOrdersCancelled: 0,
    idempotencyKeysPruned: 0,
    jobIds: [],
  }
  // First: an expired service held by an unpaid order (its deadline is the expiry at the latest)
  // is back in its own status, so it is renewed or suspended below like any other.
  r.overdueOrdersCancelled = await cancelOverdueOrders(deps)
  const now = deps.clock.now()
  const renewBefore = addHours(now, autoRenewWindowHours(deps.settings))
  const expiredBefore = addHours(now, -deps.settings.suspendGraceHours)
  const terminateBefore = addHours(now, -deps.settings.terminateSuspendedAfterHours)
  const { db } = deps
  const sweep = (candidates: Candidates, handle: (id: string) => Promise<void>) => eachId(deps, r, candidates, handle)
  /** A step that hands its row to a job: counted, and the job id kept for the runner's poke. */
  const queued =
    (count: JobCount, step: (deps: LifecycleDeps, id: string) => Promise<string | null>) =>
    async (id: string): Promise<void> => {
      const jobId = await step(deps, id)
      if (jobId === null) return
      r[count]++
      r.jobIds.push(jobId)
    }

  await sweep(
    () =>
      db
        .selectFrom('servers')
        .select('id')
        .where('status', '=', 'active')
        .where('auto_renew', '=', true)
        .where('cancel_at', 'is', null)
        .where('expire_date', '<=', renewBefore),
    async id => {
      const outcome = await autoRenewServer(deps, id)
      if (outcome === 'renewed') r.serversRenewed++
      if (outcome === 'insufficient_balance') r.notCovered++
    },
  )
  await sweep(
    () =>
      db
        .selectFrom('plesk_subscriptions')
        .select('id')
        .where('status', '=', 'active')
        .where('auto_renew', '=', true)
        .where('cancel_at', 'is', null)
        .where('expires_at', '<=', renewBefore),
    async id => {
      const res = await autoRenewSubscription(deps, id)
      if (res.outcome === 'renewed') r.subscriptionsRenewed++
      if (res.outcome === 'insufficient_balance') r.notCovered++
      if (res.jobId !== undefined) r.jobIds.push(res.jobId)
    },
  )
  // After the renewals (a service renewed now is not reminded of its old term), before the
  // suspensions (which only take expired services, which get no reminder).
  const reminders = await remindExpiring(deps)
  r.expiringReminders = reminders.expiring
  r.balanceLowWarnings = reminders.balanceLow
  r.failures += reminders.failures
  // A cancelled service ends at its cancel_at (no grace: its owner chose to leave) instead of being
  // suspended; the suspensions below skip it.
  await sweep(
    () => db.selectFrom('servers').select('id').where('status', '=', 'active').where('cancel_at', '<=', now),
    queued('serversTerminated', terminateCancelledServer),
  )
  await sweep(
    () =>
      db
        .selectFrom('servers')
        .select('id')
        .where('status', '=', 'active')
        .where('cancel_at', 'is', null)
        .where('expire_date', '<=', expiredBefore),
    queued('serversSuspended', suspendExpiredServer),
  )
  await sweep(
    () =>
      db.selectFrom('plesk_subscriptions').select('id').where('status', '=', 'active').where('cancel_at', '<=', now),
    queued('subscriptionsTerminated', terminateCancelledSubscription),
  )
  await sweep(
    () =>
      db
        .selectFrom('plesk_subscriptions')
        .select('id')
        .where('status', '=', 'active')
        .where('cancel_at', 'is', null)
        .where('expires_at', '<=', expiredBefore),
    queued('subscriptionsSuspended', suspendExpiredSubscription),
  )
  await sweep(
    () => db.selectFrom('server_addons').select('id').where('status', '=', 'assigned').where('cancel_at', '<=', now),
    queued('addonsReleased', releaseCancelledAddon),
  )
  // Unpaid past the grace period (or cancelled now and the first attempt gave up): deleted for good.
  await sweep(
    () =>
      db
        .selectFrom('servers')
        .select('id')
        .where('status', '=', 'suspended')
        .where(eb => eb.or([eb('expire_date', '<=', terminateBefore), eb('cancel_at', '<=', now)])),
    queued('serversTerminatedUnpaid', terminateUnpaidServer),
  )
  await sweep(
    () =>
      db
        .selectFrom('plesk_subscriptions')
        .select('id')
        .where('status', '=', 'suspended')
        .where(eb => eb.or([eb('expires_at', '<=', terminateBefore), eb('cancel_at', '<=', now)])),
    queued('subscriptionsTerminatedUnpaid', terminateUnpaidSubscription),
  )
  r.idempotencyKeysPruned = await pruneIdempotencyKeys(deps)
  return r
}

/** The report's counters of steps that hand rows to jobs. */
type JobCount =
  | 'serversTerminated'
  | 'serversSuspended'
  | 'subscriptionsTerminated'
  | 'subscriptionsSuspended'
  | 'addonsReleased'
  | 'serversTerminatedUnpaid'
  | 'subscriptionsTerminatedUnpaid'

/** A step's candidates: ids of one table, filtered; `eachId` adds the keyset paging. */
type Candidates = () => SelectQueryBuilder<
  Database,
  'servers' | 'plesk_subscriptions' | 'server_addons',
  { id: string }
>

/** Pages through ids (keyset, so rows left as they were, e.g. not covered, are not read again). */
async function eachId(
  deps: LifecycleDeps,
  r: LifecycleReport,
  candidates: Candidates,
  fn: (id: string) => Promise<void>,
): Promise<void> {
  let after = ''
  for (;;) {
    const rows = await candidates()
      .where(sql<SqlBool>`id > ${after}`)
      .orderBy(sql`id`)
      .limit(deps.settings.batchSize)
      .execute()
    for (const { id } of rows) {
      try {
        await fn(id)
      } catch (err) {
        r.failures++
        deps.logger.error(
          { id, error: err instanceof Error ? err.message : String(err) },
          'lifecycle step failed; the next run tries again',
        )
      }
    }
    if (rows.length < deps.settings.batchSize) return
    after = rows[rows.length - 1]!.id
  }
}
