import type { Deps } from '../../deps.ts'
import type { ServerActionKind } from '../../db/states.ts'
import type { SolusTask, SolusVmApi } from '../../integrations/solusvm/types.ts'
import { moveServerAction } from '../../domain/state/servers.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/** The SolusVM 2 call behind each action (panel-actions.md §1.1: one stop endpoint, `force` for power off). */
const CALLS: Record<ServerActionKind, (api: SolusVmApi, id: number) => Promise<SolusTask>> = {
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
): JobDefinition<{ actionId: string; serverId: string }> {
  return {
    kind: JobKind.serverPower,
    version: 1,
    parse: p => requireStrings(p, ['actionId', 'serverId']),
    async handler(ctx) {
      const { actionId, serverId } = ctx.payload
      const action = await deps.db
        .selectFrom('server_actions')
        .select(['action', 'status'])
        .where('id', '=', actionId)
        .executeTakeFirstOrThrow()
      const server = await deps.db
        .selectFrom('servers')
        .select(['status', 'id_solusvm'])
        .where('id', '=', serverId)
        .executeTakeFirstOrThrow()
      if (action.status === 'done' || action.status === 'failed') return ctx.finish(async () => {})
      // The lifecycle may have suspended or ended the server since the request: nothing is sent.
      if (action.status === 'queued' && (server.status !== 'active' || server.id_solusvm === null)) {
        const reason = `the server became ${server.status} before SolusVM was asked`
        return ctx.finish(async trx => {
          await moveServerAction(trx, actionId, {
            from: 'queued',
            to: 'failed',
            set: { error: reason, finished_at: deps.clock.now() },
            now: deps.clock.now(),
          })
        })
      }
      const vmId = server.id_solusvm!
      const taskId = await ctx.step('task', async () => (await CALLS[action.action](deps.solusvm, vmId)).id)
      await moveServerAction(deps.db, actionId, {
        from: 'queued',
        to: 'running',
        set: { solusvm_task_id: taskId },
        now: deps.clock.now(),
      })
      await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
      await ctx.finish(async trx => {
        await moveServerAction(trx, actionId, {
          from: 'running',
          to: 'done',
          set: { finished_at: deps.clock.now() },
          now: deps.clock.now(),
          required: true,
        })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await moveServerAction(trx, payload.actionId, {
        from: ['queued', 'running'],
        to: 'failed',
        set: { error: reason.length > 500 ? `${reason.slice(0, 500)}…` : reason, finished_at: deps.clock.now() },
        now: deps.clock.now(),
      })
    },
    // An operator's retry of a failed action changes nothing: the customer asks again, on a server
    // whose state may have moved on since.
    async onRetry() {},
  }
}
