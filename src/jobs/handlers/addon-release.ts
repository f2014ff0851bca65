import type { Deps } from '../../deps.ts'
import { silentLogger } from '../../lib/logger.ts'
import { moveServerAddon } from '../../domain/state/servers.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Ends a cancelled addon: removes its extra IPv4 at SolusVM (the task id is memoized; an address
 * already gone — a retry after a lost answer — counts as removed), waits for the task, then
 * `releasing` → `released` (`service.terminated` {reason: 'cancelled'}) and the address leaves the
 * server's `extra_ips`, in the final transaction. A server already deleted took the address with
 * it. Giving up puts the addon back to `assigned` with its `cancel_at` kept: the next lifecycle run
 * tries again.
 */
export function addonReleaseJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & Partial<Pick<Deps, 'logger'>> & { taskTimeoutMs: number },
): JobDefinition<{ serverAddonId: string }> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.addonRelease,
    version: 1,
    parse: p => requireStrings(p, ['serverAddonId']),
    async handler(ctx) {
      const a = await deps.db
        .selectFrom('server_addons')
        .innerJoin('servers', 'servers.id', 'server_addons.server_id')
        .select([
          'server_addons.status',
          'server_addons.assigned_value',
          'server_addons.server_id',
          'servers.id_solusvm',
        ])
        .where('server_addons.id', '=', ctx.payload.serverAddonId)
        .executeTakeFirstOrThrow()
      // Released meanwhile (its server was terminated) or taken over by an operator.
      if (a.status !== 'releasing') return ctx.finish(async () => {})
      const vmId = a.id_solusvm
      if (vmId !== null && a.assigned_value !== '') {
        const taskId = await ctx.step('release', async () => (await deps.solusvm.removeIpv4(vmId, a.assigned_value)).id)
        await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
      }
      await ctx.finish(async trx => {
        const now = deps.clock.now()
        const server = await trx
          .selectFrom('servers')
          .select('extra_ips')
          .where('id', '=', a.server_id)
          .forUpdate()
          .executeTakeFirstOrThrow()
        // Not required: the server's termination may have released it first, and that is the same end.
        await moveServerAddon(trx, ctx.payload.serverAddonId, {
          from: 'releasing',
          to: 'released',
          now,
          reason: 'cancelled',
        })
        if (server.extra_ips.includes(a.assigned_value)) {
          await trx
            .updateTable('servers')
            .set({ extra_ips: server.extra_ips.filter(ip => ip !== a.assigned_value), updated_at: now })
            .where('id', '=', a.server_id)
            .execute()
        }
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await moveServerAddon(trx, payload.serverAddonId, { from: 'releasing', to: 'assigned', now: deps.clock.now() })
      logger.error(
        { serverAddonId: payload.serverAddonId, reason },
        'could not remove a cancelled addon IP at SolusVM; it is assigned again and the next lifecycle run tries again',
      )
    },
    async onRetry(trx, payload) {
      await moveServerAddon(trx, payload.serverAddonId, { from: 'assigned', to: 'releasing', now: deps.clock.now() })
    },
  }
}
