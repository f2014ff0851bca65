/**
 * Fake Plesk XML API on loopback, for tests and local development. Not a Plesk: it keeps
 * customers, subscriptions and service plans in memory and answers the packets oxbill sends.
 *
 *   POST   /enterprise/control/agent.php   XML API. Auth: header `KEY: <apiKey>`, or
 *                                          `HTTP_AUTH_LOGIN` + `HTTP_AUTH_PASSWD` when login/password
 *                                          options are set. Bad auth → HTTP 200 `<system>` errcode 1001;
 *                                          malformed XML or unknown operation → `<system>` errcode 1014.
 *   GET    /enterprise/rsession_init.php   ?PLESKSESSID=<id>&success_redirect_url=<path>: turns a
 *                                          `server/create_session` id into a panel session, once, from
 *                                          the IP it was minted for, within 5 minutes → 302 to the path
 *                                          (or `/`) with a session cookie; anything else → 403.
 *   GET    / and /smb/…                    the "panel": with that cookie, a page naming the customer
 *                                          and its subscriptions; without it → 403.
 *   POST   /__fake/faults                  arm a fault (no auth), JSON body
 *                                          {"operation":"webspace.add","fault":"lose-response","errcode":1023,"times":1}
 *                                          fault: http500 | drop | timeout | lose-response | exists | error → 204
 *   DELETE /__fake/faults                  disarm all faults (no auth) → 204
 *
 * Faults: http500 answers HTTP 500 without executing; drop destroys the socket without executing;
 * timeout never answers (until close); lose-response executes the packet, then destroys the socket;
 * exists answers errcode 1007 for that operation; error answers `errcode` (default 1023).
 * Deviation from Plesk: a SchemaError found mid-packet answers 1014 even though earlier
 * operations of the same packet have already run (Plesk validates the whole packet first).
 *
 * `stateFile` keeps customers, subscriptions, plans and counters across restarts, passwords as
 * salted SHA-256 only (see fake-persist.ts); faults and the request log are not kept.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { randomBytes } from 'node:crypto'
import { PLESK_AGENT_PATH, PLESK_RSESSION_PATH } from '../../integrations/plesk/packets.ts'
import { PleskCode } from '../../integrations/plesk/errors.ts'
import { FaultBook, type FakeFault, type FakeFaultKind } from './faults.ts'
import { errorResult, FAKE_OPERATIONS, SchemaError } from './ops.ts'
import { parsePleskState, PLESK_STATE_FORMAT, type FakePleskDump } from './persist.ts'
import { StateFile, warnToStderr } from '../kit/state-file.ts'
import {
  FakePleskState,
  seededRandom,
  type FakeCustomer,
  type FakePlan,
  type FakePlanInput,
  type FakeSession,
  type FakeWebspace,
} from './state.ts'
import { buildXml, el, parseXml, XmlSyntaxError, type XNode } from '../../integrations/plesk/xml.ts'

export type { FakeFault, FakeFaultKind } from './faults.ts'
export type { FakeCustomer, FakePlan, FakePlanInput, FakeSession, FakeWebspace } from './state.ts'

export interface FakePleskOptions {
  /** Secret key accepted in the `KEY` header. */
  apiKey: string
  /** Optional credentials accepted in HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD. */
  login?: string
  password?: string
  host?: string
  port?: number
  /** Delay before each XML API answer. */
  latencyMs?: number
  /** Probability (0..1) that an XML API request gets HTTP 500 without being executed. */
  failRate?: number
  /** Probability (0..1) that an XML API request's socket is destroyed without being executed. */
  dropRate?: number
  /** Seed for GUIDs and for failRate/dropRate draws (default 1). */
  seed?: number
  /** Service plans (default Basic, Standard, Pro). */
  plans?: FakePlanInput[]
  /** The one shared IP (default 203.0.113.10). */
  sharedIp?: string
  /** JSON file that keeps the state across restarts: loaded on start, written after changes and on close. */
  stateFile?: string
  /** Receives problems with the state file (default: a line on stderr); they never stop the fake. */
  onWarning?: (msg: string) => void
}

export interface FakeRequestRecord {
  /** `operator.operation` keys of the packet, in order (empty when unparsed or unauthenticated). */
  operations: string[]
  outcome: 'answered' | 'auth-error' | 'parse-error' | 'random-500' | 'random-drop' | FakeFaultKind
}

export interface FakePleskHandle {
  /** Origin, e.g. http://127.0.0.1:40123 (pass as the adapter's baseUrl). */
  url: string
  port: number
  close(): Promise<void>
  customers(): FakeCustomer[]
  webspaces(): FakeWebspace[]
  plans(): FakePlan[]
  injectFault(f: FakeFault): void
  clearFaults(): void
  /** XML API requests received so far, without bodies. */
  requests(): FakeRequestRecord[]
  verifyFtpPassword(domain: string, candidate: string): boolean
  verifyCustomerPassword(login: string, candidate: string): boolean
  /** Login sessions minted by `server/create_session`, without their ids. */
  sessions(): FakeSession[]
  /** Replaces the fake's wall clock for session expiry (ms since the epoch). */
  setNow(now: () => number): void
}

