/**
 * A fake SolusVM 2 master on loopback, speaking the real REST paths under /api/v1 (Bearer token,
 * `{data}` envelopes, Laravel-style errors and pagination, tasks that finish over time).
 *
 * Control endpoints (no auth, outside /api/v1, for dev and cross-process tests):
 *   POST   /__fake/faults   JSON {fault, method?, path?, pathPattern?, times?} → 204
 *          fault: http500 | drop | timeout | lose-response | exists | task-fail | start-fail
 *          path: exact path, with or without /api/v1; pathPattern: a RegExp source instead
 *   DELETE /__fake/faults   disarms every fault → 204
 *   GET    /__fake/state    {servers, tasks} as the API would show them → 200
 *
 * Faults: http500 = 500 without doing the work; drop = socket destroyed without doing the work;
 * timeout = never answered (until close); lose-response = the work is done, then the socket is
 * destroyed; exists = 422 "name has already been taken"; task-fail = the next task the request
 * creates ends `failed`; start-fail = the next server created ends processing `stopped` (its
 * vm-create task `failed`). `failRate` / `dropRate` apply to every /api/v1 request, before auth.
 *
 * `POST /servers/{id}/ips` answers with a task (`vm-add-ip`) and adds the address when the task
 * is done, like the other actions; `ipsImmediate: true` adds it at once and answers the server.
 * Usage graphs are served at `/servers/{id}/usage/{type}` and at `/usage/{type}/{uuid}`.
 *
 * Rebuild (issue 13, panel-actions.md §1): `POST /servers/{id}/reinstall {os, password?}` is a
 * `vm-reinstall` task that changes the image and the root password when done;
 * `POST /servers/{id}/reset_password` answers `{data: {password}}` at once (`resetPasswordMode:
 * 'password'`, the default, so zero-setup mode shows the customer a password: the fake sends no
 * mail) or a `vm-password-change` task (`'email'`); `POST /servers/{id}/vnc_up` answers a
 * top-level `url` token valid 5 minutes (only for a started server), which
 * `GET /vnc?url=<token>` (outside /api/v1) checks it without spending it: 200 while valid, 403
 * once expired or unknown. A websocket upgrade at that address spends the token and speaks real
 * RFB 3.8 with VNC Authentication (vnc.ts); `vnc(id)` shows what each console received. Root
 * passwords are kept as SHA-256 digests only.
 *
 * `stateFile` keeps servers, tasks and counters across restarts (see fake-persist.ts); armed faults
 * are not kept. A state file's PRNG state wins over `seed`, so UUIDs keep to one sequence.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_CATALOG, type FakeCatalog } from './catalog.ts'
import { FaultBook, seededRandom, type FakeFault, type FakeFaultKind } from './faults.ts'
import { parseSolusVmState, SOLUSVM_STATE_FORMAT, type SolusVmFileState } from './persist.ts'
import { route, type RouteOptions, type RouteResult } from './routes.ts'
import { FakeState, type FakeServerRecord, type FakeTaskRecord, type FakeVncRecord } from './state.ts'
import { attachVnc } from './vnc.ts'
import { StateFile, warnToStderr } from '../kit/state-file.ts'
import { isObject } from '../../integrations/solusvm/map.ts'

export type { FakeFault, FakeFaultKind } from './faults.ts'
export type { FakeCatalog, FakeLocation, FakeOsImage, FakePlan } from './catalog.ts'
export type { FakeServerRecord, FakeTaskRecord, FakeVncRecord } from './state.ts'

export interface FakeSolusVmOptions {
  token: string
  host?: string
  /** 0 = any free port (default). */
  port?: number
  /** How long a new server stays `processing` (default 1500). */
  createDelayMs?: number
  /** How long a task takes from pending to done (default 300). */
  taskDelayMs?: number
  /** Added before every /api/v1 answer (default 0). */
  latencyMs?: number
  /** Probability (0..1) of a 500 without doing the work. */
  failRate?: number
  /** Probability (0..1) of a destroyed socket without doing the work. */
  dropRate?: number
  /** Seed of the PRNG behind rates and UUIDs (default 1). */
  seed?: number
  catalog?: Partial<FakeCatalog>
  /** Page size of list endpoints (default 15, Laravel's default). */
  perPage?: number
  /** Add IPs at once and answer the server instead of a task (default false). */
  ipsImmediate?: boolean
  /** Clock of servers and tasks (default Date.now); tests pass a manual one to step time. */
  clock?: () => number
  /** JSON file that keeps the state across restarts: loaded on start, written after changes and on close. */
  stateFile?: string
  /** `password` (default): reset_password answers the new password; `email`: a task, and a mail to the owner. */
  resetPasswordMode?: 'password' | 'email'
  /** Receives problems with the state file (default: a line on stderr); they never stop the fake. */
  onWarning?: (msg: string) => void
}

