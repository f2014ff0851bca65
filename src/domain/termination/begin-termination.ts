import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { formatAmount, type Cents } from '../../lib/money.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { credit } from '../billing/ledger.ts'
import { recordPeriod } from '../billing/periods.ts'
import { refundOfUnusedTime } from '../billing/unused-time.ts'
import { movePleskSubscription } from '../state/plesk.ts'
import { moveServer } from '../state/servers.ts'
import type { TerminationOrigin, TerminationReason } from './terminate-payload.ts'

/** A server or a Plesk subscription, read under its row lock by the caller. */
export interface TerminableRow {
  kind: 'server' | 'plesk'
  id: string
  user_id: string
  status: string
  plan_id: string
  expiry: Date
}

export interface BeginTerminationInput {
  now: Date
  /** Credit the unused paid time (CANCEL_REFUND_UNUSED for a customer, the operator's choice for an admin). */
  refund: boolean
  reason: TerminationReason
  /** The ledger row's actor. */
  actor: string
  jobMaxAttempts: number
}

export interface BeginTerminationResult {
  origin: TerminationOrigin
  /** Where the paid time now ends: now, or the expiry when that already passed. */
  endsAt: Date
  /** Credited, in cents; null when no refund was asked for. */
  refund: Cents | null
  jobId: string
}

const ORIGINS: readonly string[] = ['active', 'suspended']

/**
 * Starts terminating a server or subscription now, in the caller's transaction under the row's
 * lock: the unused paid time is credited (`cancel_refund`, when asked), the paid time is cut to
 * now (a `cancel` period, so the delivery audit's replay ends at the new expiry, and
 * `expire_date`/`expires_at` with it), `cancel_at` = that moment and auto-renew off (so a job that
 * gives up leaves it where the lifecycle's scans terminate it again, and orders on it are
 * refused), the row `terminating` and its terminate job — all or nothing. Only `active` and
 * `suspended` services can be terminated; anything else is 409 `invalid_state`, which is what
 * makes a second immediate cancellation (waiting on the same lock) refund nothing.
 */
export async function beginTermination(
  trx: Db,
  row: TerminableRow,
  input: BeginTerminationInput,
): Promise<BeginTerminationResult> {
  if (!ORIGINS.includes(row.status)) {
    const noun = row.kind === 'server' ? 'server' : 'subscription'
    throw new AppError(
      'invalid_state',
      row.status === 'terminating' || row.status === 'deleted'
        ? `${noun} '${row.id}' is already ${row.status}; a termination cannot be undone`
        : `${noun} '${row.id}' is ${row.status}; only an active or suspended one can be terminated`,
      { details: { status: row.status } },
    )
  }
  const origin = row.status as TerminationOrigin
  const { now } = input
  const endsAt = row.expiry < now ? row.expiry : now
  const serviceKind = row.kind === 'server' ? ('server' as const) : ('subscription' as const)
  let refund: Cents | null = null
  if (input.refund) {
    const periods = await trx
      .selectFrom('service_periods')
      .select(['kind', 'starts_at', 'ends_at', 'amount_cents'])
      .where('service_kind', '=', serviceKind)
      .where('service_id', '=', row.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    refund = refundOfUnusedTime(periods, endsAt)
    if (refund > 0n) {
      await credit(trx, {
        userId: row.user_id,
        amount: refund,
        kind: 'cancel_refund',
        reason: `unused time of ${serviceKind} ${row.id} (${endsAt.toISOString()} → ${row.expiry.toISOString()}), cancelled: ${formatAmount(refund)} EUR`,
        actor: input.actor,
      })
    }
  }
  await recordPeriod(trx, {
    userId: row.user_id,
    serviceKind,
    serviceId: row.id,
    orderId: null,
    kind: 'cancel',
    planId: row.plan_id,
    startsAt: endsAt,
    endsAt,
    amount: -(refund ?? 0n),
  })
  let jobId: string
  if (row.kind === 'server') {
    await moveServer(trx, row.id, {
      from: origin,
      to: 'terminating',
      now,
      required: true,
      set: { expire_date: endsAt, cancel_at: endsAt, auto_renew: false },
    })
    jobId = await enqueueJob(trx, {
      kind: JobKind.serverTerminate,
      payload: { serverId: row.id, origin, reason: input.reason },
      maxAttempts: input.jobMaxAttempts,
    })
  } else {
    await movePleskSubscription(trx, row.id, {
      from: origin,
      to: 'terminating',
      now,
      required: true,
      set: { expires_at: endsAt, cancel_at: endsAt, auto_renew: false },
    })
    jobId = await enqueueJob(trx, {
      kind: JobKind.pleskTerminate,
      payload: { subscriptionId: row.id, origin, reason: input.reason },
      maxAttempts: input.jobMaxAttempts,
    })
  }
  return { origin, endsAt, refund, jobId }
}
