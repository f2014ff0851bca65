/**
 * Usage samples (GET /API/services/usage_server) into chart rows. The API passes SolusVM's items
 * through as open objects (`time` plus measurement keys that depend on the specification), so
 * the series are chosen per specification where their meaning is known (the 0xhost CPU shape,
 * the memory percentage, read/write for disks and network) and fall back to every numeric key.
 */

export type UsageSpecification = 'cpu' | 'memory' | 'disk' | 'network'

export const USAGE_SPECIFICATIONS: readonly UsageSpecification[] = ['cpu', 'memory', 'disk', 'network']

/** The series worth drawing per specification; constants (cpu_count, memory_total) and counters are left out. */
const PREFERRED: Record<UsageSpecification, readonly string[]> = {
  cpu: ['load_average'],
  memory: ['memory_usage'],
  disk: ['read_kb', 'write_kb'],
  network: ['read_kb', 'write_kb'],
}

export interface UsageRow {
  readonly time: string
  readonly values: Readonly<Record<string, number>>
}

export interface UsageChart {
  readonly series: readonly string[]
  readonly rows: readonly UsageRow[]
}

export function usageChart(spec: UsageSpecification, items: readonly Record<string, unknown>[]): UsageChart {
  const rows: UsageRow[] = []
  const numericKeys = new Set<string>()
  for (const item of items) {
    const time = item['time']
    if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) continue
    const values: Record<string, number> = {}
    for (const [k, v] of Object.entries(item)) {
      if (k === 'time') continue
      if (typeof v === 'number' && Number.isFinite(v)) {
        values[k] = v
        numericKeys.add(k)
      }
    }
    rows.push({ time, values })
  }
  rows.sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
  const preferred = PREFERRED[spec].filter(k => numericKeys.has(k))
  const series = preferred.length > 0 ? preferred : [...numericKeys].sort()
  return { series, rows }
}