export interface FakeSolusVmHandle {
  /** Base URL including /api/v1. */
  url: string
  port: number
  close(): Promise<void>
  servers(): ReadonlyArray<Readonly<FakeServerRecord>>
  tasks(): ReadonlyArray<Readonly<FakeTaskRecord>>
  injectFault(f: FakeFault): void
  clearFaults(): void
  /** Switches what reset_password does (see FakeSolusVmOptions.resetPasswordMode). */
  setResetPasswordMode(mode: 'password' | 'email'): void
  /** /api/v1 requests received so far, answered or not (a held one shows here at once). */
  requests(): ReadonlyArray<{ method: string; path: string }>
  /** What server `id`'s VNC console received (sessions, keys, Ctrl+Alt+Del…); zeros when nothing. */
  vnc(id: number): Readonly<FakeVncRecord>
}

const API = '/api/v1'
const REQUEST_FAULTS: readonly FakeFaultKind[] = ['http500', 'drop', 'timeout', 'lose-response', 'exists']
const MAX_BODY = 1024 * 1024

/** Starts the fake on loopback; resolves once it listens. */
export async function startFakeSolusVm(opts: FakeSolusVmOptions): Promise<FakeSolusVmHandle> {
  const warn = (msg: string): void => (opts.onWarning ?? warnToStderr)(`fake SolusVM: ${msg}`)
  const file =
    opts.stateFile === undefined
      ? null
      : new StateFile<SolusVmFileState>({
          path: opts.stateFile,
          format: SOLUSVM_STATE_FORMAT,
          parse: parseSolusVmState,
          warn,
          dump: (): SolusVmFileState => ({ ...state.dump(), random: random.state() }),
        })
  const saved = file?.load() ?? null
  const random = seededRandom(saved?.random ?? opts.seed ?? 1)
  const faults = new FaultBook()
  const state = new FakeState({
    catalog: { ...DEFAULT_CATALOG, ...opts.catalog },
    createDelayMs: opts.createDelayMs ?? 1500,
    taskDelayMs: opts.taskDelayMs ?? 300,
    random,
    now: opts.clock,
  })
  if (saved) {
    state.restore(saved)
    file?.touch()
  }
  const routeOpts: RouteOptions = {
    perPage: opts.perPage ?? 15,
    ipsImmediate: opts.ipsImmediate ?? false,
    resetPasswordMode: opts.resetPasswordMode ?? 'password',
  }
  const waits = new Set<() => void>()
  const received: Array<{ method: string; path: string }> = []
  let closed = false

  /** A delay that close() cuts short, so a slow answer never holds the process open. */
  const wait = (ms: number): Promise<void> =>
    new Promise(resolve => {
      const done = (): void => {
        clearTimeout(timer)
        waits.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      waits.add(done)
    })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid')
    const method = (req.method ?? 'GET').toUpperCase()
    const raw = await readBody(req)
    if (url.pathname.startsWith('/__fake/')) return control(method, url.pathname, raw, res)
    if (url.pathname === '/vnc' && method === 'GET') {
      // Where the browser's websocket goes; the fake only says whether the token would be let in.
      state.tick()
      const vm = state.consoleServer(url.searchParams.get('url') ?? '')
      return vm
        ? send(res, {
            status: 200,
            body: { server_id: vm.id, status: vm.busyTaskId !== null ? 'processing' : vm.baseStatus },
          })
        : send(res, { status: 403, body: { message: 'The console link is invalid or has expired.' } })
    }
    if (url.pathname !== API && !url.pathname.startsWith(`${API}/`)) {
      return send(res, { status: 404, body: { message: 'Not Found' } })
    }
    received.push({ method, path: url.pathname })

    if (random() < (opts.dropRate ?? 0)) return void res.socket?.destroy()
    if (random() < (opts.failRate ?? 0)) return send(res, { status: 500, body: { message: 'Server Error' } })
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      return send(res, { status: 401, body: { message: 'Unauthenticated.' } })
    }

    const fault = faults.take(method, url.pathname, REQUEST_FAULTS)
    if (fault === 'timeout') return // held until close() destroys the socket
    if (opts.latencyMs) await wait(opts.latencyMs)
    if (closed) return void res.socket?.destroy()
    if (fault === 'drop') return void res.socket?.destroy()
    if (fault === 'http500') return send(res, { status: 500, body: { message: 'Server Error' } })
    if (fault === 'exists') {
      return send(res, {
        status: 422,
        body: { message: 'The given data was invalid.', errors: { name: ['The name has already been taken.'] } },
      })
    }

    let body: unknown = null
    if (raw !== '') {
      try {
        body = JSON.parse(raw)
      } catch {
        return send(res, { status: 400, body: { message: 'The request body is not valid JSON.' } })
      }
    }
    state.tick()
    const result = route(
      state,
      {
        method,
        path: url.pathname.slice(API.length) || '/',
        query: url.searchParams,
        body,
        origin: `http://${req.headers.host ?? 'localhost'}`,
        takeFault: kind => faults.take(method, url.pathname, [kind]) !== null,
      },
      routeOpts,
    )
    if (fault === 'lose-response') return void res.socket?.destroy()
    send(res, result)
  }

  function control(method: string, pathname: string, raw: string, res: ServerResponse): void {
    if (pathname === '/__fake/faults' && method === 'DELETE') {
      faults.clear()
      return send(res, { status: 204 })
    }
    if (pathname === '/__fake/faults' && method === 'POST') {
      try {
        const b: unknown = JSON.parse(raw)
        if (!isObject(b)) throw new TypeError('expected a JSON object')
        faults.add({
          fault: b.fault as FakeFaultKind,
          method: typeof b.method === 'string' ? b.method : undefined,
          path:
            typeof b.pathPattern === 'string'
              ? new RegExp(b.pathPattern)
              : typeof b.path === 'string'
                ? b.path
                : undefined,
          times: typeof b.times === 'number' ? b.times : undefined,
        })
        return send(res, { status: 204 })
      } catch (err) {
        return send(res, { status: 422, body: { message: err instanceof Error ? err.message : 'invalid fault' } })
      }
    }
    if (pathname === '/__fake/state' && method === 'GET') {
      state.tick()
      return send(res, {
        status: 200,
        body: {
          servers: [...state.servers.values()].map(s => state.serverJson(s)),
          tasks: [...state.tasks.values()].map(t => state.taskJson(t)),
        },
      })
    }
    send(res, { status: 404, body: { message: 'Not Found' } })
  }

  const server = createServer((req, res) => {
    // Any request may have changed the state (ticks included); the file skips unchanged writes.
    handle(req, res).then(
      () => file?.touch(),
      err => {
        file?.touch()
        if (!res.headersSent) {
          send(res, { status: 500, body: { message: err instanceof Error ? err.message : 'Server Error' } })
        } else res.destroy()
      },
    )
  })
  const vnc = attachVnc(server, state, () => file?.touch())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const host = opts.host ?? '127.0.0.1'

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${API}`,
    port,
    async close() {
      if (closed) return
      closed = true
      faults.clear()
      for (const done of [...waits]) done()
      vnc.close()
      const stopped = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeAllConnections()
      await stopped
      file?.close()
    },
    requests() {
      return received.map(r => ({ ...r }))
    },
    servers() {
      state.tick()
      file?.touch()
      return [...state.servers.values()].map(s => Object.freeze(structuredClone(s)))
    },
    tasks() {
      state.tick()
      file?.touch()
      return [...state.tasks.values()].map(t => Object.freeze(structuredClone(t)))
    },
    vnc: id => structuredClone(state.vncRecord(id)),
    injectFault: f => faults.add(f),
    setResetPasswordMode: mode => {
      routeOpts.resetPasswordMode = mode
    },
    clearFaults: () => faults.clear(),
  }
}

function send(res: ServerResponse, result: RouteResult): void {
  if (res.destroyed) return
  const text = result.body === undefined ? '' : JSON.stringify(result.body)
  const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(text) }
  if (text !== '') headers['Content-Type'] = 'application/json'
  res.writeHead(result.status, headers).end(text)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
