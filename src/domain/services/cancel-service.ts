import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { formatAmount } from '../../lib/money.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser, type Access } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { assertNoOpenOrder } from '../orders/open-orders.ts'
import { recordServiceEvent } from '../events/record-object-event.ts'
import { beginTermination } from '../termination/begin-termination.ts'
import type { TerminationReason } from '../termination/terminate-payload.ts'
import { cancelAddon } from './cancel-addon.ts'
import { serviceKindOf, type CancellableKind } from './service-of.ts'

export type CancelWhen = 'end_of_term' | 'immediate'

export interface CancelServiceInput {
  principal: Principal
  requestId: string
  userId?: string
  serviceId: string
  when: CancelWhen
}

export interface Cancellation {
  service_id: string
  service_kind: CancellableKind
  when: CancelWhen
  effective_at: string
  /** Decimal EUR credited for the unused time (immediate, with a refund); null otherwise. */
  refund: string | null
}

/** How a cancellation is carried out: by its owner (the settings decide the refund) or by an operator. */
export interface CancelPolicy {
  /** Whose service it must be: a user id, or null for anyone's (an operator naming it by id). */
  owner: string | null
  refund: boolean
  reason: TerminationReason
  /** The audit action. */
  action: 'service.cancel' | 'service.terminate'
  /** Free text an operator gave, kept in the audit record. */
  note?: string
  /**
   * 'use' (a customer's cancellation): the owner must be active. 'read': an operator terminating a
   * deactivated account's service (abuse, a closed account) — deactivation is exactly when an
   * operator ends what the account still holds, so it must not be refused for it.
   */
  ownerAccess?: Access
}

/** What a service row looks like to a cancellation, in one shape for servers and subscriptions. */
interface Row {
  id: string
  user_id: string
  status: string
  auto_renew: boolean
  expiry: Date
  cancel_at: Date | null
  plan_id: string
}

type CancelDeps = Pick<Deps, 'db' | 'clock' | 'config'>

/**
 * Cancels a server, a Plesk subscription or a server addon (`POST /API/services/cancel`).
 *
 * end_of_term (contract "Cancel at end of term"): `cancel_at` = the expiry now, auto-renew off,
 * and `service.cancelled` {effective: 'end_of_term'}, in one transaction under the service row's
 * lock. At `cancel_at` the lifecycle deletes it instead of suspending it. Cancelling again while
 * pending answers the same cancellation.
 *
 * immediate (issue 13, part C): terminated now — `beginTermination` credits the unused paid time
 * when CANCEL_REFUND_UNUSED is on, cuts the paid time, marks it `terminating` and writes its
 * terminate job, with `service.cancelled` {effective: 'now'} and the audit record, in the same
 * transaction. It cannot be undone; a second one is 409 (the first holds the row's lock until it
 * commits, and then the row is `terminating`), so it refunds once.
 *
 * Open orders: refused while any order on the service is open (409 `invalid_state` with
 * `pending_order_id`, the same rule as orders): an extension paid after the cancellation must not
 * buy time the termination then throws away. While the cancellation is pending, new orders on it
 * are refused too (`lockServerForOrder`, `lockSubscriptionForOrder`), so `cancel_at` always equals
 * the expiry.
 */
export async function cancelService(deps: CancelDeps, input: CancelServiceInput): Promise<Cancellation> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  return deps.db.transaction().execute(trx =>
    cancelIn(trx, deps, input, {
      owner: user.id,
      refund: deps.config.cancelRefundUnused,
      reason: 'cancelled',
      action: 'service.cancel',
    }),
  )
}

