/** Job kinds (STYLE rule 12: ids used as identifiers are exported constants). */
export const JobKind = {
  serverCreate: 'server.create',
  serverResize: 'server.resize',
  addonIpv4: 'addon.ipv4',
  pleskCreate: 'plesk.create',
  pleskRenew: 'plesk.renew',
  pleskCustomerCreate: 'plesk.customer.create',
} as const
export type JobKind = typeof JobKind[keyof typeof JobKind]
