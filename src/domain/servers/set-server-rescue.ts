import type { Deps } from '../../deps.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { ServerActionView } from './action-view.ts'
import { queueServerAction, type ServerActionRequest } from './queue-server-action.ts'

export interface RescueInput extends ServerActionRequest {
  enabled: boolean
}

/**
 * Queues rescue mode on (boot the rescue image) or off (boot the disk again): the job sets
 * SolusVM's `boot_mode` and restarts the VM (panel-actions.md §1.5). The detail shows `boot_mode`.
 */
export async function setServerRescue(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'runner' | 'secretBox'>,
  input: RescueInput,
): Promise<ServerActionView> {
  const action = input.enabled ? 'rescue_on' : 'rescue_off'
  return queueServerAction(deps, input, { action, jobKind: JobKind.serverRebuild, auditAction: `server.${action}` })
}
