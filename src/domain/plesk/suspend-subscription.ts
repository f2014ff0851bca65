import type { Deps } from '../../deps.ts'
import { validation } from '../../lib/errors.ts'
import { lockAnySubscription, type OperatorActor } from './operator-hold.ts'
import { notUsable, queuePleskAction } from './queue-plesk-action.ts'
import type { PleskActionView } from './action-view.ts'

/** Statuses an operator may suspend from: running, or already suspended for non-payment. */
const SUSPENDABLE = new Set(['active', 'suspended'])

/**
 * An operator suspends a subscription at Plesk (webspace status 16). The hold is written with the
 * action (`operator_suspended_at/_by/_reason`), apart from the status the lifecycle owns, so a
 * renewal or the lifecycle never lifts it (`plesk.renew` skips its re-activation while it stands);
 * only an operator's resumption does. Refused while the subscription is moving (renewing,
 * suspending, terminating…): the two writers of Plesk's status would race.
 */
export async function suspendSubscription(
  deps: Pick<Deps, 'db' | 'clock' | 'secretBox'> & { jobMaxAttempts: number; runner?: Pick<Deps['runner'], 'poke'> },
  input: OperatorActor & { subscriptionId: string; reason?: string },
): Promise<PleskActionView> {
  const reason = input.reason?.trim() ?? ''
  if (reason.length > 500) throw validation('reason must be at most 500 characters', 'reason')
  return queuePleskAction(deps, {
    action: 'suspend',
    actor: input.actor,
    requestId: input.requestId,
    subscriptionId: input.subscriptionId,
    lock: trx => lockAnySubscription(trx, input.subscriptionId),
    usable: sub => {
      if (!SUSPENDABLE.has(sub.status) || sub.plesk_webspace_id === null) {
        throw notUsable(sub, `${sub.status}; an operator can suspend it only while it is active or suspended`)
      }
      if (sub.operator_suspended_at !== null) throw notUsable(sub, 'already suspended by an operator')
    },
    also: async (trx, sub, now) => {
      await trx
        .updateTable('plesk_subscriptions')
        .set({
          operator_suspended_at: now,
          operator_suspended_by: input.actor,
          operator_suspend_reason: reason === '' ? null : reason,
          updated_at: now,
        })
        .where('id', '=', sub.id)
        .execute()
    },
    reason: reason === '' ? null : reason,
    auditDetails: { reason: reason === '' ? null : reason },
  })
}
