import { systemClock, type Deps } from '../deps.ts'
import type { JobDefinition } from './types.ts'
import { serverCreateJob } from './handlers/server-create.ts'
import { serverResizeJob } from './handlers/server-resize.ts'
import { addonIpv4Job } from './handlers/addon-ipv4.ts'
import { pleskCreateJob } from './handlers/plesk-create.ts'
import { pleskRenewJob } from './handlers/plesk-renew.ts'
import { pleskCustomerCreateJob } from '../domain/plesk/plesk-customer-job.ts'
import { serverExtendJob } from './handlers/server-extend.ts'
import { paymentsReconcileJob } from './handlers/payments-reconcile.ts'
import { servicesLifecycleJob } from './handlers/services-lifecycle.ts'
import { serverSuspendJob } from './handlers/server-suspend.ts'
import { serverResumeJob } from './handlers/server-resume.ts'
import { pleskSuspendJob } from './handlers/plesk-suspend.ts'

/** Every job kind the worker can run, with its dependencies. */
export function jobDefinitions (deps: Pick<Deps, 'db' | 'solusvm' | 'plesk'> & Partial<Pick<Deps, 'clock' | 'oxapay' | 'logger' | 'config'>>, timeouts = { startTimeoutMs: 600_000, taskTimeoutMs: 600_000 }): JobDefinition<any>[] {
  return [
    serverCreateJob({ ...deps, startTimeoutMs: timeouts.startTimeoutMs }),
    serverResizeJob({ ...deps, clock: deps.clock ?? systemClock, taskTimeoutMs: timeouts.taskTimeoutMs }),
    addonIpv4Job(deps),
    pleskCreateJob(deps),
    pleskRenewJob({ ...deps, clock: deps.clock ?? systemClock }),
    pleskCustomerCreateJob(deps),
    serverExtendJob({ db: deps.db, clock: deps.clock ?? systemClock, jobMaxAttempts: deps.config?.jobMaxAttempts ?? 8 }),
    paymentsReconcileJob(deps),
    servicesLifecycleJob({ ...deps, clock: deps.clock ?? systemClock }),
    serverSuspendJob({ ...deps, taskTimeoutMs: timeouts.taskTimeoutMs }),
    serverResumeJob({ ...deps, taskTimeoutMs: timeouts.taskTimeoutMs }),
    pleskSuspendJob(deps),
  ]
}
