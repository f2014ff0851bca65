/**
 * Fault injection for the fake Plesk. A fault applies to the next request(s) whose packet
 * contains `operation` (`operator.operation`, e.g. 'webspace.add'), or to any agent request
 * when `operation` is omitted.
 */
export type FakeFaultKind = 'http500' | 'drop' | 'timeout' | 'lose-response' | 'exists' | 'error'

export const FAULT_KINDS: readonly FakeFaultKind[] = ['http500', 'drop', 'timeout', 'lose-response', 'exists', 'error']

export interface FakeFault {
  operation?: string
  fault: FakeFaultKind
  /** For 'error': the errcode to answer (default 1023, operation failed). */
  errcode?: number
  /** How many matching requests it affects (default 1). */
  times?: number
}

interface ArmedFault extends FakeFault {
  remaining: number
}

export class FaultBook {
  private faults: ArmedFault[] = []

  add(f: FakeFault): void {
    if (!FAULT_KINDS.includes(f.fault)) throw new Error(`unknown fault '${String(f.fault)}'`)
    const times = f.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer')
    if (f.errcode !== undefined && !Number.isInteger(f.errcode)) throw new Error('errcode must be an integer')
    this.faults.push({ ...f, remaining: times })
  }

  clear(): void {
    this.faults = []
  }

  /** Takes (and counts down) the first fault matching one of the packet's operations. */
  take(operations: readonly string[]): FakeFault | null {
    const idx = this.faults.findIndex(f => f.operation === undefined || operations.includes(f.operation))
    if (idx < 0) return null
    const f = this.faults[idx]!
    f.remaining -= 1
    if (f.remaining <= 0) this.faults.splice(idx, 1)
    return { operation: f.operation, fault: f.fault, errcode: f.errcode }
  }

  /** Parses the JSON body of `POST /__fake/faults`. */
  static fromJson(body: string): FakeFault {
    const raw = JSON.parse(body) as Record<string, unknown>
    if (typeof raw !== 'object' || raw === null) throw new Error('expected a JSON object')
    const f: FakeFault = { fault: raw.fault as FakeFaultKind }
    if (raw.operation !== undefined) {
      if (typeof raw.operation !== 'string') throw new Error('operation must be a string')
      f.operation = raw.operation
    }
    if (raw.errcode !== undefined) f.errcode = Number(raw.errcode)
    if (raw.times !== undefined) f.times = Number(raw.times)
    return f
  }
}
