import { setTimeout as sleep } from 'node:timers/promises'
import { AppError } from '../../lib/errors.ts'
import type { Logger } from '../../lib/logger.ts'
import { HttpClient, type HttpRequest, type HttpResponse } from '../http-client.ts'
import {
  errorText,
  isObject,
  isTaskBody,
  isTaskFinished,
  mapList,
  mapServer,
  mapTask,
  mapUsage,
  resetPasswordOf,
  unwrap,
  vncPassword,
  vncUrl,
} from './map.ts'
import type {
  CreateServerInput,
  ReinstallInput,
  ResetPasswordResult,
  SolusConsole,
  SolusServer,
  SolusTask,
  SolusVmApi,
  UsageSeries,
  UsageSpecification,
} from './types.ts'

export interface SolusVmClientOptions {
  /** Base including the API prefix, e.g. `https://solus.example.com/api/v1`. */
  baseUrl: string
  token: string
  /** Per HTTP call (default 30 000). */
  timeoutMs?: number
  /** Extra attempts for idempotent calls only (default 2). */
  retries?: number
  backoffMs?: number
  /** Delay between polls in waitUntilStarted / waitForTask (default 1000). */
  pollIntervalMs?: number
  /** How long addIpv4 waits for a task SolusVM may queue for the new address (default 120 000). */
  actionTimeoutMs?: number
  /**
   * Where usage graphs live. `servers` = `GET /servers/{id}/usage/{type}` (default);
   * `uuid` = `GET /usage/{type}/{uuid}`, the path third-party SolusVM 2 clients use.
   */
  usageRoute?: 'servers' | 'uuid'
  logger: Logger
}

/** Id of a synthetic task: SolusVM answered an action without a task, so it is already done. */
export const SYNC_TASK_ID = 0

const USAGE_PATH: Record<UsageSpecification, string> = {
  cpu: 'cpu',
  memory: 'memory',
  disk: 'disks',
  network: 'network',
}
const MAX_PAGES = 1000

