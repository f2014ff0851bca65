import type { Deps } from '../../deps.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { ServerActionView } from './action-view.ts'
import { queueServerAction, type ServerActionRequest } from './queue-server-action.ts'

/**
 * Queues a root password reset at SolusVM. Whether the new password comes back (then it is sealed
 * on the action and revealed once, `revealServerPassword`) or SolusVM e-mails the owner instead
 * is SolusVM's choice (panel-actions.md §1.3); the action's `password_delivery` says which.
 */
export async function resetServerPassword(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'runner' | 'secretBox'>,
  input: ServerActionRequest,
): Promise<ServerActionView> {
  return queueServerAction(deps, input, {
    action: 'reset_password',
    jobKind: JobKind.serverRebuild,
    auditAction: 'server.reset_password',
  })
}
