import { findOsVersion, locationJson, osImageJson, planJson } from './catalog.ts'
import { randomBytes } from 'node:crypto'
import { passwordDigest, type FakeServerRecord, type FakeState, type FakeTaskEffect } from './state.ts'
import { USAGE_TYPES, usageSeries, type FakeUsageType } from './usage.ts'
import { isObject } from '../../integrations/solusvm/map.ts'

/** The /api/v1 routes of the fake SolusVM, as pure functions of the state and one parsed request. */
export interface RouteRequest {
  method: string
  /** Path below /api/v1, e.g. `/servers/5/resize`. */
  path: string
  query: URLSearchParams
  body: unknown
  /** `http://host:port`, for the absolute URLs of pagination links. */
  origin: string
  /** Consumes an armed `task-fail` / `start-fail` fault matching this request. */
  takeFault: (kind: 'task-fail' | 'start-fail') => boolean
}

export interface RouteResult {
  status: number
  body?: unknown
}

export interface RouteOptions {
  perPage: number
  ipsImmediate: boolean
  /**
   * What `POST servers/{id}/reset_password` does (panel-actions.md §1.3 lists both behaviours):
   * `password` answers `{data: {password}}` at once; `email` answers a `vm-password-change` task
   * and, when it is done, the owner "got a mail" with the new password (the task's output says so).
   */
  resetPasswordMode: 'password' | 'email'
}

type Errors = Record<string, string[]>

const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/
const POWER: Record<string, FakeTaskEffect> = {
  start: { kind: 'power', status: 'started' },
  stop: { kind: 'power', status: 'stopped' },
  restart: { kind: 'power', status: 'started' },
}

const ok = (body: unknown, status = 200): RouteResult => ({ status, body: { data: body } })
const message = (status: number, text: string): RouteResult => ({ status, body: { message: text } })
const invalid = (errors: Errors): RouteResult => ({
  status: 422,
  body: { message: 'The given data was invalid.', errors },
})
const notFound = (what: string, id: string): RouteResult => message(404, `No query results for model [${what}] ${id}`)
const busy = (): RouteResult => message(409, 'The server is busy: another task is in progress.')

/** Laravel's `integer` rule accepts numbers and numeric strings. */
function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v)
  return null
}

/** Dispatches one request. */
export function route(state: FakeState, req: RouteRequest, opts: RouteOptions): RouteResult {
  const parts = req.path.split('/').filter(p => p !== '')
  const [root, idPart, sub, extra] = parts
  const m = req.method
  const list = (items: unknown[]): RouteResult => ({ status: 200, body: paginate(items, req, opts.perPage) })
  const catalog = state.catalog

  if (root === 'servers') {
    if (idPart === undefined) {
      if (m === 'GET') {
        return list([...state.servers.values()].sort((a, b) => a.id - b.id).map(s => state.serverJson(s)))
      }
      if (m === 'POST') return createServer(state, req)
      return message(405, `The ${m} method is not supported for this route.`)
    }
    const server = state.servers.get(int(idPart) ?? -1)
    if (!server) return notFound('ComputeResourceVm', idPart)
    if (sub === undefined) {
      if (m === 'GET') return ok(state.serverJson(server))
      if (m === 'PATCH') return patchServer(state, server, req.body)
      if (m === 'DELETE') {
        return server.busyTaskId !== null ? busy() : task(state, server, 'vm-delete', { kind: 'delete' }, req)
      }
    }
    if (sub === 'usage' && m === 'GET' && parts.length === 4) return usage(state, server, extra)
    if (m === 'DELETE' && parts.length === 3 && sub === 'ips') return removeIps(state, server, req)
    if (m === 'POST' && parts.length === 3 && sub !== undefined) return serverAction(state, server, sub, req, opts)
    return message(404, 'Not Found')
  }
  if (root === 'usage' && m === 'GET' && parts.length === 3) {
    const server = [...state.servers.values()].find(s => s.uuid === sub)
    return server ? usage(state, server, idPart) : notFound('ComputeResourceVm', sub ?? '')
  }
  if (root === 'tasks' && m === 'GET') {
    if (idPart === undefined) {
      const f = (k: string): string | null => req.query.get(`filter[${k}]`)
      const tasks = [...state.tasks.values()].filter(
        t =>
          (f('compute_resource_vm_id') === null || String(t.serverId) === f('compute_resource_vm_id')) &&
          (f('action') === null || t.action === f('action')) &&
          (f('status') === null || t.status === f('status')),
      )
      return list(tasks.sort((a, b) => b.id - a.id).map(t => state.taskJson(t)))
    }
    const t = state.tasks.get(int(idPart) ?? -1)
    return t ? ok(state.taskJson(t)) : notFound('Task', idPart)
  }
  if (m === 'GET' && (root === 'plans' || root === 'locations' || root === 'os_images')) {
    const all =
      root === 'plans'
        ? catalog.plans.map(planJson)
        : root === 'locations'
          ? catalog.locations.map(locationJson)
          : catalog.osImages.map(osImageJson)
    if (idPart === undefined) return list(all)
    const one = all.find(x => x.id === int(idPart))
    return one ? ok(one) : notFound(root, idPart)
  }
  return message(404, 'Not Found')
}

