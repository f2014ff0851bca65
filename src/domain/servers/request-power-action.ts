import type { Deps } from '../../deps.ts'
import type { PowerActionKind } from '../../db/states.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { ServerActionView } from './action-view.ts'
import { queueServerAction, type ServerActionRequest } from './queue-server-action.ts'

export interface PowerActionInput extends ServerActionRequest {
  action: PowerActionKind
}

/**
 * Queues a power action (start, stop = power off, shutdown = graceful, reboot) on an active
 * server; its `server.power` job calls SolusVM after the commit. The refusals (not active, another
 * action open) are those of every server action (`queueServerAction`).
 */
export async function requestPowerAction(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'runner' | 'secretBox'>,
  input: PowerActionInput,
): Promise<ServerActionView> {
  return queueServerAction(deps, input, {
    action: input.action,
    jobKind: JobKind.serverPower,
    auditAction: 'server.power',
  })
}