/** The cancellation inside the caller's transaction (the quote rolls it back; an operator's uses its own policy). */
export async function cancelIn(
  trx: Db,
  deps: CancelDeps,
  input: Omit<CancelServiceInput, 'userId'>,
  policy: CancelPolicy,
): Promise<Cancellation> {
  const now = deps.clock.now()
  const kind = await serviceKindOf(trx, input.serviceId, policy.owner)
  if (kind === 'addon') {
    const { jobId: _job, ...c } = await cancelAddon(trx, {
      principal: input.principal,
      requestId: input.requestId,
      owner: policy.owner,
      addonId: input.serviceId,
      when: input.when,
      now,
      refundAsked: policy.refund && input.when === 'immediate',
      jobMaxAttempts: deps.config.jobMaxAttempts,
      action: policy.action,
      ownerAccess: policy.ownerAccess ?? 'use',
    })
    return c
  }
  const read = () => lockService(trx, input.principal, kind, input.serviceId, policy.owner, policy.ownerAccess)
  let s = await read()
  if (input.when === 'end_of_term' && s.status === 'active' && s.cancel_at !== null) {
    return answer(kind, s.id, 'end_of_term', s.cancel_at, null)
  }
  // An unpaid order past its deadline is cancelled here; the service may then be back in another status.
  const ref = kind === 'server' ? { kind: 'server' as const, id: s.id } : { kind: 'subscription' as const, id: s.id }
  if (await assertNoOpenOrder(trx, ref, now)) s = await read()
  const eventKind = kind === 'server' ? 'server' : 'plesk_subscription'
  let result: Cancellation
  let details: Record<string, unknown>
  if (input.when === 'immediate') {
    const t = await beginTermination(
      trx,
      { kind: kind === 'server' ? 'server' : 'plesk', ...s },
      {
        now,
        refund: policy.refund,
        reason: policy.reason,
        actor: actorOf(input.principal),
        jobMaxAttempts: deps.config.jobMaxAttempts,
      },
    )
    const refund = t.refund === null ? null : formatAmount(t.refund)
    result = answer(kind, s.id, 'immediate', now, refund)
    details = {
      origin: t.origin,
      expiry_was: s.expiry.toISOString(),
      paid_until: t.endsAt.toISOString(),
      refund,
      job_id: t.jobId,
    }
  } else {
    if (s.status !== 'active') {
      throw new AppError(
        'invalid_state',
        `${noun(kind)} '${s.id}' is ${s.status}; only an active one can be cancelled at the end of its term`,
        { details: { status: s.status } },
      )
    }
    const table = kind === 'server' ? 'servers' : 'plesk_subscriptions'
    await trx
      .updateTable(table)
      .set({ cancel_at: s.expiry, auto_renew: false, updated_at: now })
      .where('id', '=', s.id)
      .execute()
    result = answer(kind, s.id, 'end_of_term', s.expiry, null)
    details = { cancel_at: s.expiry.toISOString() }
  }
  await recordServiceEvent(trx, 'service.cancelled', { kind: eventKind, id: s.id }, now, {
    effective: input.when === 'immediate' ? 'now' : 'end_of_term',
  })
  await writeAudit(trx, {
    actor: actorOf(input.principal),
    requestId: input.requestId,
    action: policy.action,
    targetType: eventKind,
    targetId: s.id,
    details: {
      user_id: s.user_id,
      when: input.when,
      auto_renew_was: s.auto_renew,
      ...details,
      ...(policy.note !== undefined ? { reason: policy.note } : {}),
    },
  })
  return result
}

/** The service row under lock, with its owner re-checked (`requireOwned`), in one shape for both kinds. */
export async function lockService(
  trx: Db,
  principal: Principal,
  kind: 'server' | 'plesk',
  id: string,
  owner: Parameters<typeof requireOwned>[4]['owner'],
  access: Access = 'use',
): Promise<Row> {
  const opts = { access, owner, forUpdate: true }
  if (kind === 'server') {
    const s = await requireOwned(trx, principal, 'servers', id, opts)
    return { ...s, expiry: s.expire_date }
  }
  const p = await requireOwned(trx, principal, 'plesk_subscriptions', id, opts)
  return { ...p, expiry: p.expires_at }
}

export const noun = (kind: CancellableKind): string =>
  kind === 'server' ? 'server' : kind === 'addon' ? 'addon' : 'subscription'

function answer(kind: CancellableKind, id: string, when: CancelWhen, at: Date, refund: string | null): Cancellation {
  return { service_id: id, service_kind: kind, when, effective_at: at.toISOString(), refund }
}
