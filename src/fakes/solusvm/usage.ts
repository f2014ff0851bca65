import type { FakePlan } from './catalog.ts'

/**
 * Usage graphs of the fake SolusVM. The CPU shape follows the 0xhost example
 * (`{name:"CPU", interval:{value:4, measurement:"second"}, items:[{load_average, cpu_time, cpu_count, time}]}`);
 * memory, disks and network are analogous guesses. Values are a pure function of the server id and
 * the time slot, so two calls in one slot answer the same.
 */
export type FakeUsageType = 'cpu' | 'memory' | 'disks' | 'network'

export const USAGE_TYPES: readonly FakeUsageType[] = ['cpu', 'memory', 'disks', 'network']

const INTERVAL_S = 4
const POINTS = 20
const NAMES: Record<FakeUsageType, string> = { cpu: 'CPU', memory: 'Memory', disks: 'Disks', network: 'Network' }

/** Builds the usage series of one server; `plan` sizes the CPU count and memory total. */
export function usageSeries(
  serverId: number,
  type: FakeUsageType,
  plan: FakePlan | undefined,
  nowMs: number,
): Record<string, unknown> {
  const lastSlot = Math.floor(nowMs / 1000 / INTERVAL_S)
  const vcpu = plan?.params.vcpu ?? 1
  const ram = plan?.params.ram ?? 1024 ** 3
  const items = Array.from({ length: POINTS }, (_, i) => {
    const slot = lastSlot - (POINTS - 1 - i)
    const r = noise(serverId, slot)
    const time = new Date(slot * INTERVAL_S * 1000).toISOString()
    switch (type) {
      case 'cpu':
        return {
          load_average: round(r * vcpu * 0.8, 2),
          cpu_time: round(slot * INTERVAL_S * vcpu * 0.05 + r, 2),
          cpu_count: vcpu,
          time,
        }
      case 'memory':
        return {
          memory_total: ram,
          memory_used: Math.round(ram * (0.2 + r * 0.5)),
          memory_usage: round((0.2 + r * 0.5) * 100, 2),
          time,
        }
      case 'disks':
        return { read_kb: round(r * 2048, 2), write_kb: round(noise(serverId + 7919, slot) * 1024, 2), time }
      case 'network':
        return { read_kb: round(r * 512, 2), write_kb: round(noise(serverId + 104729, slot) * 256, 2), time }
      default:
        throw new TypeError(`unknown usage type '${String(type)}'`)
    }
  })
  return { name: NAMES[type], interval: { value: INTERVAL_S, measurement: 'second' }, items }
}

/** Deterministic value in [0, 1) from two integers. */
function noise(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296
}

const round = (v: number, digits: number): number => Number(v.toFixed(digits))
