/** Job kinds (STYLE rule 12: ids used as identifiers are exported constants). */
export const JobKind = {
  serverCreate: 'server.create',
  serverResize: 'server.resize',
  addonIpv4: 'addon.ipv4',
  /** Removes a cancelled addon's extra IPv4 at SolusVM. */
  addonRelease: 'addon.release',
  pleskCreate: 'plesk.create',
  pleskRenew: 'plesk.renew',
  pleskCustomerCreate: 'plesk.customer.create',
  /** Extends a server's term; only crypto extensions have a job (balance ones complete at once). */
  serverExtend: 'server.extend',
  /** Polls OxaPay for open payments and cancels orders whose invoice expired (singleton). */
  paymentsReconcile: 'payments.reconcile',
  /** Auto-renews services about to expire and suspends expired ones (singleton). */
  servicesLifecycle: 'services.lifecycle',
  /** Suspends an expired server at SolusVM. */
  serverSuspend: 'server.suspend',
  /** Resumes a suspended server at SolusVM once an extension paid for it. */
  serverResume: 'server.resume',
  /** Runs a customer's power action (start, stop, shutdown, reboot) at SolusVM. */
  serverPower: 'server.power',
  /** Runs a reinstall, root password reset or rescue mode switch at SolusVM (issue 13 rebuild). */
  serverRebuild: 'server.rebuild',
  /** Deletes a server at SolusVM once the term its owner cancelled has ended. */
  serverTerminate: 'server.terminate',
  /** Deletes a Plesk subscription at Plesk once the term its owner cancelled has ended. */
  pleskTerminate: 'plesk.terminate',
  /** Suspends an expired Plesk subscription. */
  pleskSuspend: 'plesk.suspend',
  /** Runs a Plesk action: a customer's FTP password change, an operator's suspension or resumption. */
  pleskAction: 'plesk.action',
  /** Mails an account link (verification, password reset, "an account exists"); the link is the job's sealed secret. */
  authMail: 'auth_mail',
} as const
export type JobKind = (typeof JobKind)[keyof typeof JobKind]

/**
 * Job states. `blocked` is a job written with an order awaiting payment: the runner never claims
 * it; settlement moves it to `pending`, expiry to `cancelled`.
 */
export const JobState = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  failed: 'failed',
  blocked: 'blocked',
  cancelled: 'cancelled',
} as const
export type JobState = (typeof JobState)[keyof typeof JobState]
