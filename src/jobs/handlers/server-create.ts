import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { moveOrder } from '../../domain/state/orders.ts'
import { moveServer } from '../../domain/state/servers.ts'
import { recordPeriod } from '../../domain/billing/periods.ts'
import { TERM_HOURS } from '../../domain/billing/pricing.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/** The reference oxbill writes into SolusVM, so a create retried after a lost response finds the first VM. */
export const serverReference = (serverId: string): string => `oxbill:server:${serverId}`

/** Creates the VM of a new-server order at SolusVM, waits until it runs, records its id and IP. */
export function serverCreateJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & { startTimeoutMs: number },
): JobDefinition<{ serverId: string; orderId: string }> {
  return {
    kind: JobKind.serverCreate,
    version: 1,
    parse: p => requireStrings(p, ['serverId', 'orderId']),
    async handler(ctx) {
      const server = await deps.db
        .selectFrom('servers')
        .innerJoin('vps_plans', 'vps_plans.id', 'servers.plan_id')
        .innerJoin('os_images', 'os_images.id', 'servers.os_image_id')
        .innerJoin('locations', 'locations.id', 'servers.location_id')
        .select([
          'servers.id',
          'servers.name',
          'vps_plans.solusvm_plan_id',
          'os_images.solusvm_os_version_id',
          'locations.solusvm_location_id',
        ])
        .where('servers.id', '=', ctx.payload.serverId)
        .executeTakeFirstOrThrow()
      const reference = serverReference(server.id)
      const vmId = await ctx.step('create', async () => {
        const existing = await deps.solusvm.findServerByReference(reference)
        // A VM left over from a failed attempt (it never started) is replaced, not reused.
        if (existing && !existing.isProcessing && existing.status !== 'started') {
          const task = await deps.solusvm.deleteServer(existing.id)
          await deps.solusvm.waitForTask(task.id, deps.startTimeoutMs)
        } else if (existing) {
          return existing.id
        }
        const password = await ctx.secret()
        if (password === null) {
          throw new AppError('internal_error', 'the root password is gone; cannot create the server')
        }
        const created = await deps.solusvm.createServer({
          reference,
          hostname: server.name,
          planId: server.solusvm_plan_id,
          locationId: server.solusvm_location_id,
          osVersionId: server.solusvm_os_version_id,
          password,
        })
        return created.id
      })
      const vm = await deps.solusvm.waitUntilStarted(vmId, deps.startTimeoutMs)
      await ctx.finish(async trx => {
        const order = await trx
          .selectFrom('orders')
          .select(['user_id', 'amount_cents', 'hours'])
          .where('id', '=', ctx.payload.orderId)
          .executeTakeFirstOrThrow()
        const term = await trx
          .selectFrom('servers')
          .select(['expire_date', 'plan_id'])
          .where('id', '=', server.id)
          .executeTakeFirstOrThrow()
        // The term was set when the order was paid; the period is the one it bought.
        const startsAt = new Date(term.expire_date.getTime() - (order.hours ?? TERM_HOURS) * 3600_000)
        await recordPeriod(trx, {
          userId: order.user_id,
          serviceKind: 'server',
          serviceId: server.id,
          orderId: ctx.payload.orderId,
          kind: 'term',
          planId: term.plan_id,
          startsAt,
          endsAt: term.expire_date,
          amount: order.amount_cents,
        })
        await moveServer(trx, server.id, {
          from: 'provisioning',
          to: 'active',
          set: {
            id_solusvm: vm.id,
            solusvm_uuid: vm.uuid,
            primary_ip: vm.primaryIp,
            extra_ips: vm.ipv4.filter(ip => ip !== vm.primaryIp),
          },
          now: deps.clock.now(),
          required: true,
        })
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
      await moveServer(trx, payload.serverId, { from: 'provisioning', to: 'provision_failed', now: deps.clock.now() })
    },
    async onRetry(trx, payload) {
      await moveServer(trx, payload.serverId, { from: 'provision_failed', to: 'provisioning', now: deps.clock.now() })
    },
    secretName: 'root password',
    // The customer was shown this password with the order: a retry must create the VM with it.
    keepSecretOnFailure: true,
  }
}
