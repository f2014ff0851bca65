/**
 * Injected faults of the fake SolusVM. A fault matches by method and path and is consumed
 * `times` times (once by default); request-level faults are taken when a request arrives,
 * `task-fail` / `start-fail` when that request creates a task or a server.
 */
export type FakeFaultKind = 'http500' | 'drop' | 'timeout' | 'lose-response' | 'exists' | 'task-fail' | 'start-fail'

export const FAULT_KINDS: readonly FakeFaultKind[] = [
  'http500',
  'drop',
  'timeout',
  'lose-response',
  'exists',
  'task-fail',
  'start-fail',
]

export interface FakeFault {
  /** HTTP method, case-insensitive; any when absent. */
  method?: string
  /** Exact path (with or without the /api/v1 prefix) or a pattern tested on both; any when absent. */
  path?: string | RegExp
  fault: FakeFaultKind
  /** How many requests it affects (default 1). */
  times?: number
}

const API_PREFIX = '/api/v1'

interface Armed {
  method?: string
  path?: string | RegExp
  fault: FakeFaultKind
  left: number
}

export class FaultBook {
  private armed: Armed[] = []

  /** Arms a fault; throws on an unknown kind so a typo in a test fails loudly. */
  add(f: FakeFault): void {
    if (!FAULT_KINDS.includes(f.fault)) throw new TypeError(`unknown fault '${String(f.fault)}'`)
    const left = f.times ?? 1
    if (!Number.isInteger(left) || left < 1) throw new TypeError('times must be a positive integer')
    this.armed.push({ method: f.method?.toUpperCase(), path: f.path, fault: f.fault, left })
  }

  clear(): void {
    this.armed = []
  }

  /** Consumes the first armed fault of one of `kinds` matching the request, oldest first. */
  take(method: string, pathname: string, kinds: readonly FakeFaultKind[]): FakeFaultKind | null {
    const relative = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) || '/' : pathname
    const index = this.armed.findIndex(
      a =>
        kinds.includes(a.fault) &&
        (a.method === undefined || a.method === method.toUpperCase()) &&
        matchPath(a.path, pathname, relative),
    )
    const hit = this.armed[index]
    if (hit === undefined) return null
    hit.left -= 1
    if (hit.left === 0) this.armed.splice(index, 1)
    return hit.fault
  }
}

function matchPath(want: string | RegExp | undefined, full: string, relative: string): boolean {
  if (want === undefined) return true
  if (typeof want === 'string') return want === full || want === relative
  // A /g or /y pattern keeps lastIndex between tests; reset it so matching stays repeatable.
  want.lastIndex = 0
  if (want.test(relative)) return true
  want.lastIndex = 0
  return want.test(full)
}

export { seededRandom, type SeededRandom } from '../kit/seeded-random.ts'
