import { createHash, randomBytes } from 'node:crypto'
import { findOsVersion, locationJson, planJson, type FakeCatalog, type FakePlan } from './catalog.ts'
import type { SolusServerStatus, SolusTaskStatus } from '../../integrations/solusvm/types.ts'

/**
 * In-memory servers and tasks of the fake SolusVM. Time is evaluated lazily: `tick()` (run on
 * every request and snapshot) moves tasks along by the clock and applies a task's side effect
 * once it reaches `done`, so no timers outlive the server.
 */
export interface FakeIp {
  id: number
  ip: string
  blockId: number
  isPrimary: boolean
}

export interface FakeServerRecord {
  id: number
  uuid: string
  name: string
  description: string
  fqdns: string[]
  planId: number
  locationId: number
  osVersionId: number | null
  userId: number | null
  projectId: number | null
  /** Status once no task runs; while one does the API reports `processing`. */
  baseStatus: SolusServerStatus
  isSuspended: boolean
  bootMode: 'disk' | 'rescue'
  ipv4: FakeIp[]
  createdAt: string
  busyTaskId: number | null
  /**
   * SHA-256 (hex) of the root password the server was created, reinstalled or reset with: tests
   * compare it with the password they expect; the fake never keeps the password itself.
   */
  passwordSha256?: string | null
  /** The VNC password GET /servers/{id} shows in `settings.vnc_password`. */
  vncPassword?: string
}

/** SHA-256 (hex) of a root password, as `passwordSha256` keeps it. */
export const passwordDigest = (password: string): string => createHash('sha256').update(password, 'utf8').digest('hex')

/** How long a `vnc_up` console link is valid (panel-actions.md §1.4: minted per request). */
export const VNC_TTL_MS = 5 * 60_000

export type FakeTaskEffect =
  | { kind: 'create' }
  | { kind: 'resize'; planId: number }
  | { kind: 'suspend' }
  | { kind: 'resume' }
  | { kind: 'delete' }
  | { kind: 'ips'; count: number }
  /** Additional IPv4s removed by id (`DELETE /servers/{id}/ips`). */
  | { kind: 'ips_remove'; ids: number[] }
  /** start, stop (graceful, or `forced` with `{"force": true}`), restart: the power state after the task. */
  | { kind: 'power'; status: SolusServerStatus; forced?: boolean }
  /** A reinstall: the new image, and the digest of the password it was sent (null: none sent). */
  | { kind: 'reinstall'; osVersionId: number; passwordSha256: string | null }
  /** An e-mailed password reset (vm-password-change): the new password's digest; the owner got a mail. */
  | { kind: 'password'; passwordSha256: string }

export interface FakeTaskRecord {
  id: number
  action: string
  serverId: number
  status: SolusTaskStatus
  output: string
  progress: number
  createdAtMs: number
  runningAtMs: number
  finishAtMs: number
  /** Output of a failure decided when the task was created (fault injection), else null. */
  failOutput: string | null
  effect: FakeTaskEffect
}

/**
 * What arrived over a server's VNC console (the fake's RFB endpoint, vnc.ts), so tests can assert
 * what the browser's noVNC sent. In memory only, like the console tokens.
 */
export interface FakeVncRecord {
  /** Sessions that passed VNC authentication. */
  sessions: number
  /** Sessions refused by VNC authentication (a wrong password). */
  authFailures: number
  /** Delete pressed while a Control and an Alt key were held (noVNC's sendCtrlAltDel()). */
  ctrlAltDel: number
  /** Key presses (down events), by keysym. */
  keysDown: number[]
  pointerEvents: number
  /** The last ClientCutText (clipboard) text. */
  cutText: string | null
  framebufferUpdates: number
}

/** Plain data of the state, as the state file keeps it. */
export interface FakeStateDump {
  servers: FakeServerRecord[]
  tasks: FakeTaskRecord[]
  counters: { server: number; task: number; ip: number; ipCursor: number }
}

export interface FakeStateOptions {
  catalog: FakeCatalog
  createDelayMs: number
  taskDelayMs: number
  random: () => number
  now?: () => number
}

