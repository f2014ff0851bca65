import { systemClock, type Deps } from '../deps.ts'
import type { JobDefinition } from '../outbox/types.ts'
import { serverCreateJob } from './handlers/server-create.ts'
import { serverResizeJob } from './handlers/server-resize.ts'
import { addonIpv4Job } from './handlers/addon-ipv4.ts'
import { addonReleaseJob } from './handlers/addon-release.ts'
import { pleskCreateJob } from './handlers/plesk-create.ts'
import { pleskRenewJob } from './handlers/plesk-renew.ts'
import { pleskCustomerCreateJob } from './handlers/plesk-customer-create.ts'
import { serverExtendJob } from './handlers/server-extend.ts'
import { paymentsReconcileJob } from './handlers/payments-reconcile.ts'
import { servicesLifecycleJob } from './handlers/services-lifecycle.ts'
import { serverSuspendJob } from './handlers/server-suspend.ts'
import { serverResumeJob } from './handlers/server-resume.ts'
import { pleskSuspendJob } from './handlers/plesk-suspend.ts'
import { serverPowerJob } from './handlers/server-power.ts'
import { serverRebuildJob } from './handlers/server-rebuild.ts'
import { serverTerminateJob } from './handlers/server-terminate.ts'
import { pleskTerminateJob } from './handlers/plesk-terminate.ts'
import { pleskActionJob } from './handlers/plesk-action.ts'
import { authMailJob } from './handlers/auth-mail.ts'

/** Every job kind the worker can run, with its dependencies. */
export function jobDefinitions(
  deps: Pick<Deps, 'db' | 'solusvm' | 'plesk'> &
    Partial<Pick<Deps, 'clock' | 'oxapay' | 'logger' | 'config' | 'mailer'>>,
  timeouts = { startTimeoutMs: 600_000, taskTimeoutMs: 600_000 },
): JobDefinition<any>[] {
  // One business clock for every handler (tests move it); the runner's leases keep wall time.
  const d = { ...deps, clock: deps.clock ?? systemClock }
  return [
    serverCreateJob({ ...d, startTimeoutMs: timeouts.startTimeoutMs }),
    serverResizeJob({ ...d, taskTimeoutMs: timeouts.taskTimeoutMs }),
    addonIpv4Job(d),
    addonReleaseJob({ ...d, taskTimeoutMs: timeouts.taskTimeoutMs }),
    pleskCreateJob(d),
    pleskRenewJob(d),
    pleskCustomerCreateJob(d),
    serverExtendJob({ db: d.db, clock: d.clock, jobMaxAttempts: d.config?.jobMaxAttempts ?? 8 }),
    paymentsReconcileJob(d),
    servicesLifecycleJob(d),
    serverSuspendJob({ ...d, taskTimeoutMs: timeouts.taskTimeoutMs }),
    serverResumeJob({ ...d, taskTimeoutMs: timeouts.taskTimeoutMs }),
    pleskSuspendJob(d),
    serverPowerJob({ ...d, taskTimeoutMs: timeouts.taskTimeoutMs }),
    serverRebuildJob({ ...d, taskTimeoutMs: timeouts.taskTimeoutMs }),
    serverTerminateJob({ ...d, taskTimeoutMs: timeouts.taskTimeoutMs }),
    pleskTerminateJob(d),
    pleskActionJob(d),
    ...(d.config && d.logger ? [authMailJob({ config: d.config, logger: d.logger, mailer: d.mailer })] : []),
  ]
}
