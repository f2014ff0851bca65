import type { Deps } from '../../deps.ts'
import { silentLogger } from '../../lib/logger.ts'
import { moveServer, moveServerAction } from '../../domain/state/servers.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { JobDefinition } from '../../outbox/types.ts'
import {
  originOf,
  parseTerminationPayload,
  reasonOf,
  type TerminationPayload,
} from '../../domain/termination/terminate-payload.ts'
import { releaseServerAddons } from '../../domain/termination/release-server-addons.ts'

/**
 * Ends a server: its owner cancelled it (at the end of its term or immediately), an operator
 * terminated it, or it stayed suspended unpaid past the grace period. Deletes the VM at SolusVM
 * (the task id is memoized; a VM already gone — a retry after a lost answer — counts as deleted),
 * waits for the task, then moves the server `terminating` → `deleted` in the final transaction,
 * which writes `service.terminated` {reason} once (the move is conditional) and ends its addons
 * (the VM's deletion released their IPs). Giving up puts it back where it came from (`origin`:
 * `active` with its `cancel_at` kept, or `suspended`), so the next lifecycle run tries again; it is
 * never renewed (auto-renew is off and orders are refused while a cancellation is pending).
 */
export function serverTerminateJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & Partial<Pick<Deps, 'logger'>> & { taskTimeoutMs: number },
): JobDefinition<{ serverId: string } & TerminationPayload> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.serverTerminate,
    version: 1,
    parse: p => parseTerminationPayload(p, 'serverId'),
    async handler(ctx) {
      const { serverId } = ctx.payload
      const s = await deps.db
        .selectFrom('servers')
        .select(['id_solusvm', 'status'])
        .where('id', '=', serverId)
        .executeTakeFirstOrThrow()
      // Only a termination sets `terminating`; anything else means an operator took over.
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
        const now = deps.clock.now()
        const reason = reasonOf(ctx.payload)
        await moveServer(trx, serverId, { from: 'terminating', to: 'deleted', now, required: true, reason })
        await releaseServerAddons(trx, serverId, now, reason)
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
      const origin = originOf(payload)
      await moveServer(trx, payload.serverId, { from: 'terminating', to: origin, now: deps.clock.now() })
      logger.error(
        { serverId: payload.serverId, origin, reason },
        `could not delete a server at SolusVM; it is ${origin} again and the next lifecycle run tries again`,
      )
    },
    async onRetry(trx, payload) {
      await moveServer(trx, payload.serverId, { from: originOf(payload), to: 'terminating', now: deps.clock.now() })
    },
  }
}
