import type { Deps } from '../../deps.ts'
import type { PowerActionKind } from '../../db/states.ts'
import type { SolusTask, SolusVmApi } from '../../integrations/solusvm/types.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'
import {
  failAction,
  finishAction,
  markActionRunning,
  openServerAction,
  type ServerActionPayload,
} from './server-action-job.ts'

/** The SolusVM 2 call behind each action (panel-actions.md §1.1: one stop endpoint, `force` for power off). */
const CALLS: Record<PowerActionKind, (api: SolusVmApi, id: number) => Promise<SolusTask>> = {
  start: (api, id) => api.startServer(id),
  stop: (api, id) => api.stopServer(id),
  shutdown: (api, id) => api.shutdownServer(id),
  reboot: (api, id) => api.restartServer(id),
}

/**
 * Runs one power action: calls SolusVM once (the task id is memoized, so a retry polls the same
 * task instead of rebooting twice), marks the action `running` with that task, waits for the task
 * and records `done`. A refused call or a task that ends failed is a permanent error; an
 * unreachable or busy SolusVM is retried with the runner's backoff. Giving up records `failed`
 * with the reason; the server's own status is never touched, so it stays usable.
 *
 * A crash between SolusVM accepting the call and the memo makes the retry call again; for start
 * and stop that is harmless (the state is the same), a reboot may then happen twice.
 */
export function serverPowerJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & { taskTimeoutMs: number },
): JobDefinition<ServerActionPayload> {
  return {
    kind: JobKind.serverPower,
    version: 1,
    parse: p => requireStrings(p, ['actionId', 'serverId']),
    async handler(ctx) {
      const opened = await openServerAction(deps, ctx)
      if (opened === null) return
      const call = CALLS[opened.action.action as PowerActionKind]
      const taskId = await ctx.step('task', async () => (await call(deps.solusvm, opened.vmId)).id)
      await markActionRunning(deps, ctx.payload.actionId, taskId)
      await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
      await ctx.finish(trx => finishAction(deps, trx, ctx.payload.actionId))
    },
    onFailure: (trx, _job, payload, reason) => failAction(deps, trx, payload.actionId, reason),
    // An operator's retry of a failed action changes nothing: the customer asks again, on a server
    // whose state may have moved on since.
    async onRetry() {},
  }
}
