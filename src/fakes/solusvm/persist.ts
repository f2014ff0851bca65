import type { FakeServerRecord, FakeStateDump, FakeTaskRecord } from './state.ts'

/**
 * The state file of the fake SolusVM: servers, tasks (absolute ms timestamps, so a create delay
 * that elapsed while the fake was down has elapsed on load), id and IP counters, and the PRNG state
 * so new UUIDs continue the sequence instead of repeating it. Root passwords are kept only as
 * SHA-256 digests (`passwordSha256`); the VNC password is the fake's own. Console tokens are not
 * kept (they last 5 minutes).
 */
export const SOLUSVM_STATE_FORMAT = 'oxbill-fake-solusvm'

export interface SolusVmFileState extends FakeStateDump {
  /** `SeededRandom.state()` of the fake's PRNG. */
  random: number
}

type Obj = Record<string, unknown>

const EFFECTS = [
  'create',
  'resize',
  'suspend',
  'resume',
  'delete',
  'ips',
  'ips_remove',
  'power',
  'reinstall',
  'password',
]

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isStr = (v: unknown): v is string => typeof v === 'string'
const isIntOrNull = (v: unknown): boolean => v === null || isInt(v)

function need(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invalid ${what}`)
}

/** Checks a state read from disk; throws on anything that would break the fake later. */
export function parseSolusVmState(raw: unknown): SolusVmFileState {
  need(isObj(raw), 'state')
  const r = raw as Obj
  need(Array.isArray(r.servers) && Array.isArray(r.tasks), 'servers/tasks')
  need(isObj(r.counters), 'counters')
  const c = r.counters as Obj
  need(isInt(c.server) && isInt(c.task) && isInt(c.ip) && isInt(c.ipCursor) && c.ipCursor >= 0, 'counters')
  need(isInt(r.random), 'random')
  ;(r.servers as unknown[]).forEach((s, i) => checkServer(s, i))
  ;(r.tasks as unknown[]).forEach((t, i) => checkTask(t, i))
  return raw as SolusVmFileState
}

function checkServer(v: unknown, i: number): asserts v is FakeServerRecord {
  const what = `server #${i}`
  need(isObj(v), what)
  const s = v as Obj
  need(isInt(s.id) && isStr(s.uuid) && isStr(s.name) && isStr(s.description) && isStr(s.createdAt), what)
  need(Array.isArray(s.fqdns) && (s.fqdns as unknown[]).every(isStr), `${what} fqdns`)
  need(
    isInt(s.planId) &&
      isInt(s.locationId) &&
      isIntOrNull(s.osVersionId) &&
      isIntOrNull(s.userId) &&
      isIntOrNull(s.projectId),
    `${what} references`,
  )
  need(
    isStr(s.baseStatus) && typeof s.isSuspended === 'boolean' && (s.bootMode === 'disk' || s.bootMode === 'rescue'),
    `${what} status`,
  )
  need(isIntOrNull(s.busyTaskId), `${what} busyTaskId`)
  // Absent in files written before issue 13's rebuild.
  need(s.passwordSha256 === undefined || s.passwordSha256 === null || isStr(s.passwordSha256), `${what} password`)
  need(s.vncPassword === undefined || isStr(s.vncPassword), `${what} vncPassword`)
  need(
    Array.isArray(s.ipv4) &&
      (s.ipv4 as unknown[]).every(
        ip => isObj(ip) && isInt(ip.id) && isStr(ip.ip) && isInt(ip.blockId) && typeof ip.isPrimary === 'boolean',
      ),
    `${what} ipv4`,
  )
}

function checkTask(v: unknown, i: number): asserts v is FakeTaskRecord {
  const what = `task #${i}`
  need(isObj(v), what)
  const t = v as Obj
  need(
    isInt(t.id) && isStr(t.action) && isInt(t.serverId) && isStr(t.status) && isStr(t.output) && isNum(t.progress),
    what,
  )
  need(isNum(t.createdAtMs) && isNum(t.runningAtMs) && isNum(t.finishAtMs), `${what} times`)
  need(t.failOutput === null || isStr(t.failOutput), `${what} failOutput`)
  need(isObj(t.effect) && EFFECTS.includes(t.effect.kind as string), `${what} effect`)
  const e = t.effect as Obj
  need(
    (e.kind !== 'resize' || isInt(e.planId)) &&
      (e.kind !== 'ips' || isInt(e.count)) &&
      (e.kind !== 'ips_remove' || (Array.isArray(e.ids) && e.ids.every(isInt))) &&
      (e.kind !== 'power' || isStr(e.status)) &&
      (e.kind !== 'reinstall' || isInt(e.osVersionId)) &&
      (e.kind !== 'password' || isStr(e.passwordSha256)),
    `${what} effect`,
  )
}