const IP_BLOCKS = [
  { id: 1, name: 'TEST-NET-1', prefix: '192.0.2.' },
  { id: 2, name: 'TEST-NET-2', prefix: '198.51.100.' },
  { id: 3, name: 'TEST-NET-3', prefix: '203.0.113.' },
]
// .1 is each block's gateway and .255 its broadcast address.
const IP_POOL = IP_BLOCKS.flatMap(b =>
  Array.from({ length: 253 }, (_, i) => ({ blockId: b.id, ip: `${b.prefix}${i + 2}` })),
)

export class FakeState {
  readonly servers = new Map<number, FakeServerRecord>()
  readonly tasks = new Map<number, FakeTaskRecord>()
  /** Console tokens minted by vnc_up: server and expiry (fake clock). Not kept in the state file. */
  readonly consoles = new Map<string, { serverId: number; expiresAtMs: number }>()
  /** What each server's VNC console received (see FakeVncRecord). Not kept in the state file. */
  readonly vnc = new Map<number, FakeVncRecord>()
  private nextServerId = 1
  private nextTaskId = 1
  private nextIpId = 1
  private ipCursor = 0
  private readonly usedIps = new Set<string>()
  readonly now: () => number

  constructor(private readonly opts: FakeStateOptions) {
    this.now = opts.now ?? Date.now
  }

  get catalog(): FakeCatalog {
    return this.opts.catalog
  }

  plan(id: number): FakePlan | undefined {
    return this.opts.catalog.plans.find(p => p.id === id)
  }

  /** Moves every task along the clock; finished tasks apply their effect exactly once. */
  tick(): void {
    const now = this.now()
    const due = [...this.tasks.values()]
      .filter(t => isOpen(t.status))
      .sort((a, b) => a.finishAtMs - b.finishAtMs || a.id - b.id)
    for (const task of due) {
      if (now >= task.finishAtMs) this.finish(task)
      else if (now >= task.runningAtMs) {
        task.status = 'running'
        task.progress = Math.min(
          99,
          Math.floor(((now - task.runningAtMs) / Math.max(1, task.finishAtMs - task.runningAtMs)) * 100),
        )
      }
    }
  }

  /** The state as plain data (live references: serialise before the next request). */
  dump(): FakeStateDump {
    return {
      servers: [...this.servers.values()],
      tasks: [...this.tasks.values()],
      counters: { server: this.nextServerId, task: this.nextTaskId, ip: this.nextIpId, ipCursor: this.ipCursor },
    }
  }

  /** Replaces the state with a dump, then ticks so time spent while the fake was down counts. */
  restore(d: FakeStateDump): void {
    this.servers.clear()
    this.tasks.clear()
    this.usedIps.clear()
    // Files written before issue 13's rebuild have no VNC password: give those servers one.
    for (const s of d.servers) {
      this.servers.set(s.id, { ...s, vncPassword: s.vncPassword ?? randomBytes(6).toString('hex') })
    }
    for (const t of d.tasks) this.tasks.set(t.id, t)
    const ips = d.servers.flatMap(s => s.ipv4)
    for (const ip of ips) this.usedIps.add(ip.ip)
    // Never below what the data implies, so even a hand-edited file cannot make ids collide.
    this.nextServerId = above(d.counters.server, d.servers)
    this.nextTaskId = above(d.counters.task, d.tasks)
    this.nextIpId = above(d.counters.ip, ips)
    this.ipCursor = d.counters.ipCursor % IP_POOL.length
    this.tick()
  }

  /** Free IPv4 addresses left in the pool. */
  freeIps(): number {
    return IP_POOL.length - this.usedIps.size
  }

  /** Creates a server in `processing` with its vm-create task; `failOutput` makes it end `stopped`. */
  createServer(
    input: Omit<
      FakeServerRecord,
      'id' | 'uuid' | 'baseStatus' | 'isSuspended' | 'ipv4' | 'createdAt' | 'busyTaskId' | 'vncPassword'
    >,
    ipCount: number,
    failOutput: string | null,
  ): FakeServerRecord | null {
    if (this.freeIps() < ipCount) return null
    const server: FakeServerRecord = {
      ...input,
      id: this.nextServerId++,
      uuid: this.uuid(),
      baseStatus: 'stopped',
      isSuspended: false,
      ipv4: [],
      createdAt: microIso(this.now()),
      busyTaskId: null,
      vncPassword: randomBytes(6).toString('hex'),
    }
    // SolusVM assigns addresses at once: the 201 body already carries the primary IP.
    for (let i = 0; i < ipCount; i++) server.ipv4.push(this.allocIp(i === 0))
    this.servers.set(server.id, server)
    this.startTask(server, 'vm-create', { kind: 'create' }, failOutput, this.opts.createDelayMs)
    return server
  }