function createServer(state: FakeState, req: RouteRequest): RouteResult {
  const b = isObject(req.body) ? req.body : {}
  const errors: Errors = {}
  const add = (field: string, text: string): void => {
    ;(errors[field] ??= []).push(text)
  }
  const name = b.name
  if (typeof name !== 'string' || name === '') add('name', 'The name field is required.')
  else if (!HOSTNAME.test(name)) add('name', 'The name format is invalid.')
  const plan = int(b.plan)
  if (b.plan === undefined || b.plan === null) add('plan', 'The plan field is required.')
  else if (plan === null || !state.plan(plan)) add('plan', 'The selected plan is invalid.')
  const location = int(b.location)
  if (b.location === undefined || b.location === null) add('location', 'The location field is required.')
  else if (location === null || !state.catalog.locations.some(l => l.id === location)) {
    add('location', 'The selected location is invalid.')
  }
  const os = int(b.os)
  if (b.os === undefined || b.os === null) {
    if (b.application === undefined) add('os', 'The os field is required when application is not present.')
  } else if (os === null || findOsVersion(state.catalog, os) === null) add('os', 'The selected os is invalid.')
  if (b.password === undefined || b.password === null || b.password === '') {
    add('password', 'The password field is required.')
  } else if (typeof b.password !== 'string') add('password', 'The password must be a string.')
  if (b.description !== undefined && typeof b.description !== 'string') {
    add('description', 'The description must be a string.')
  }
  if (b.fqdns !== undefined && !(Array.isArray(b.fqdns) && b.fqdns.every(f => typeof f === 'string'))) {
    add('fqdns', 'The fqdns must be an array.')
  }
  const extraIps = b.additional_ip_count === undefined ? 0 : int(b.additional_ip_count)
  if (extraIps === null || extraIps < 0 || extraIps > 16) {
    add('additional_ip_count', 'The additional ip count must be between 0 and 16.')
  }
  if (Object.keys(errors).length > 0) return invalid(errors)

  const failOutput = req.takeFault('start-fail')
    ? 'Failed to start the virtual machine: qemu-system-x86_64: simulated start failure (fake SolusVM)'
    : null
  const server = state.createServer(
    {
      name: name as string,
      description: typeof b.description === 'string' ? b.description : '',
      fqdns: Array.isArray(b.fqdns) ? b.fqdns.map(String) : [name as string],
      planId: plan!,
      locationId: location!,
      osVersionId: os,
      userId: int(b.user),
      projectId: int(b.project),
      bootMode: b.boot_mode === 'rescue' ? 'rescue' : 'disk',
      passwordSha256: passwordDigest(b.password as string),
    },
    1 + (extraIps ?? 0),
    failOutput,
  )
  if (!server) return invalid({ location: ['No free IP addresses are left in the IP blocks of the location.'] })
  return ok(state.serverJson(server), 201)
}

function patchServer(state: FakeState, server: FakeServerRecord, body: unknown): RouteResult {
  const b = isObject(body) ? body : {}
  if (typeof b.name === 'string') {
    if (!HOSTNAME.test(b.name)) return invalid({ name: ['The name format is invalid.'] })
    server.name = b.name
  }
  if (typeof b.description === 'string') server.description = b.description
  if (Array.isArray(b.fqdns)) server.fqdns = b.fqdns.map(String)
  if (b.boot_mode === 'disk' || b.boot_mode === 'rescue') server.bootMode = b.boot_mode
  return ok(state.serverJson(server))
}

