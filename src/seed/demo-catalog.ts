/**
 * The docs' world (docs/0xhost-compat.md: the order pages 3.9, 3.11, 3.14, 3.25, 3.26 and the plan list 3.2): plans "5" (12.99) and "7" (29.99; 2 vCPU,
 * 6 GiB, 40 GB SSD), OS images "13" and "6", location "Slovenia", the "IPv4 address" addon,
 * and two Plesk plans. The fake SolusVM in zero-setup mode is given the same catalog, so the
 * SolusVM ids here exist there.
 */
const GiB = 1024n ** 3n

export const DEMO_VPS_PLANS = [
  { id: '3', name: 'VPS Nano', price: '4.99', vcpu: 1, ramBytes: 1n * GiB, diskGb: 20, solusvmPlanId: 3 },
  { id: '5', name: 'VPS Start', price: '12.99', vcpu: 1, ramBytes: 2n * GiB, diskGb: 25, solusvmPlanId: 5 },
  { id: '7', name: 'VPS Pro', price: '29.99', vcpu: 2, ramBytes: 6n * GiB, diskGb: 40, solusvmPlanId: 7 },
  { id: '11', name: 'VPS Titan', price: '69.99', vcpu: 16, ramBytes: 32n * GiB, diskGb: 160, solusvmPlanId: 11 },
] as const

export const DEMO_OS_IMAGES = [
  { id: '13', name: 'Ubuntu', version: '24.04', solusvmVersionId: 13 },
  { id: '6', name: 'Ubuntu', version: '22.04', solusvmVersionId: 6 },
  { id: '7', name: 'Debian', version: '12', solusvmVersionId: 7 },
] as const

export const DEMO_LOCATIONS = [
  { id: 'slovenia', name: 'Slovenia', solusvmLocationId: 1 },
  { id: 'germany', name: 'Germany', solusvmLocationId: 2 },
] as const

export const DEMO_ADDONS = [
  { id: 'addon12345-6789-0123-4567-890123456789', name: 'IPv4 address', kind: 'ipv4', price: '3.99' },
] as const

/** plan234 costs what plan123 does, so the docs' renewal example (3 months → 29.97) is reproduced exactly. */
export const DEMO_PLESK_PLANS = [
  { id: 'plan123-4567-8901-2345-678901234567', name: 'Basic', pleskPlanName: 'Basic', price: '9.99' },
  { id: 'plan234-5678-9012-3456-789012345678', name: 'Basic Plus', pleskPlanName: 'Standard', price: '9.99' },
  { id: 'plan345-6789-0123-4567-890123456789', name: 'Pro', pleskPlanName: 'Pro', price: '19.99' },
] as const

/** The fake SolusVM's catalog in zero-setup mode, derived from the demo catalog. */
export function fakeSolusCatalog() {
  return {
    plans: DEMO_VPS_PLANS.map(p => ({
      id: p.solusvmPlanId,
      name: p.name,
      params: { vcpu: p.vcpu, ram: Number(p.ramBytes), disk: p.diskGb },
    })),
    locations: DEMO_LOCATIONS.map(l => ({ id: l.solusvmLocationId, name: l.name })),
    osImages: [
      {
        id: 1,
        name: 'Ubuntu',
        versions: [
          { id: 6, version: '22.04' },
          { id: 13, version: '24.04' },
        ],
      },
      { id: 2, name: 'Debian', versions: [{ id: 7, version: '12' }] },
    ],
  }
}
