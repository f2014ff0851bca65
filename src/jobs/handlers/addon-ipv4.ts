import type { Deps } from '../../deps.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { moveOrder } from '../../domain/state/orders.ts'
import { moveServerAddon } from '../../domain/state/servers.ts'
import { AppError } from '../../lib/errors.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Assigns an extra IPv4 to the server. The IPs the VM had before are memoized first, so a retry
 * after a lost response sees the new IP already there and does not add a second one.
 */
export function addonIpv4Job(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'>,
): JobDefinition<{ serverAddonId: string; orderId: string }> {
  return {
    kind: JobKind.addonIpv4,
    version: 1,
    parse: p => requireStrings(p, ['serverAddonId', 'orderId']),
    async handler(ctx) {
      const sa = await deps.db
        .selectFrom('server_addons')
        .innerJoin('servers', 'servers.id', 'server_addons.server_id')
        .select(['server_addons.id', 'server_addons.server_id', 'servers.id_solusvm'])
        .where('server_addons.id', '=', ctx.payload.serverAddonId)
        .executeTakeFirstOrThrow()
      const vmId = sa.id_solusvm
      if (vmId === null) throw new AppError('invalid_state', 'the server has no SolusVM id yet', { retryable: true })
      const before = await ctx.step('baseline', async () => {
        const vm = await deps.solusvm.getServer(vmId)
        if (!vm) throw new AppError('provider_error', `SolusVM has no server ${vmId}`)
        return vm.ipv4
      })
      const ip = await ctx.step('assign', async () => {
        const now = await deps.solusvm.getServer(vmId)
        const fresh = now?.ipv4.find(a => !before.includes(a))
        if (fresh) return fresh
        const after = await deps.solusvm.addIpv4(vmId)
        const added = after.ipv4.find(a => !before.includes(a))
        if (!added) {
          throw new AppError('provider_unavailable', 'SolusVM did not report the new IPv4 yet', { retryable: true })
        }
        return added
      })
      await ctx.finish(async trx => {
        const server = await trx
          .selectFrom('servers')
          .select(['extra_ips', 'primary_ip'])
          .where('id', '=', sa.server_id)
          .forUpdate()
          .executeTakeFirstOrThrow()
        // Each addon order delivers its own address (the unique index server_addons_one_ip backs this).
        const taken = await trx
          .selectFrom('server_addons')
          .select('id')
          .where('server_id', '=', sa.server_id)
          .where('status', '=', 'assigned')
          .where('assigned_value', '=', ip)
          .where('id', '!=', sa.id)
          .executeTakeFirst()
        if (taken || ip === server.primary_ip) {
          throw new AppError(
            'provider_error',
            `SolusVM reported ${ip}, which is already assigned on this server; the order is refunded`,
          )
        }
        await moveServerAddon(trx, sa.id, {
          from: 'unassigned',
          to: 'assigned',
          set: { assigned_value: ip },
          now: deps.clock.now(),
          required: true,
        })
        if (!server.extra_ips.includes(ip)) {
          await trx
            .updateTable('servers')
            .set({ extra_ips: [...server.extra_ips, ip], updated_at: deps.clock.now() })
            .where('id', '=', sa.server_id)
            .execute()
        }
        await moveOrder(trx, ctx.payload.orderId, {
          from: 'processing',
          to: 'completed',
          now: deps.clock.now(),
          required: true,
        })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await failAndRefundOrder(trx, payload.orderId, reason, deps.clock.now())
      await moveServerAddon(trx, payload.serverAddonId, { from: 'unassigned', to: 'failed', now: deps.clock.now() })
    },
    async onRetry(trx, payload) {
      await moveServerAddon(trx, payload.serverAddonId, { from: 'failed', to: 'unassigned', now: deps.clock.now() })
    },
  }
}
