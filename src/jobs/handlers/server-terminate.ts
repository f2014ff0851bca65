import type { Deps } from '../../deps.ts'
import { silentLogger } from '../../lib/logger.ts'
import { moveServer, moveServerAction } from '../../domain/state/servers.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Ends a server whose owner cancelled it at the end of its term: deletes the VM at SolusVM (the
 * task id is memoized; a VM already gone — a retry after a lost answer — counts as deleted), waits
 * for the task, then moves the server `terminating` → `deleted` in the final transaction, which
 * writes `service.terminated` {reason: 'cancelled'} once (the move is conditional). Giving up puts
 * it back to `active` with its `cancel_at` kept, so the next lifecycle run tries again; it is never
 * renewed (auto-renew is off and orders are refused while a cancellation is pending).
 */
export function serverTerminateJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & Partial<Pick<Deps, 'logger'>> & { taskTimeoutMs: number },
): JobDefinition<{ serverId: string }> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.serverTerminate,
    version: 1,
    parse: p => requireStrings(p, ['serverId']),
    async handler(ctx) {
      const { serverId } = ctx.payload
      const s = await deps.db
        .selectFrom('servers')
        .select(['id_solusvm', 'status'])
        .where('id', '=', serverId)
        .executeTakeFirstOrThrow()
      // Only the lifecycle sets `terminating`; anything else means an operator took over.
      if (s.status !== 'terminating') return ctx.finish(async () => {})
      if (s.id_solusvm !== null) {
        const vmId = s.id_solusvm
        const vm = await deps.solusvm.getServer(vmId)
        if (vm !== null) {
          const taskId = await ctx.step('delete', async () => (await deps.solusvm.deleteServer(vmId)).id)
          await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
        }
      }
      await ctx.finish(async trx => {
        await moveServer(trx, serverId, { from: 'terminating', to: 'deleted', now: deps.clock.now(), required: true })
        // Power actions still waiting would act on a VM that no longer exists.
        const queued = await trx
          .selectFrom('server_actions')
          .select('id')
          .where('server_id', '=', serverId)
          .where('status', '=', 'queued')
          .execute()
        for (const a of queued) {
          await moveServerAction(trx, a.id, {
            from: 'queued',
            to: 'failed',
            set: { error: 'the server was terminated', finished_at: deps.clock.now() },
            now: deps.clock.now(),
          })
        }
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await moveServer(trx, payload.serverId, { from: 'terminating', to: 'active', now: deps.clock.now() })
      logger.error(
        { serverId: payload.serverId, reason },
        'could not delete a cancelled server at SolusVM; it stays active and the next lifecycle run tries again',
      )
    },
    async onRetry(trx, payload) {
      await moveServer(trx, payload.serverId, { from: 'active', to: 'terminating', now: deps.clock.now() })
    },
  }
}
