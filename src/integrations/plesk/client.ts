import { AppError } from '../../lib/errors.ts'
import type { Logger } from '../../lib/logger.ts'
import { HttpClient } from '../http-client.ts'
import { PleskCode, pleskError } from './errors.ts'
import {
  PLESK_AGENT_PATH,
  PLESK_RSESSION_PATH,
  buildPacket,
  customerAdd,
  customerGetByExternalId,
  expirationValue,
  ipGet,
  serverCreateSession,
  servicePlanGetByName,
  webspaceAdd,
  webspaceDel,
  webspaceGetByName,
  webspaceSetExpiration,
  webspaceSetFtpPassword,
  webspaceSetStatus,
  webspaceSwitchPlan,
} from './packets.ts'
import {
  failureOf,
  parseCustomerRef,
  parseIpAddresses,
  parseRef,
  parseReply,
  parseServicePlan,
  parseSessionId,
  parseWebspace,
  pickSharedIp,
  type OperationReply,
  type PleskReply,
} from './replies.ts'
import type { PleskApi, PleskRef } from './types.ts'
import type { XNode } from './xml.ts'

export { PLESK_AGENT_PATH }

export interface PleskClientOptions {
  /** Panel origin, e.g. https://plesk.example.net:8443; packets go to /enterprise/control/agent.php. */
  baseUrl: string
  /** Where customers' browsers reach the panel, for login links (default: baseUrl). */
  panelUrl?: string
  /** Secret key (PLESK_API_KEY), sent as the `KEY` header. Takes precedence over login/password. */
  apiKey?: string
  login?: string
  password?: string
  timeoutMs?: number
  retries?: number
  backoffMs?: number
  logger: Logger
}

interface CallOptions {
  /** Only reads and set-to-a-value packets; an `add` must never be resent blindly. */
  idempotent: boolean
  /** Values of this packet that must not appear in error messages. */
  secrets?: string[]
}

const STATUS_ACTIVE = 0
const STATUS_DISABLED_BY_ADMIN = 16

