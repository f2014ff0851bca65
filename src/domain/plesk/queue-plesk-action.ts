import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import type { PleskSubscription } from '../../db/schema.ts'
import type { PleskActionKind } from '../../db/states.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { isUniqueViolation } from '../admin/db-errors.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { checkInitial } from '../state/transition.ts'
import { PLESK_ACTION } from '../state/plesk.ts'
import { viewPleskAction, type PleskActionView } from './action-view.ts'

export interface QueuePleskAction {
  action: PleskActionKind
  /** Audit actor: the API key id, or "cli". */
  actor: string
  requestId?: string
  subscriptionId: string
  /** Reads the subscription under its row lock (ownership checked by the caller's rule); throws its 404. */
  lock(trx: Db): Promise<PleskSubscription>
  /** The subscription's own rule for this action (409 `invalid_state` with details.status); throws. */
  usable(sub: PleskSubscription): void
  /** Writes that commit with the action (the operator's hold). */
  also?(trx: Db, sub: PleskSubscription, now: Date): Promise<void>
  /** Sealed in the job's secret, never in a row: the new FTP password. */
  secret?: string
  reason?: string | null
  auditDetails?: Record<string, unknown>
}

/**
 * Queues one Plesk action on a subscription: under the subscription's lock its rule is checked,
 * no other action of it may be open (409 `action_pending` naming it), then the action row, its
 * `plesk.action` job (with the sealed secret, if any) and an audit row commit together and the
 * runner is poked. The partial unique index `plesk_actions_one_open` refuses the same should two
 * requests ever pass the check together (answered with the same 409).
 */
export async function queuePleskAction(
  deps: Pick<Deps, 'db' | 'clock' | 'secretBox'> & { jobMaxAttempts: number; runner?: Pick<Deps['runner'], 'poke'> },
  q: QueuePleskAction,
): Promise<PleskActionView> {
  let view: PleskActionView
  try {
    view = await deps.db.transaction().execute(async trx => {
      const sub = await q.lock(trx)
      q.usable(sub)
      await refuseIfPending(trx, sub.id)
      const now = deps.clock.now()
      const id = newId('pleskAction')
      const jobId = await enqueueJob(trx, {
        kind: JobKind.pleskAction,
        payload: { actionId: id, subscriptionId: sub.id },
        maxAttempts: deps.jobMaxAttempts,
        ...(q.secret !== undefined ? { secret: { box: deps.secretBox, value: q.secret } } : {}),
      })
      const row = await trx
        .insertInto('plesk_actions')
        .values({
          id,
          subscription_id: sub.id,
          user_id: sub.user_id,
          action: q.action,
          status: checkInitial(PLESK_ACTION, 'queued'),
          reason: q.reason ?? null,
          job_id: jobId,
          requested_by: q.actor,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await q.also?.(trx, sub, now)
      await writeAudit(trx, {
        actor: q.actor,
        requestId: q.requestId,
        action: `plesk.${q.action}`,
        targetType: 'plesk_subscription',
        targetId: sub.id,
        details: { user_id: sub.user_id, plesk_action_id: id, ...q.auditDetails },
      })
      return viewPleskAction(row)
    })
  } catch (err) {
    // Two requests that both passed the check: the index let one through; name it to the other.
    if (isUniqueViolation(err)) await refuseIfPending(deps.db, q.subscriptionId)
    throw err
  }
  deps.runner?.poke()
  return view
}

async function refuseIfPending(db: Db, subscriptionId: string): Promise<void> {
  const open = await db
    .selectFrom('plesk_actions')
    .select(['id', 'action', 'status'])
    .where('subscription_id', '=', subscriptionId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst()
  if (open) {
    throw new AppError(
      'action_pending',
      `Plesk action ${open.id} (${open.action}) on this subscription is ${open.status}; ask again once it is done`,
      { details: { pending_action_id: open.id, pending_action: open.action, pending_action_status: open.status } },
    )
  }
}

/** 409 `invalid_state` for a subscription that is not in a state this action accepts. */
export function notUsable(sub: PleskSubscription, why: string): AppError {
  return new AppError('invalid_state', `subscription '${sub.id}' is ${why}`, {
    details: { status: sub.status, operator_suspended: sub.operator_suspended_at !== null },
  })
}
