import type { Deps } from '../../deps.ts'
import { lockAnySubscription, type OperatorActor } from './operator-hold.ts'
import { notUsable, queuePleskAction } from './queue-plesk-action.ts'
import type { PleskActionView } from './action-view.ts'

const ENDED = new Set(['terminating', 'deleted', 'cancelled'])

/**
 * An operator lifts their own suspension. Only that: a subscription also suspended for
 * non-payment stays suspended at Plesk until it is renewed (the `plesk.action` job re-asserts the
 * state the lifecycle wants instead of activating). The hold is cleared once Plesk has the change,
 * so a renewal meanwhile still leaves the webspace alone.
 */
export async function resumeSubscription(
  deps: Pick<Deps, 'db' | 'clock' | 'secretBox'> & { jobMaxAttempts: number; runner?: Pick<Deps['runner'], 'poke'> },
  input: OperatorActor & { subscriptionId: string },
): Promise<PleskActionView> {
  return queuePleskAction(deps, {
    action: 'resume',
    actor: input.actor,
    requestId: input.requestId,
    subscriptionId: input.subscriptionId,
    lock: trx => lockAnySubscription(trx, input.subscriptionId),
    usable: sub => {
      if (sub.operator_suspended_at === null) throw notUsable(sub, 'not suspended by an operator')
      // Its webspace is being deleted or gone: there is nothing left to resume.
      if (ENDED.has(sub.status)) throw notUsable(sub, `${sub.status}; there is nothing to resume`)
    },
  })
}
