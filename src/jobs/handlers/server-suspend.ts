import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { silentLogger } from '../../lib/logger.ts'
import { moveServer } from '../../domain/state/servers.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Suspends an expired server at SolusVM (task, then wait for it), then marks it `suspended`.
 * Giving up puts it back to `active` (no money is involved; the next lifecycle run tries again).
 */
export function serverSuspendJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & Partial<Pick<Deps, 'logger'>> & { taskTimeoutMs: number },
): JobDefinition<{ serverId: string }> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.serverSuspend,
    version: 1,
    parse: p => requireStrings(p, ['serverId']),
    async handler(ctx) {
      const { serverId } = ctx.payload
      const s = await deps.db
        .selectFrom('servers')
        .select(['id_solusvm', 'status'])
        .where('id', '=', serverId)
        .executeTakeFirstOrThrow()
      // Only the lifecycle sets `suspending`; anything else means an operator took over.
      if (s.status === 'suspending' && s.id_solusvm !== null) {
        const vm = await deps.solusvm.getServer(s.id_solusvm)
        if (!vm) throw new AppError('provider_error', `SolusVM has no server ${s.id_solusvm}`)
        // A retry after a lost response: the VM may already be suspended.
        if (!vm.isSuspended) {
          const taskId = await ctx.step('suspend', async () => (await deps.solusvm.suspendServer(s.id_solusvm!)).id)
          await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
        }
      }
      await ctx.finish(async trx => {
        await moveServer(trx, serverId, { from: 'suspending', to: 'suspended', now: deps.clock.now() })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await moveServer(trx, payload.serverId, { from: 'suspending', to: 'active', now: deps.clock.now() })
      logger.error({ serverId: payload.serverId, reason }, 'could not suspend an expired server; it stays active')
    },
    async onRetry(trx, payload) {
      await moveServer(trx, payload.serverId, { from: 'active', to: 'suspending', now: deps.clock.now() })
    },
  }
}