  /** Queues a task on a server and marks the server busy until the task finishes. */
  startTask(
    server: FakeServerRecord,
    action: string,
    effect: FakeTaskEffect,
    failOutput: string | null,
    delayMs = this.opts.taskDelayMs,
  ): FakeTaskRecord {
    const now = this.now()
    const task: FakeTaskRecord = {
      id: this.nextTaskId++,
      action,
      serverId: server.id,
      status: 'pending',
      output: '',
      progress: 0,
      createdAtMs: now,
      runningAtMs: now + Math.floor(delayMs / 4),
      finishAtMs: now + delayMs,
      failOutput,
      effect,
    }
    this.tasks.set(task.id, task)
    server.busyTaskId = task.id
    return task
  }

  private finish(task: FakeTaskRecord): void {
    const server = this.servers.get(task.serverId)
    task.progress = 100
    if (task.failOutput !== null) {
      task.status = 'failed'
      task.output = task.failOutput
      if (server && task.effect.kind === 'create') server.baseStatus = 'stopped'
    } else if (server) {
      const problem = this.apply(server, task.effect)
      task.status = problem === null ? 'done' : 'failed'
      task.output = problem ?? `${task.action} finished`
    } else {
      task.status = 'failed'
      task.output = 'Server no longer exists.'
    }
    if (server && server.busyTaskId === task.id) server.busyTaskId = null
  }

  /** Applies a finished task's side effect; returns a failure text or null. */
  private apply(server: FakeServerRecord, effect: FakeTaskEffect): string | null {
    switch (effect.kind) {
      case 'create':
        server.baseStatus = 'started'
        return null
      case 'resize':
        server.planId = effect.planId
        return null
      case 'suspend':
        server.isSuspended = true
        return null
      case 'resume':
        server.isSuspended = false
        return null
      case 'power':
        server.baseStatus = effect.status
        return null
      case 'delete':
        for (const ip of server.ipv4) this.usedIps.delete(ip.ip)
        this.servers.delete(server.id)
        return null
      case 'ips_remove':
        for (const ip of server.ipv4.filter(a => effect.ids.includes(a.id))) this.usedIps.delete(ip.ip)
        server.ipv4 = server.ipv4.filter(a => !effect.ids.includes(a.id))
        return null
      case 'reinstall':
        server.osVersionId = effect.osVersionId
        if (effect.passwordSha256 !== null) server.passwordSha256 = effect.passwordSha256
        // A fresh system boots from its disk.
        server.baseStatus = 'started'
        return null
      case 'password':
        server.passwordSha256 = effect.passwordSha256
        return null
      case 'ips':
        if (this.freeIps() < effect.count) return 'No free IP addresses are left in the IP blocks of the location.'
        for (let i = 0; i < effect.count; i++) server.ipv4.push(this.allocIp(server.ipv4.length === 0))
        return null
    }
  }

