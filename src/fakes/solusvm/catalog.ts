/**
 * Plans, locations and OS images the fake SolusVM offers. Units follow the 0xhost plan list that
 * mirrors SolusVM plans: `ram` in bytes, `disk` in GB.
 */
export interface FakePlan {
  id: number
  name: string
  params: { vcpu: number; ram: number; disk: number }
}

export interface FakeLocation {
  id: number
  name: string
  description?: string
}

export interface FakeOsImage {
  id: number
  name: string
  /** The *version* id is what `POST /servers {os}` expects. */
  versions: Array<{ id: number; version: string }>
}

export interface FakeCatalog {
  plans: FakePlan[]
  locations: FakeLocation[]
  osImages: FakeOsImage[]
}

const GiB = 1024 ** 3

const PLAN_SPECS: Array<[number, number, number]> = [
  // [vcpu, ram GiB, disk GB]
  [1, 1, 20],
  [1, 2, 40],
  [2, 2, 60],
  [2, 4, 80],
  [4, 8, 120],
  [4, 16, 160],
  [8, 16, 200],
  [8, 32, 320],
  [16, 32, 160],
  [16, 64, 640],
]

export const DEFAULT_CATALOG: FakeCatalog = {
  plans: PLAN_SPECS.map(([vcpu, ram, disk], i) => ({
    id: i + 1,
    name: `VPS ${i + 1}`,
    params: { vcpu, ram: ram * GiB, disk },
  })),
  locations: [
    { id: 1, name: 'Slovenia', description: 'Ljubljana' },
    { id: 2, name: 'Germany', description: 'Frankfurt' },
  ],
  osImages: [
    {
      id: 1,
      name: 'Ubuntu',
      versions: [
        { id: 6, version: '22.04' },
        { id: 13, version: '24.04' },
      ],
    },
    {
      id: 2,
      name: 'Debian',
      versions: [
        { id: 7, version: '12' },
        { id: 14, version: '13' },
      ],
    },
    { id: 3, name: 'AlmaLinux', versions: [{ id: 9, version: '9' }] },
  ],
}

/** Plan as SolusVM lists it (a subset of its fields). */
export function planJson(p: FakePlan): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    virtualization_type: 'kvm',
    storage_type: 'fb',
    image_format: 'qcow2',
    params: { ...p.params },
    limits: { network_total_traffic: { is_enabled: false, limit: 0, unit: 'GB' } },
    is_default: p.id === 1,
    is_visible: true,
  }
}

/** Location as SolusVM lists it (a subset of its fields). */
export function locationJson(l: FakeLocation): Record<string, unknown> {
  return { id: l.id, name: l.name, description: l.description ?? '', is_default: l.id === 1, is_visible: true }
}

/** OS image with its versions, as `GET /os_images` lists it. */
export function osImageJson(o: FakeOsImage): Record<string, unknown> {
  return {
    id: o.id,
    name: o.name,
    is_default: o.id === 1,
    is_visible: true,
    versions: o.versions.map((v, i) => ({
      id: v.id,
      position: i + 1,
      version: v.version,
      virtualization_type: 'kvm',
      os_image_id: o.id,
    })),
  }
}

/** Finds an OS image version by id across all images. */
export function findOsVersion(catalog: FakeCatalog, versionId: number): { image: FakeOsImage; version: string } | null {
  for (const image of catalog.osImages) {
    const v = image.versions.find(x => x.id === versionId)
    if (v) return { image, version: v.version }
  }
  return null
}