/** Creates the Plesk XML API adapter (see types.ts for the contract). */
export function createPleskClient(opts: PleskClientOptions): PleskApi {
  const headers: Record<string, string> = { 'Content-Type': 'text/xml' }
  if (opts.apiKey) {
    headers.KEY = headerValue(opts.apiKey, 'apiKey')
  } else if (opts.login && opts.password) {
    headers.HTTP_AUTH_LOGIN = headerValue(opts.login, 'login')
    headers.HTTP_AUTH_PASSWD = headerValue(opts.password, 'password')
  } else {
    throw new AppError('internal_error', 'Plesk adapter needs an API key or a login and password')
  }
  const secrets = [opts.apiKey, opts.password].filter((s): s is string => !!s)
  const log = opts.logger.child({ provider: 'plesk' })
  const http = new HttpClient({
    provider: 'plesk',
    baseUrl: opts.baseUrl,
    headers,
    timeoutMs: opts.timeoutMs ?? 60_000,
    retries: opts.retries ?? 2,
    backoffMs: opts.backoffMs ?? 250,
    logger: opts.logger,
  })

  /** Posts one packet with one operation and returns that operation's results. */
  async function call(label: string, operator: XNode, o: CallOptions): Promise<XNode[]> {
    const res = await http.send({
      method: 'POST',
      path: PLESK_AGENT_PATH,
      body: buildPacket(operator),
      idempotent: o.idempotent,
    })
    if (res.status !== 200) {
      throw http.error(`Plesk answered HTTP ${res.status} to ${label}`, false, { status: res.status, operation: label })
    }
    let reply: PleskReply
    try {
      reply = parseReply(res.text)
    } catch {
      throw http.error(`Plesk sent an unreadable reply to ${label}`, false, { operation: label })
    }
    if (reply.kind === 'system') throw pleskError(reply.error, label, [...secrets, ...(o.secrets ?? [])])
    const [op] = reply.operations
    if (!op || !matches(op, operator)) {
      throw http.error(`Plesk reply to ${label} lacks the operation`, false, { operation: label })
    }
    return op.results
  }

  /** Like call, for operations on one object: returns its ok result or throws its error. */
  async function callOne(label: string, operator: XNode, o: CallOptions): Promise<XNode> {
    const [result] = await call(label, operator, o)
    if (!result) throw http.error(`Plesk reply to ${label} has no result`, false, { operation: label })
    const failure = failureOf(result)
    if (failure) throw pleskError(failure, label, [...secrets, ...(o.secrets ?? [])])
    return result
  }

  /** Returns the first ok result, null for "not found" (1013 or no result), throws other errors. */
  async function findOne(label: string, operator: XNode): Promise<XNode | null> {
    const [result] = await call(label, operator, { idempotent: true })
    if (!result) return null
    const failure = failureOf(result)
    if (failure?.errcode === PleskCode.notFound) return null
    if (failure) throw pleskError(failure, label, secrets)
    return result
  }

  function parsed<T>(label: string, fn: () => T): T {
    try {
      return fn()
    } catch (err) {
      throw http.error(`Plesk reply to ${label} is incomplete: ${(err as Error).message}`, false, { operation: label })
    }
  }

  let sharedIp: Promise<string> | null = null
  function getSharedIp(): Promise<string> {
    // Cached for the adapter's lifetime; a failed lookup is forgotten so the next call retries.
    sharedIp ??= (async () => {
      const result = await callOne('ip.get', ipGet(), { idempotent: true })
      const ip = pickSharedIp(parsed('ip.get', () => parseIpAddresses(result)))
      if (!ip) throw http.error('Plesk reported no IP address for new subscriptions', false, { operation: 'ip.get' })
      return ip
    })().catch((err: unknown) => {
      sharedIp = null
      throw err
    })
    return sharedIp
  }

  async function setStatus(domain: string, status: number, label: string): Promise<void> {
    await callOne(label, webspaceSetStatus(domain, status), { idempotent: true })
    log.info({ operation: label, domain, status }, 'plesk webspace status set')
  }

  return {
    async findCustomerByExternalId(externalId: string): Promise<PleskRef | null> {
      const result = await findOne('customer.get', customerGetByExternalId(externalId))
      return result ? parsed('customer.get', () => parseCustomerRef(result)) : null
    },

    async createCustomer(input) {
      const result = await callOne('customer.add', customerAdd(input), { idempotent: false, secrets: [input.password] })
      const ref = parsed('customer.add', () => parseRef(result))
      log.info(
        { operation: 'customer.add', customerId: ref.id, login: input.login, externalId: input.externalId },
        'plesk customer created',
      )
      return ref
    },

    async findWebspace(domain) {
      const result = await findOne('webspace.get', webspaceGetByName(domain))
      return result ? parsed('webspace.get', () => parseWebspace(result)) : null
    },

    async createWebspace(input) {
      const ip = await getSharedIp()
      const result = await callOne('webspace.add', webspaceAdd(input, ip), {
        idempotent: false,
        secrets: [input.ftpPassword],
      })
      const ref = parsed('webspace.add', () => parseRef(result))
      log.info(
        {
          operation: 'webspace.add',
          domain: input.domain,
          ownerId: input.ownerId,
          plan: input.planName,
          webspaceId: ref.id,
        },
        'plesk webspace created',
      )
      return ref
    },

    async switchPlan(domain, planName) {
      const planResult = await findOne('service-plan.get', servicePlanGetByName(planName))
      if (!planResult) {
        throw pleskError(
          { errcode: PleskCode.notFound, errtext: `service plan '${planName}' does not exist` },
          'service-plan.get',
        )
      }
      const plan = parsed('service-plan.get', () => parseServicePlan(planResult))
      await callOne('webspace.switch-subscription', webspaceSwitchPlan(domain, plan.guid), { idempotent: true })
      log.info(
        { operation: 'webspace.switch-subscription', domain, plan: planName, planGuid: plan.guid },
        'plesk plan switched',
      )
    },

    async setExpiration(domain, expiresAt) {
      const value = expirationValue(expiresAt)
      if (!Number.isFinite(value)) {
        throw new AppError('validation_error', 'expiration date is not a valid date', {
          details: { field: 'expiresAt' },
        })
      }
      await callOne('webspace.set', webspaceSetExpiration(domain, value), { idempotent: true })
      log.info({ operation: 'webspace.set', domain, expiration: value }, 'plesk expiration set')
    },

    suspend: domain => setStatus(domain, STATUS_DISABLED_BY_ADMIN, 'webspace.set'),
    activate: domain => setStatus(domain, STATUS_ACTIVE, 'webspace.set'),

    async deleteWebspace(domain) {
      // Not flagged idempotent: a retry after a lost reply would answer 1013 for a delete that worked.
      await callOne('webspace.del', webspaceDel(domain), { idempotent: false })
      log.info({ operation: 'webspace.del', domain }, 'plesk webspace deleted')
    },

    async setFtpPassword(domain, password) {
      // Setting a value is safe to resend; the password is scrubbed from any error text Plesk echoes.
      await callOne('webspace.set', webspaceSetFtpPassword(domain, password), {
        idempotent: true,
        secrets: [password],
      })
      log.info({ operation: 'webspace.set', domain, property: 'ftp_password' }, 'plesk ftp password set')
    },

    async createLoginUrl(input) {
      // Not resent: each call mints a session, and a lost reply's session is useless anyway.
      const result = await callOne('server.create_session', serverCreateSession(input.login, input.userIp), {
        idempotent: false,
      })
      const id = parsed('server.create_session', () => parseSessionId(result))
      const url = new URL(PLESK_RSESSION_PATH, opts.panelUrl ?? opts.baseUrl)
      url.searchParams.set('PLESKSESSID', id)
      url.searchParams.set('success_redirect_url', input.redirectPath)
      // The session id is a credential: logged without it.
      log.info({ operation: 'server.create_session', login: input.login }, 'plesk login session created')
      return url.toString()
    },
  }
}

function matches(op: OperationReply, operator: XNode): boolean {
  return op.operator === operator.name && op.operation === operator.children[0]?.name
}

/** Header values must be printable ASCII; the error names the option, never its value. */
function headerValue(value: string, option: string): string {
  if (!/^[\x20-\x7e]+$/.test(value)) {
    throw new AppError('internal_error', `Plesk option '${option}' contains characters not allowed in an HTTP header`)
  }
  return value
}
