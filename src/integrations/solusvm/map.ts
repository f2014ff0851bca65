import { isIPv4 } from 'node:net'
import type { SolusServer, SolusServerStatus, SolusTask, SolusTaskStatus, UsageSeries } from './types.ts'

/**
 * Pure mapping from SolusVM 2 JSON to oxbill's types. Parsing is defensive because the shape
 * varies between SolusVM versions (ip_addresses vs ips) and some responses are unconfirmed.
 */

type Json = Record<string, unknown>

const SERVER_STATUSES: readonly SolusServerStatus[] = [
  'processing',
  'started',
  'stopped',
  'paused',
  'unavailable',
  'not exists',
]
const TASK_STATUSES: readonly SolusTaskStatus[] = [
  'pending',
  'queued',
  'running',
  'done',
  'done_with_errors',
  'failed',
  'canceled',
]
const UNFINISHED: readonly SolusTaskStatus[] = ['pending', 'queued', 'running']

/** True for a plain JSON object. */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const bool = (v: unknown): boolean => v === true || v === 1 || v === 'true'

/** Unwraps the `{data: ...}` envelope; a body without one is returned as is. */
export function unwrap(body: unknown): unknown {
  return isObject(body) && 'data' in body ? body.data : body
}

/** Every IPv4 of a server, primary first: `ip_addresses.ipv4` (2024 shape), else the older `ips`. */
export function serverIpv4(raw: Json): string[] {
  const block = isObject(raw.ip_addresses) ? raw.ip_addresses.ipv4 : undefined
  if (Array.isArray(block) && block.length > 0) {
    const entries = block.filter(isObject).filter(e => isIPv4(str(e.ip)))
    // A stable sort keeps SolusVM's order among the non-primary addresses.
    const sorted = [...entries].sort((a, b) => Number(bool(b.is_primary)) - Number(bool(a.is_primary)))
    return sorted.map(e => str(e.ip))
  }
  const legacy = Array.isArray(raw.ips) ? raw.ips : []
  // The older shape mixes IPv6 entries into the same list.
  return legacy
    .filter(isObject)
    .map(e => str(e.ip))
    .filter(ip => isIPv4(ip))
}

/** Maps a SolusVM server object (enveloped or not); throws on a body without a numeric id. */
export function mapServer(body: unknown): SolusServer {
  const raw = unwrap(body)
  if (!isObject(raw) || num(raw.id) === null) throw new TypeError('not a SolusVM server object')
  const status = str(raw.status)
  const ipv4 = serverIpv4(raw)
  return {
    id: raw.id as number,
    uuid: str(raw.uuid),
    name: str(raw.name),
    description: str(raw.description),
    status: (SERVER_STATUSES as readonly string[]).includes(status) ? (status as SolusServerStatus) : 'unavailable',
    isProcessing: bool(raw.is_processing),
    isSuspended: bool(raw.is_suspended),
    primaryIp: ipv4[0] ?? null,
    ipv4,
    planId: isObject(raw.plan) ? num(raw.plan.id) : null,
    bootMode: raw.boot_mode === 'disk' || raw.boot_mode === 'rescue' ? raw.boot_mode : null,
  }
}

/** True when the body looks like a task rather than a server (actions answer with either). */
export function isTaskBody(body: unknown): boolean {
  const raw = unwrap(body)
  return isObject(raw) && num(raw.id) !== null && typeof raw.action === 'string' && typeof raw.status === 'string'
}

/** Maps a SolusVM task object (enveloped or not); throws on a body without a numeric id. */
export function mapTask(body: unknown): SolusTask {
  const raw = unwrap(body)
  if (!isObject(raw) || num(raw.id) === null) throw new TypeError('not a SolusVM task object')
  const status = str(raw.status)
  return {
    id: raw.id as number,
    action: str(raw.action),
    // An unknown status is treated as a failure rather than polled forever.
    status: (TASK_STATUSES as readonly string[]).includes(status) ? (status as SolusTaskStatus) : 'failed',
    output: str(raw.output),
    progress: num(raw.progress) ?? 0,
  }
}

/** A task is finished once it left pending/queued/running. */
export function isTaskFinished(task: SolusTask): boolean {
  return !UNFINISHED.includes(task.status)
}

export interface ListPage {
  items: unknown[]
  currentPage: number
  lastPage: number
}

/** Reads a paginated list envelope `{data: [], links, meta}`; a bare array counts as one page. */
export function mapList(body: unknown): ListPage {
  if (Array.isArray(body)) return { items: body, currentPage: 1, lastPage: 1 }
  if (!isObject(body) || !Array.isArray(body.data)) throw new TypeError('not a SolusVM list')
  const meta = isObject(body.meta) ? body.meta : {}
  const currentPage = num(meta.current_page) ?? 1
  return { items: body.data, currentPage, lastPage: num(meta.last_page) ?? currentPage }
}

/** Maps a usage response to `{name, interval, items}`; a bare item array gets a neutral header. */
export function mapUsage(body: unknown, fallbackName: string): UsageSeries {
  const raw = unwrap(body)
  if (Array.isArray(raw)) {
    return { name: fallbackName, interval: { value: 0, measurement: '' }, items: raw.filter(isObject) }
  }
  if (!isObject(raw)) throw new TypeError('not a SolusVM usage series')
  const interval = isObject(raw.interval) ? raw.interval : {}
  return {
    name: str(raw.name, fallbackName),
    interval: { value: num(interval.value) ?? 0, measurement: str(interval.measurement) },
    items: Array.isArray(raw.items) ? raw.items.filter(isObject) : [],
  }
}

/** The VNC password of a server body: `settings.vnc_password`, or `settings.vnc.password` on other versions. */
export function vncPassword(body: unknown): string | null {
  const raw = unwrap(body)
  const settings = isObject(raw) && isObject(raw.settings) ? raw.settings : {}
  if (typeof settings.vnc_password === 'string' && settings.vnc_password !== '') return settings.vnc_password
  const vnc = isObject(settings.vnc) ? settings.vnc : {}
  return typeof vnc.password === 'string' && vnc.password !== '' ? vnc.password : null
}

/** The console token of a vnc_up answer: top-level `url` (the official module), else `data.url` (Blesta). */
export function vncUrl(body: unknown): string | null {
  if (isObject(body) && typeof body.url === 'string' && body.url !== '') return body.url
  const raw = unwrap(body)
  return isObject(raw) && typeof raw.url === 'string' && raw.url !== '' ? raw.url : null
}

/** The password of a reset_password answer (`data.password`), or null (e-mail mode). */
export function resetPasswordOf(body: unknown): string | null {
  const raw = unwrap(body)
  return isObject(raw) && typeof raw.password === 'string' && raw.password !== '' ? raw.password : null
}

/** Flattens a Laravel-style error body `{message, errors:{field:[...]}}` into one line. */
export function errorText(body: unknown): string | null {
  if (!isObject(body)) return null
  const message = str(body.message)
  const fields = isObject(body.errors)
    ? Object.entries(body.errors).map(
        ([field, msgs]) => `${field}: ${(Array.isArray(msgs) ? msgs : [msgs]).map(m => String(m)).join(' ')}`,
      )
    : []
  const text = [message, fields.join('; ')].filter(s => s !== '').join(' — ')
  return text === '' ? null : text
}
