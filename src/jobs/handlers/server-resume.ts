import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { silentLogger } from '../../lib/logger.ts'
import { moveServer } from '../../domain/state/servers.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Resumes a suspended server at SolusVM once an extension paid for it, then marks it `active`.
 * Giving up leaves it `suspended` (the payment stands; an operator retries the job).
 */
export function serverResumeJob(
  deps: Pick<Deps, 'db' | 'solusvm' | 'clock'> & Partial<Pick<Deps, 'logger'>> & { taskTimeoutMs: number },
): JobDefinition<{ serverId: string }> {
  const logger = deps.logger ?? silentLogger
  return {
    kind: JobKind.serverResume,
    version: 1,
    parse: p => requireStrings(p, ['serverId']),
    async handler(ctx) {
      const { serverId } = ctx.payload
      const s = await deps.db
        .selectFrom('servers')
        .select(['id_solusvm', 'status'])
        .where('id', '=', serverId)
        .executeTakeFirstOrThrow()
      if (s.status === 'suspended' && s.id_solusvm !== null) {
        const vm = await deps.solusvm.getServer(s.id_solusvm)
        if (!vm) throw new AppError('provider_error', `SolusVM has no server ${s.id_solusvm}`)
        if (vm.isSuspended) {
          const taskId = await ctx.step('resume', async () => (await deps.solusvm.resumeServer(s.id_solusvm!)).id)
          await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
        }
      }
      await ctx.finish(async trx => {
        await moveServer(trx, serverId, { from: 'suspended', to: 'active', now: deps.clock.now() })
      })
    },
    async onFailure(_trx, _job, payload, reason) {
      logger.error(
        { serverId: payload.serverId, reason },
        'could not resume a paid server; it stays suspended until the job is retried',
      )
    },
    async onRetry() {},
  }
}
