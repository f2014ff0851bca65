import type { Deps } from '../../deps.ts'
import { runLifecycle } from '../../domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../domain/lifecycle/settings.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * The singleton lifecycle job (armed by the worker loop every LIFECYCLE_INTERVAL_MS): auto-renews
 * services about to expire and suspends expired ones. The jobs it writes (Plesk renewals,
 * suspensions) are claimed by the same worker loop like any other.
 */
export function servicesLifecycleJob(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'logger' | 'config'>>,
): JobDefinition<Record<string, never>> {
  const settings = lifecycleSettings(deps.config)
  return {
    kind: JobKind.servicesLifecycle,
    version: 1,
    parse: () => ({}),
    async handler(ctx) {
      const report = await runLifecycle({ db: deps.db, clock: deps.clock, logger: deps.logger ?? ctx.logger, settings })
      ctx.logger.info({ ...report, jobIds: report.jobIds.length }, 'services lifecycle ran')
      await ctx.finish(async () => {})
    },
    async onFailure() {},
    async onRetry() {},
  }
}