/** Creates the SolusVM 2 REST adapter over the shared HTTP client. */
export function createSolusVmClient(opts: SolusVmClientOptions): SolusVmApi {
  const http = new HttpClient({
    provider: 'solusvm',
    baseUrl: opts.baseUrl,
    headers: { Authorization: `Bearer ${opts.token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    timeoutMs: opts.timeoutMs ?? 30_000,
    retries: opts.retries ?? 2,
    backoffMs: opts.backoffMs ?? 500,
    logger: opts.logger,
  })
  const log = opts.logger.child({ provider: 'solusvm' })
  const pollMs = opts.pollIntervalMs ?? 1000

  /** Removes the token and the given passwords from provider text before it reaches an error. */
  const scrub = (text: string, secrets: string[] = []): string => {
    let out = text
    for (const s of [opts.token, ...secrets]) if (s.length >= 4) out = out.split(s).join('[redacted]')
    return out.length > 500 ? `${out.slice(0, 500)}…` : out
  }

  /** Returns the parsed body of an expected status; anything else throws a classified error. */
  function interpret(res: HttpResponse, what: string, ok: number[], secrets: string[] = []): unknown {
    let body: unknown = null
    let parsed = true
    if (res.text !== '') {
      try {
        body = JSON.parse(res.text)
      } catch {
        parsed = false
      }
    }
    if (!ok.includes(res.status)) throw classify(res.status, body, res.text, what, secrets)
    // A 2xx that is not JSON is typically a proxy page; the operation may still have happened.
    if (!parsed) {
      throw http.error(`SolusVM ${what}: HTTP ${res.status} with a body that is not JSON`, true, { status: res.status })
    }
    return body
  }

  /** Runs a mapper; a body of the wrong shape is a permanent provider error, not a TypeError. */
  function shape<T>(map: (body: unknown) => T, body: unknown, what: string): T {
    try {
      return map(body)
    } catch (err) {
      throw http.error(
        `SolusVM ${what}: unexpected response (${err instanceof Error ? err.message : String(err)})`,
        false,
      )
    }
  }

  async function call(req: HttpRequest, what: string, ok: number[], secrets: string[] = []): Promise<unknown> {
    return interpret(await http.send(req), what, ok, secrets)
  }

  function classify(status: number, body: unknown, text: string, what: string, secrets: string[]): AppError {
    if (status === 401 || status === 403) {
      return http.error(`SolusVM rejected the API token (HTTP ${status}) on ${what}`, false, { status })
    }
    const detail = scrub(errorText(body) ?? text.slice(0, 200), secrets)
    const suffix = detail === '' ? '' : `: ${detail}`
    // 409 is SolusVM saying the server is busy with another task; later it will accept the action.
    if (status === 409) return http.error(`SolusVM ${what} refused while busy (HTTP 409)${suffix}`, true, { status })
    return http.error(`SolusVM ${what} failed (HTTP ${status})${suffix}`, false, { status })
  }

  /** Polls `check` until it yields a value; retryable errors are swallowed until the deadline. */
  async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number, onTimeout: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs
    let lastError: AppError | undefined
    for (;;) {
      try {
        const value = await check()
        if (value !== undefined) return value
        lastError = undefined
      } catch (err) {
        if (!(err instanceof AppError) || !err.retryable) throw err
        lastError = err
      }
      if (Date.now() + pollMs > deadline) {
        const reason = lastError ? ` (last error: ${lastError.message})` : ''
        throw http.error(`${onTimeout()} after ${timeoutMs} ms${reason}`, true, { timeout: true })
      }
      await sleep(pollMs)
    }
  }

  async function getServer(id: number): Promise<SolusServer | null> {
    const res = await http.send({ method: 'GET', path: `servers/${id}` })
    return res.status === 404 ? null : shape(mapServer, interpret(res, `get server ${id}`, [200]), `get server ${id}`)
  }

  async function getTask(id: number): Promise<SolusTask> {
    if (id === SYNC_TASK_ID) return syncTask('sync')
    const body = await call({ method: 'GET', path: `tasks/${id}` }, `get task ${id}`, [200])
    return shape(mapTask, body, `get task ${id}`)
  }

  /** Latest vm-create task output for a server, best effort: it explains a failed start. */
  async function createTaskOutput(serverId: number): Promise<string> {
    try {
      const query = `tasks?filter[compute_resource_vm_id]=${serverId}&filter[action]=vm-create`
      const body = await call({ method: 'GET', path: query }, 'list tasks', [200])
      const tasks = mapList(body)
        .items.map(t => mapTask(t))
        .sort((a, b) => b.id - a.id)
      return tasks[0]?.output ?? ''
    } catch {
      return ''
    }
  }

  async function action(id: number, verb: string, taskAction: string, payload?: unknown): Promise<SolusTask> {
    const req: HttpRequest = { method: 'POST', path: `servers/${id}/${verb}` }
    if (payload !== undefined) req.body = JSON.stringify(payload)
    const body = await call(req, `${verb} server ${id}`, [200, 201, 202, 204])
    return isTaskBody(body) ? shape(mapTask, body, verb) : syncTask(taskAction)
  }

  async function waitForTask(id: number, timeoutMs: number): Promise<SolusTask> {
    const task = await poll(
      async () => {
        const t = await getTask(id)
        return isTaskFinished(t) ? t : undefined
      },
      timeoutMs,
      () => `SolusVM task ${id} still unfinished`,
    )
    if (task.status !== 'done') {
      throw http.error(
        `SolusVM task ${id} (${task.action}) ended ${task.status}: ${scrub(task.output) || 'no output'}`,
        false,
        { taskId: id, taskStatus: task.status },
      )
    }
    return task
  }

  return {
    async createServer(input: CreateServerInput): Promise<SolusServer> {
      const payload: Record<string, unknown> = {
        name: input.hostname,
        description: input.reference,
        plan: input.planId,
        location: input.locationId,
        os: input.osVersionId,
        password: input.password,
      }
      if (input.hostname.includes('.')) payload.fqdns = [input.hostname]
      log.info(
        { reference: input.reference, serverName: input.hostname, planId: input.planId, locationId: input.locationId },
        'solusvm create server',
      )
      // Never retried here: a lost response may hide a created server, so the caller looks up by reference.
      const body = await call(
        { method: 'POST', path: 'servers', body: JSON.stringify(payload), idempotent: false },
        'create server',
        [200, 201],
        [input.password],
      )
      const server = shape(mapServer, body, 'create server')
      log.info({ reference: input.reference, serverId: server.id }, 'solusvm server created')
      return server
    },

    async findServerByReference(reference: string): Promise<SolusServer | null> {
      const matches: SolusServer[] = []
      for (let page = 1; page <= MAX_PAGES; page++) {
        const body = await call({ method: 'GET', path: `servers?page=${page}` }, 'list servers', [200])
        const list = shape(mapList, body, 'list servers')
        for (const item of list.items) {
          if (isObject(item) && item.description === reference) matches.push(shape(mapServer, item, 'list servers'))
        }
        if (page >= list.lastPage) break
      }
      if (matches.length > 1) {
        log.warn({ reference, ids: matches.map(s => s.id) }, 'several SolusVM servers carry one reference')
      }
      return matches.sort((a, b) => a.id - b.id)[0] ?? null
    },

    getServer,

    async waitUntilStarted(id: number, timeoutMs: number): Promise<SolusServer> {
      const server = await poll(
        async () => {
          const s = await getServer(id)
          if (s === null) {
            throw http.error(`SolusVM server ${id} disappeared while provisioning`, false, { serverId: id })
          }
          return s.isProcessing ? undefined : s
        },
        timeoutMs,
        () => `SolusVM server ${id} still processing`,
      )
      if (server.status !== 'started') {
        const output = scrub(await createTaskOutput(id))
        throw http.error(
          `SolusVM server ${id} finished provisioning as ${server.status}${output ? `: ${output}` : ''}`,
          false,
          { serverId: id, serverStatus: server.status },
        )
      }
      return server
    },

    resizeServer: (id, planId) => action(id, 'resize', 'vm-resize', { plan_id: planId, preserve_disk: true }),
    // SolusVM 2 has one stop endpoint: without a body it is graceful, `force` powers off
    // (panel-actions.md §1.1). None of the four is resent by the HTTP client: a reboot is not idempotent.
    startServer: id => action(id, 'start', 'vm-start'),
    stopServer: id => action(id, 'stop', 'vm-stop', { force: true }),
    shutdownServer: id => action(id, 'stop', 'vm-stop'),
    restartServer: id => action(id, 'restart', 'vm-restart'),
    suspendServer: id => action(id, 'suspend', 'vm-suspend'),
    resumeServer: id => action(id, 'resume', 'vm-resume'),

    async deleteServer(id: number): Promise<SolusTask> {
      // DELETE is retried by the http client; a retry after a lost answer then sees 404 = already gone.
      const res = await http.send({ method: 'DELETE', path: `servers/${id}` })
      if (res.status === 404) return syncTask('vm-delete')
      const body = interpret(res, `delete server ${id}`, [200, 202, 204])
      return isTaskBody(body) ? shape(mapTask, body, 'delete server') : syncTask('vm-delete')
    },

    getTask,
    waitForTask,

    async reinstallServer(id: number, input: ReinstallInput): Promise<SolusTask> {
      const body = await call(
        {
          method: 'POST',
          path: `servers/${id}/reinstall`,
          body: JSON.stringify({ os: input.osVersionId, password: input.password }),
        },
        `reinstall server ${id}`,
        [200, 201, 202],
        [input.password],
      )
      return isTaskBody(body) ? shape(mapTask, body, 'reinstall') : syncTask('vm-reinstall')
    },

    async resetPassword(id: number): Promise<ResetPasswordResult> {
      const body = await call(
        { method: 'POST', path: `servers/${id}/reset_password` },
        `reset password of ${id}`,
        [200, 201, 202, 204],
      )
      // Versions differ (panel-actions.md §1.3): a password in `data`, or a task and an e-mail.
      const password = resetPasswordOf(body)
      return { password, task: password === null && isTaskBody(body) ? shape(mapTask, body, 'reset password') : null }
    },

    async openConsole(id: number): Promise<SolusConsole> {
      const server = await call({ method: 'GET', path: `servers/${id}` }, `get server ${id}`, [200])
      const password = vncPassword(server)
      if (password === null) throw http.error(`SolusVM server ${id} has no VNC password in its settings`, false)
      const up = await call(
        { method: 'POST', path: `servers/${id}/vnc_up` },
        `vnc_up of server ${id}`,
        [200, 201],
        [password],
      )
      const token = vncUrl(up)
      if (token === null) throw http.error(`SolusVM vnc_up of server ${id}: no url in the answer`, false)
      return { url: consoleUrl(opts.baseUrl, token), password }
    },

    async setBootMode(id, mode) {
      // PATCH sets a value: resending it after a lost answer is harmless.
      const body = await call(
        { method: 'PATCH', path: `servers/${id}`, body: JSON.stringify({ boot_mode: mode }), idempotent: true },
        `set boot mode of server ${id}`,
        [200],
      )
      return shape(mapServer, body, 'set boot mode')
    },

    async addIpv4(id: number): Promise<SolusServer> {
      const body = await call(
        { method: 'POST', path: `servers/${id}/ips`, body: JSON.stringify({ count: 1 }) },
        `add IPv4 to server ${id}`,
        [200, 201, 202, 204],
      )
      if (isTaskBody(body)) await waitForTask(mapTask(body).id, opts.actionTimeoutMs ?? 120_000)
      const server = await getServer(id)
      if (server === null) {
        throw http.error(`SolusVM server ${id} not found after adding an IPv4`, false, { status: 404 })
      }
      return server
    },

    async removeIpv4(id: number, ip: string): Promise<SolusTask> {
      const res = await http.send({ method: 'GET', path: `servers/${id}` })
      if (res.status === 404) return syncTask('vm-remove-ip')
      const ipId = ipIdOf(unwrap(interpret(res, `get server ${id}`, [200])), ip)
      // Already removed (a retry after a lost answer): nothing left to do.
      if (ipId === null) return syncTask('vm-remove-ip')
      const body = await call(
        { method: 'DELETE', path: `servers/${id}/ips`, body: JSON.stringify({ ids: [ipId] }) },
        `remove IPv4 ${ip} from server ${id}`,
        [200, 202, 204],
      )
      return isTaskBody(body) ? shape(mapTask, body, 'remove IPv4') : syncTask('vm-remove-ip')
    },

    async usage(id: number, specification: UsageSpecification): Promise<UsageSeries> {
      const type = USAGE_PATH[specification]
      let path = `servers/${id}/usage/${type}`
      if (opts.usageRoute === 'uuid') {
        const server = await getServer(id)
        if (server === null) throw http.error(`SolusVM server ${id} not found`, false, { status: 404 })
        path = `usage/${type}/${server.uuid}`
      }
      const body = await call({ method: 'GET', path }, `${specification} usage of server ${id}`, [200])
      return shape(b => mapUsage(b, specification), body, `${specification} usage`)
    },
  }
}

/**
 * The websocket URL the browser opens (panel-actions.md §1.4): SolusVM's own ws(s) URL as is,
 * else `wss://<master host>/vnc?url=<token>` (ws:// for an http master, as the fake is).
 */
export function consoleUrl(baseUrl: string, token: string): string {
  if (/^wss?:\/\//.test(token)) return token
  return `${consoleSocketOrigin(baseUrl)}/vnc?url=${encodeURIComponent(token)}`
}

/**
 * The origin of the console websockets a master at `baseUrl` hands out (`ws://host:port` for an
 * http master, else `wss://host`): what the portal's CSP lets the browser connect to.
 */
export function consoleSocketOrigin(baseUrl: string): string {
  const base = new URL(baseUrl)
  return `${base.protocol === 'http:' ? 'ws:' : 'wss:'}//${base.host}`
}

/** The id SolusVM gives address `ip` of a server object (either IP shape, as `serverIpv4` reads them). */
function ipIdOf(raw: unknown, ip: string): number | null {
  if (typeof raw !== 'object' || raw === null) return null
  const r = raw as { ip_addresses?: { ipv4?: unknown }; ips?: unknown }
  const lists = [r.ip_addresses?.ipv4, r.ips].filter(Array.isArray) as unknown[][]
  for (const list of lists) {
    for (const e of list) {
      const o = e as { id?: unknown; ip?: unknown }
      if (o !== null && typeof o === 'object' && o.ip === ip && Number.isSafeInteger(o.id)) return o.id as number
    }
  }
  return null
}

function syncTask(action: string): SolusTask {
  return { id: SYNC_TASK_ID, action, status: 'done', output: '', progress: 100 }
}