const PLESK_VERSION = '1.6.9.1'
const MAX_BODY = 5 * 1024 * 1024

/** Starts the fake Plesk server; resolves once it listens. */
export async function startFakePlesk(opts: FakePleskOptions): Promise<FakePleskHandle> {
  const seed = opts.seed ?? 1
  const state = new FakePleskState({ plans: opts.plans, sharedIp: opts.sharedIp, random: seededRandom(seed) })
  const warn = (msg: string): void => (opts.onWarning ?? warnToStderr)(`fake Plesk: ${msg}`)
  const file =
    opts.stateFile === undefined
      ? null
      : new StateFile<FakePleskDump>({
          path: opts.stateFile,
          format: PLESK_STATE_FORMAT,
          parse: parsePleskState,
          warn,
          dump: () => state.dump(),
        })
  const saved = file?.load() ?? null
  if (saved) {
    state.restore(saved)
    file?.touch()
  }
  const chance = seededRandom(seed + 0x9e3779b9)
  const faults = new FaultBook()
  const records: FakeRequestRecord[] = []
  const closing = new AbortController()
  /** Panel cookies handed out by `rsession_init.php` → the customer login they are for. */
  const panelSessions = new Map<string, string>()

  const server = createServer((req, res) => {
    // Any executed packet may have changed the state; the file skips unchanged writes.
    handle(req, res).then(
      () => file?.touch(),
      () => {
        file?.touch()
        if (!res.headersSent) res.writeHead(500).end()
        else res.destroy()
      },
    )
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname
    if (path === '/__fake/faults') return control(req, res)
    if (path === PLESK_RSESSION_PATH) return sessionInit(req, res)
    // The customer panel's pages (where a login lands: `/smb/…`, or `/`).
    if (req.method === 'GET' && (path === '/' || path.startsWith('/smb/'))) return panelPage(req, res)
    if (path !== PLESK_AGENT_PATH) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end()
    const body = await readBody(req)
    if (body === null) return void res.writeHead(413).end()

    const record: FakeRequestRecord = { operations: [], outcome: 'answered' }
    records.push(record)
    if ((opts.dropRate ?? 0) > 0 && chance() < opts.dropRate!) {
      record.outcome = 'random-drop'
      return void req.socket.destroy()
    }
    if ((opts.failRate ?? 0) > 0 && chance() < opts.failRate!) {
      record.outcome = 'random-500'
      return void res.writeHead(500).end('Internal Server Error')
    }
    if (opts.latencyMs) {
      try {
        await sleep(opts.latencyMs, undefined, { signal: closing.signal })
      } catch {
        return
      }
    }

    if (!authorized(req)) {
      record.outcome = 'auth-error'
      return sendXml(res, systemError(PleskCode.authFailed, 'Authentication failed - wrong password.'))
    }
    let root: XNode
    try {
      root = parseXml(body)
      if (root.name !== 'packet') {
        throw new XmlSyntaxError(`Element '${root.name}': No matching global declaration available`)
      }
    } catch (err) {
      record.outcome = 'parse-error'
      return sendXml(
        res,
        systemError(PleskCode.parseError, `Parser error: Request is invalid. ${(err as Error).message}`),
      )
    }
    const operations = root.children.flatMap(operator => operator.children.map(op => `${operator.name}.${op.name}`))
    record.operations = operations
    const unknown = operations.find(key => !Object.hasOwn(FAKE_OPERATIONS, key))
    if (unknown) {
      record.outcome = 'parse-error'
      return sendXml(
        res,
        systemError(
          PleskCode.parseError,
          `Parser error: Request is invalid. Element '${unknown}' is not supported by the fake`,
        ),
      )
    }

    const fault = faults.take(operations)
    if (fault) record.outcome = fault.fault
    if (fault?.fault === 'http500') {
      return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error')
    }
    if (fault?.fault === 'drop') return void req.socket.destroy()
    if (fault?.fault === 'timeout') return // held until the client gives up or close() destroys the socket

    let reply: XNode
    try {
      reply = execute(root, fault)
    } catch (err) {
      if (!(err instanceof SchemaError)) throw err
      record.outcome = 'parse-error'
      return sendXml(res, systemError(PleskCode.parseError, `Parser error: Request is invalid. ${err.message}`))
    }
    if (fault?.fault === 'lose-response') return void req.socket.destroy()
    sendXml(res, reply)
  }

  /** Runs every operation of the packet in order; an exists/error fault replaces its target's results. */
  function execute(root: XNode, fault: FakeFault | null): XNode {
    let faultUsed = false
    const operators = root.children.map(operator =>
      el(
        operator.name,
        ...operator.children.map(op => {
          const key = `${operator.name}.${op.name}`
          const hit =
            fault &&
            !faultUsed &&
            (fault.fault === 'exists' || fault.fault === 'error') &&
            (fault.operation === undefined || fault.operation === key)
          if (hit) {
            faultUsed = true
            const code = fault.fault === 'exists' ? PleskCode.exists : (fault.errcode ?? PleskCode.operationFailed)
            return el(
              op.name,
              errorResult(code, fault.fault === 'exists' ? 'Object already exists (injected).' : 'Injected failure.'),
            )
          }
          return el(op.name, ...FAKE_OPERATIONS[key]!(state, op))
        }),
      ),
    )
    return packetNode(...operators)
  }

  /**
   * Where the login lands: a stand-in for the panel, so a one-time link followed in zero-setup mode
   * (or a browser test) shows whose panel it opened. Only with the cookie `rsession_init` set.
   */
  function panelPage(req: IncomingMessage, res: ServerResponse): void {
    const cookie = /(?:^|;\s*)PLESKSESSID=([0-9a-f]{32})/.exec(req.headers.cookie ?? '')?.[1]
    const login = cookie === undefined ? undefined : panelSessions.get(cookie)
    const page = (status: number, title: string, body: string) =>
      void res
        .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
        .end(`<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1>${body}</html>`)
    if (login === undefined) {
      return page(403, 'Plesk (fake): not logged in', '<p>Open the panel from your billing account.</p>')
    }
    const owner = state.customerByLogin(login)
    const domains = [...state.webspaces.values()]
      .filter(w => owner !== undefined && w.ownerId === owner.id)
      .map(w => w.name)
    page(
      200,
      'Plesk (fake)',
      `<p>Logged in as <strong id="login">${escapeHtml(login)}</strong>.</p><ul>${domains.map(d => `<li>${escapeHtml(d)}</li>`).join('')}</ul>`,
    )
  }

  /** The browser's side of the one-time login: consumes the session once, from its IP only. */
  function sessionInit(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return void res.writeHead(405, { Allow: 'GET' }).end()
    const query = new URL(req.url ?? '/', 'http://fake').searchParams
    const id = query.get('PLESKSESSID') ?? query.get('PHPSESSID') ?? ''
    const session = state.sessions.get(id)
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
    const refuse = (why: string) =>
      void res.writeHead(403, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end(why)
    if (!session || session.used) return refuse('The session is invalid or has already been used.')
    if (session.expiresAt <= state.now()) return refuse('The session has expired.')
    // Not consumed by a wrong IP: whoever holds a leaked link elsewhere cannot spend it for the owner.
    if (session.ip !== ip) return refuse('The session was created for another IP address.')
    session.used = true
    const cookie = randomBytes(16).toString('hex')
    panelSessions.set(cookie, session.login)
    const target = query.get('success_redirect_url') ?? ''
    res
      .writeHead(302, {
        // Only a path on this panel: the fake is no open redirector.
        Location: target.startsWith('/') && !target.startsWith('//') ? target : '/',
        'Set-Cookie': `PLESKSESSID=${cookie}; Path=/; HttpOnly`,
        'Cache-Control': 'no-store',
      })
      .end()
  }

  async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'DELETE') {
      faults.clear()
      return void res.writeHead(204).end()
    }
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST, DELETE' }).end()
    try {
      faults.add(FaultBook.fromJson((await readBody(req)) ?? ''))
      res.writeHead(204).end()
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: (err as Error).message }))
    }
  }

  function authorized(req: IncomingMessage): boolean {
    const key = header(req, 'key')
    if (key !== undefined) return safeEqual(key, opts.apiKey)
    if (opts.login === undefined || opts.password === undefined) return false
    const login = header(req, 'http_auth_login')
    const passwd = header(req, 'http_auth_passwd')
    return (
      login !== undefined && passwd !== undefined && safeEqual(login, opts.login) && safeEqual(passwd, opts.password)
    )
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port, address } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address

  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>(resolve => {
        closing.abort()
        server.close(() => {
          file?.close()
          resolve()
        })
        server.closeAllConnections()
      }),
    customers: () => [...state.customers.values()].map(c => ({ ...c })),
    webspaces: () => [...state.webspaces.values()].map(w => ({ ...w })),
    plans: () => state.plans.map(p => ({ ...p })),
    injectFault: f => faults.add(f),
    clearFaults: () => faults.clear(),
    requests: () => records.map(r => ({ ...r, operations: [...r.operations] })),
    verifyFtpPassword: (domain, candidate) => state.verifyFtpPassword(domain, candidate),
    verifyCustomerPassword: (login, candidate) => state.verifyCustomerPassword(login, candidate),
    sessions: () => [...state.sessions.values()].map(x => ({ ...x })),
    setNow: now => {
      state.now = now
    },
  }
}

function packetNode(...children: XNode[]): XNode {
  const node = el('packet', ...children)
  node.attrs = { version: PLESK_VERSION }
  return node
}

function systemError(errcode: number, errtext: string): XNode {
  return packetNode(el('system', el('status', 'error'), el('errcode', errcode), el('errtext', errtext)))
}

function sendXml(res: ServerResponse, packet: XNode): void {
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=UTF-8' }).end(buildXml(packet))
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Reads the request body as UTF-8; null when it exceeds MAX_BODY. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
