import type { Deps } from '../../deps.ts'
import type { Principal } from '../auth/api-keys.ts'
import { cancelIn, type Cancellation } from '../services/cancel-service.ts'

export interface TerminateServiceInput {
  principal: Principal
  requestId: string
  serviceId: string
  /** Credit the unused paid time (the operator decides; CANCEL_REFUND_UNUSED does not apply). */
  refund: boolean
  /** Why, for the audit record. */
  reason?: string
}

/**
 * An operator terminates a server, Plesk subscription or addon now (`POST /API/admin/services/terminate`,
 * `oxbill services terminate`): the customer's immediate cancellation with the operator's refund
 * choice, found by id among every user's services, audited as `service.terminate` with the
 * operator's reason. `service.terminated` says 'operator'. Same refusals as the customer's (an
 * open order on it, already terminating), except that the owner may be deactivated: ending what a
 * closed or abusive account still holds is what an operator terminates for.
 */
export async function terminateService(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: TerminateServiceInput,
): Promise<Cancellation> {
  return deps.db.transaction().execute(trx =>
    cancelIn(
      trx,
      deps,
      { principal: input.principal, requestId: input.requestId, serviceId: input.serviceId, when: 'immediate' },
      {
        owner: null,
        refund: input.refund,
        reason: 'operator',
        action: 'service.terminate',
        ownerAccess: 'read',
        ...(input.reason !== undefined ? { note: input.reason } : {}),
      },
    ),
  )
}