  private allocIp(isPrimary: boolean): FakeIp {
    // A moving cursor delays reuse of a released address, as a real pool would.
    for (let n = 0; n < IP_POOL.length; n++) {
      const slot = IP_POOL[(this.ipCursor + n) % IP_POOL.length]!
      if (!this.usedIps.has(slot.ip)) {
        this.ipCursor = (this.ipCursor + n + 1) % IP_POOL.length
        this.usedIps.add(slot.ip)
        return { id: this.nextIpId++, ip: slot.ip, blockId: slot.blockId, isPrimary }
      }
    }
    throw new Error('IP pool exhausted')
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.opts.random() * 16).toString(16)).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }

  /** Mints a console token for `vnc_up`, valid VNC_TTL_MS on the fake's clock. */
  openConsole(server: FakeServerRecord): string {
    const token = randomBytes(16).toString('hex')
    this.consoles.set(token, { serverId: server.id, expiresAtMs: this.now() + VNC_TTL_MS })
    return token
  }

  /** The server a console token opens, or null when unknown, expired or its server is gone. */
  consoleServer(token: string): FakeServerRecord | null {
    const c = this.consoles.get(token)
    if (!c || this.now() > c.expiresAtMs) return null
    return this.servers.get(c.serverId) ?? null
  }

  /**
   * Spends a console token at the websocket's upgrade: the server it opens, or null when unknown,
   * expired, already spent or its server is gone. One use, as a `vnc_up` link is minted per
   * session: a link seen in a log or a history cannot open a second session.
   */
  takeConsole(token: string): FakeServerRecord | null {
    const server = this.consoleServer(token)
    this.consoles.delete(token)
    return server
  }

  /** The VNC record of a server, created empty on first use. */
  vncRecord(serverId: number): FakeVncRecord {
    let r = this.vnc.get(serverId)
    if (!r) {
      r = {
        sessions: 0,
        authFailures: 0,
        ctrlAltDel: 0,
        keysDown: [],
        pointerEvents: 0,
        cutText: null,
        framebufferUpdates: 0,
      }
      this.vnc.set(serverId, r)
    }
    return r
  }

  /** The server as `GET /servers/{id}` returns it: both IP shapes, plan, location, specifications. */
  serverJson(s: FakeServerRecord): Record<string, unknown> {
    const plan = this.plan(s.planId)
    const location = this.opts.catalog.locations.find(l => l.id === s.locationId)
    const os = s.osVersionId === null ? null : findOsVersion(this.opts.catalog, s.osVersionId)
    const block = (id: number): Record<string, unknown> => ({
      id,
      name: IP_BLOCKS.find(b => b.id === id)?.name ?? '',
      type: 'IPv4',
    })
    return {
      id: s.id,
      uuid: s.uuid,
      name: s.name,
      description: s.description,
      virtualization_type: 'kvm',
      status: s.busyTaskId !== null ? 'processing' : s.baseStatus,
      is_processing: s.busyTaskId !== null,
      is_suspended: s.isSuspended,
      boot_mode: s.bootMode,
      specifications: plan ? { ...plan.params } : null,
      fqdns: [...s.fqdns],
      ip_addresses: {
        ipv4: s.ipv4.map(ip => ({
          id: ip.id,
          ip: ip.ip,
          is_primary: ip.isPrimary,
          gateway: ip.ip.replace(/\d+$/, '1'),
          netmask: '255.255.255.0',
          ip_block: block(ip.blockId),
        })),
        ipv6: { id: s.id, primary_ip: `2001:db8:${s.id.toString(16)}::1`, range: `2001:db8:${s.id.toString(16)}::/64` },
      },
      ips: s.ipv4.map(ip => ({ id: ip.id, ip: ip.ip, is_primary: ip.isPrimary, ip_block: block(ip.blockId) })),
      location: location ? locationJson(location) : null,
      plan: plan ? planJson(plan) : null,
      os_image_version: os
        ? { id: s.osVersionId, version: os.version, os_image: { id: os.image.id, name: os.image.name } }
        : null,
      user: s.userId === null ? null : { id: s.userId, email: `user${s.userId}@example.test` },
      project: s.projectId === null ? null : { id: s.projectId, name: 'Default Project' },
      usage: { cpu: 0, network: { incoming: { value: 0 }, outgoing: { value: 0 } } },
      backup_settings: { enabled: false },
      settings: { vnc_password: s.vncPassword ?? '' },
      ssh_keys: [],
      created_at: s.createdAt,
    }
  }

  /** The task as `GET /tasks/{id}` returns it. */
  taskJson(t: FakeTaskRecord): Record<string, unknown> {
    const end = isOpen(t.status) ? this.now() : t.finishAtMs
    return {
      id: t.id,
      compute_resource_id: 1,
      compute_resource_vm_id: t.serverId,
      queue: 'compute-resource-1',
      action: t.action,
      status: t.status,
      output: t.output,
      progress: t.progress,
      duration: Math.max(0, Math.round((end - t.createdAtMs) / 1000)),
      created_at: microIso(t.createdAtMs),
      updated_at: microIso(Math.min(end, this.now())),
    }
  }
}

/** True while a task is pending, queued or running. */
export function isOpen(status: SolusTaskStatus): boolean {
  return status === 'pending' || status === 'queued' || status === 'running'
}

/** The next free id: at least `floor`, above every id in `items`. */
function above(floor: number, items: ReadonlyArray<{ id: number }>): number {
  return items.reduce((next, x) => Math.max(next, x.id + 1), floor)
}

/** Laravel's timestamp format: ISO-8601 with microseconds. */
function microIso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z')
}