function serverAction(
  state: FakeState,
  server: FakeServerRecord,
  verb: string,
  req: RouteRequest,
  opts: RouteOptions,
): RouteResult {
  const b = isObject(req.body) ? req.body : {}
  const known = [
    'resize',
    'suspend',
    'resume',
    'ips',
    'start',
    'stop',
    'restart',
    'reinstall',
    'reset_password',
    'vnc_up',
  ]
  if (!known.includes(verb)) return message(404, 'Not Found')
  if (server.busyTaskId !== null) return busy()
  if (verb === 'reinstall') return reinstall(state, server, b, req)
  if (verb === 'reset_password') {
    const password = randomBytes(9).toString('base64url')
    if (opts.resetPasswordMode === 'email') {
      return task(
        state,
        server,
        'vm-password-change',
        { kind: 'password', passwordSha256: passwordDigest(password) },
        req,
      )
    }
    server.passwordSha256 = passwordDigest(password)
    return ok({ password })
  }
  if (verb === 'vnc_up') {
    if (server.baseStatus !== 'started') return message(422, 'The server is not running.')
    // Top-level `url`, no `data` envelope: what the official module reads (panel-actions.md §1.4).
    return { status: 200, body: { url: state.openConsole(server) } }
  }
  if (verb === 'resize') {
    const planId = int(b.plan_id)
    if (planId === null || !state.plan(planId)) {
      return invalid({
        plan_id: [b.plan_id === undefined ? 'The plan id field is required.' : 'The selected plan id is invalid.'],
      })
    }
    return task(state, server, 'vm-resize', { kind: 'resize', planId }, req)
  }
  if (verb === 'suspend') return task(state, server, 'vm-suspend', { kind: 'suspend' }, req)
  if (verb === 'resume') return task(state, server, 'vm-resume', { kind: 'resume' }, req)
  if (verb === 'ips') {
    const count = int(b.count)
    if (count === null || count < 1 || count > 16) return invalid({ count: ['The count must be between 1 and 16.'] })
    if (state.freeIps() < count) {
      return invalid({ count: ['No free IP addresses are left in the IP blocks of the location.'] })
    }
    if (opts.ipsImmediate) {
      const t = state.startTask(server, 'vm-add-ip', { kind: 'ips', count }, null, 0)
      state.tick()
      return t.status === 'done' ? ok(state.serverJson(server)) : message(500, t.output)
    }
    return task(state, server, 'vm-add-ip', { kind: 'ips', count }, req)
  }
  if (verb === 'stop') {
    // One endpoint for both: no body is a graceful shutdown, `force: true` powers off (Laravel's boolean rule).
    if (b.force !== undefined && typeof b.force !== 'boolean') {
      return invalid({ force: ['The force field must be true or false.'] })
    }
    return task(state, server, 'vm-stop', { kind: 'power', status: 'stopped', forced: b.force === true }, req)
  }
  return task(state, server, `vm-${verb}`, POWER[verb]!, req)
}

/** `DELETE /servers/{id}/ips {"ids": [...]}`: removes additional IPv4s by id (the primary cannot go) → task. */
function removeIps(state: FakeState, server: FakeServerRecord, req: RouteRequest): RouteResult {
  const b = isObject(req.body) ? req.body : {}
  const ids = Array.isArray(b.ids) ? b.ids.map(int) : null
  if (ids === null || ids.length === 0 || ids.some(i => i === null)) {
    return invalid({ ids: ['The ids field is required and must list IP ids.'] })
  }
  const own = new Map(server.ipv4.map(ip => [ip.id, ip]))
  if (ids.some(i => !own.has(i!) || own.get(i!)!.isPrimary)) {
    return invalid({ ids: ['The selected ids are invalid.'] })
  }
  if (server.busyTaskId !== null) return busy()
  return task(state, server, 'vm-remove-ip', { kind: 'ips_remove', ids: ids as number[] }, req)
}

/** `POST servers/{id}/reinstall {os, password?}`: a vm-reinstall task; `application` installs are not faked. */
function reinstall(
  state: FakeState,
  server: FakeServerRecord,
  b: Record<string, unknown>,
  req: RouteRequest,
): RouteResult {
  const os = int(b.os)
  if (b.os === undefined || b.os === null) return invalid({ os: ['The os field is required.'] })
  if (os === null || findOsVersion(state.catalog, os) === null) return invalid({ os: ['The selected os is invalid.'] })
  if (b.password !== undefined && (typeof b.password !== 'string' || b.password === '')) {
    return invalid({ password: ['The password must be a string.'] })
  }
  const digest = typeof b.password === 'string' ? passwordDigest(b.password) : null
  return task(state, server, 'vm-reinstall', { kind: 'reinstall', osVersionId: os, passwordSha256: digest }, req)
}

function task(
  state: FakeState,
  server: FakeServerRecord,
  action: string,
  effect: FakeTaskEffect,
  req: RouteRequest,
): RouteResult {
  const failOutput = req.takeFault('task-fail')
    ? `${action} failed: simulated failure injected into the fake SolusVM (exit code 1)`
    : null
  return ok(state.taskJson(state.startTask(server, action, effect, failOutput)))
}

function usage(state: FakeState, server: FakeServerRecord, type: string | undefined): RouteResult {
  if (!USAGE_TYPES.includes(type as FakeUsageType)) return message(404, 'Not Found')
  return ok(usageSeries(server.id, type as FakeUsageType, state.plan(server.planId), state.now()))
}

/** Laravel's paginated envelope with absolute `links` and `meta`; `?page=` beyond the end is empty. */
function paginate(items: unknown[], req: RouteRequest, perPage: number): Record<string, unknown> {
  const total = items.length
  const lastPage = Math.max(1, Math.ceil(total / perPage))
  const page = Math.max(1, int(req.query.get('page')) ?? 1)
  const data = items.slice((page - 1) * perPage, page * perPage)
  const path = `${req.origin}/api/v1${req.path.replace(/\/$/, '')}`
  const url = (p: number): string => `${path}?page=${p}`
  const from = data.length > 0 ? (page - 1) * perPage + 1 : null
  return {
    data,
    links: {
      first: url(1),
      last: url(lastPage),
      prev: page > 1 ? url(page - 1) : null,
      next: page < lastPage ? url(page + 1) : null,
    },
    meta: {
      current_page: page,
      from,
      last_page: lastPage,
      path,
      per_page: perPage,
      to: from === null ? null : from + data.length - 1,
      total,
    },
  }
}
