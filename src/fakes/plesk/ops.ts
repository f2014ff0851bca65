import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import { PleskCode } from '../../integrations/plesk/errors.ts'
import { SESSION_TTL_MS, type FakeCustomer, type FakePleskState, type FakeWebspace } from './state.ts'
import { child, children, el, textAt, type XNode } from '../../integrations/plesk/xml.ts'

/**
 * Operation handlers of the fake Plesk. Each takes the operation node (e.g. `<add>`) and returns
 * the `<result>` nodes Plesk would put under it. A malformed request (what Plesk's XSD check
 * rejects before running anything) throws SchemaError, which the server turns into a `<system>` 1014.
 */
export class SchemaError extends Error {}

type Handler = (state: FakePleskState, op: XNode) => XNode[]

/** Fault injection and dispatch key: `operator.operation`. */
export const FAKE_OPERATIONS: Record<string, Handler> = {
  'customer.add': customerAdd,
  'customer.get': customerGet,
  'ip.get': ipGet,
  'service-plan.get': servicePlanGet,
  'webspace.add': webspaceAdd,
  'webspace.get': webspaceGet,
  'webspace.set': webspaceSet,
  'webspace.switch-subscription': webspaceSwitch,
  'webspace.del': webspaceDel,
  'server.create_session': serverCreateSession,
}

/** Plesk's minimum password length; a shorter FTP password is refused with an errcode. */
const MIN_PASSWORD = 8

/** An ok `<result>` with the given children after `<status>`. */
export function okResult(...nodes: Array<XNode | null>): XNode {
  return el('result', el('status', 'ok'), ...nodes)
}

/** An error `<result>`: status, errcode, errtext, then filter-id when the failure concerns one filter value. */
export function errorResult(errcode: number, errtext: string, filterId?: string | null): XNode {
  return el(
    'result',
    el('status', 'error'),
    el('errcode', errcode),
    el('errtext', errtext),
    filterId == null ? null : el('filter-id', filterId),
  )
}

type Matchers<T> = Record<string, (item: T, value: string) => boolean>
interface Selected<T> {
  filterId: string | null
  item: T | null
}

/** Applies a Plesk filter: empty matches all; each value yields its matches or one miss. */
function select<T>(filter: XNode | undefined, items: T[], matchers: Matchers<T>): Array<Selected<T>> {
  if (!filter) throw new SchemaError("Element 'filter' is required")
  if (filter.children.length === 0) return items.map(item => ({ filterId: null, item }))
  const out: Array<Selected<T>> = []
  for (const rule of filter.children) {
    const match = Object.hasOwn(matchers, rule.name) ? matchers[rule.name] : undefined
    if (!match) throw new SchemaError(`Element '${rule.name}': This element is not expected`)
    const value = rule.text.trim()
    const found = items.filter(item => match(item, value))
    if (found.length === 0) out.push({ filterId: value, item: null })
    for (const item of found) out.push({ filterId: value, item })
  }
  return out
}

function required(node: XNode | undefined, name: string): string {
  const value = child(node, name)?.text
  if (value === undefined || value === '') throw new SchemaError(`Element '${name}' is required`)
  return value
}

function customerAdd(state: FakePleskState, op: XNode): XNode[] {
  const gen = child(op, 'gen_info')
  if (!gen) throw new SchemaError("Element 'gen_info' is required")
  const login = required(gen, 'login')
  const name = required(gen, 'pname')
  const password = required(gen, 'passwd')
  if (state.customerByLogin(login)) return [errorResult(PleskCode.userExists, `User ${login} already exists.`)]
  const c = state.addCustomer(
    {
      login,
      name,
      company: textAt(gen, 'cname') ?? '',
      email: textAt(gen, 'email') ?? '',
      externalId: textAt(gen, 'external-id') || null,
      description: textAt(gen, 'description') ?? '',
      status: Number(textAt(gen, 'status') ?? 0),
    },
    password,
  )
  return [okResult(el('id', c.id), el('guid', c.guid))]
}

const customerMatchers: Matchers<FakeCustomer> = {
  id: (c, v) => String(c.id) === v,
  login: (c, v) => c.login === v,
  guid: (c, v) => c.guid === v,
  'external-id': (c, v) => c.externalId === v,
  'owner-id': (_c, v) => v === '1',
  'owner-login': (_c, v) => v === 'admin',
}

function customerGet(state: FakePleskState, op: XNode): XNode[] {
  const dataset = child(op, 'dataset')
  if (!dataset) throw new SchemaError("Element 'dataset' is required")
  return select(child(op, 'filter'), [...state.customers.values()], customerMatchers).map(({ filterId, item: c }) => {
    if (!c) return errorResult(PleskCode.notFound, 'client does not exist', filterId)
    const gen = child(dataset, 'gen_info')
      ? el(
          'gen_info',
          el('cr_date', c.createdAt),
          el('cname', c.company),
          el('pname', c.name),
          el('login', c.login),
          el('status', c.status),
          el('email', c.email),
          el('locale', 'en-US'),
          el('guid', c.guid),
          el('owner-login', 'admin'),
          c.externalId ? el('external-id', c.externalId) : null,
          el('description', c.description),
        )
      : null
    return okResult(filterId === null ? null : el('filter-id', filterId), el('id', c.id), el('data', gen))
  })
}

function ipGet(state: FakePleskState): XNode[] {
  return [
    okResult(
      el(
        'addresses',
        el(
          'ip_info',
          el('ip_address', state.sharedIp),
          el('netmask', '255.255.255.0'),
          el('type', 'shared'),
          el('interface', 'eth0'),
        ),
      ),
    ),
  ]
}

function servicePlanGet(state: FakePleskState, op: XNode): XNode[] {
  return select(child(op, 'filter'), state.plans, {
    id: (p, v) => String(p.id) === v,
    name: (p, v) => p.name === v,
    guid: (p, v) => p.guid === v,
    'external-id': (p, v) => p.externalId === v,
  }).map(({ filterId, item: p }) =>
    p
      ? okResult(
          filterId === null ? null : el('filter-id', filterId),
          el('id', p.id),
          el('name', p.name),
          el('guid', p.guid),
          p.externalId ? el('external-id', p.externalId) : null,
        )
      : errorResult(PleskCode.notFound, 'Service plan does not exist', filterId),
  )
}

function webspaceAdd(state: FakePleskState, op: XNode): XNode[] {
  const gen = child(op, 'gen_setup')
  if (!gen) throw new SchemaError("Element 'gen_setup' is required")
  const name = required(gen, 'name').trim()
  if (state.webspaceByName(name)) return [errorResult(PleskCode.exists, `Domain ${name} already exists.`)]

  let ownerId: number | null = null
  const ownerRule = gen.children.find(c => c.name.startsWith('owner-'))
  if (ownerRule) {
    const v = ownerRule.text.trim()
    const owner = [...state.customers.values()].find(
      c =>
        (ownerRule.name === 'owner-id' && String(c.id) === v) ||
        (ownerRule.name === 'owner-login' && c.login === v) ||
        (ownerRule.name === 'owner-guid' && c.guid === v) ||
        (ownerRule.name === 'owner-external-id' && c.externalId === v),
    )
    if (!owner) return [errorResult(PleskCode.ownerNotFound, 'Owner not found.')]
    ownerId = owner.id
  }

  const ip = textAt(gen, 'ip_address') ?? state.sharedIp
  if (ip !== state.sharedIp) return [errorResult(PleskCode.ipNotFound, `IP address ${ip} does not exist.`)]

  const vrt = child(child(op, 'hosting'), 'vrt_hst')
  const props = new Map(children(vrt, 'property').map(p => [textAt(p, 'name') ?? '', child(p, 'value')?.text ?? '']))
  if (vrt && (!props.get('ftp_login') || !props.get('ftp_password'))) {
    return [errorResult(PleskCode.invalidValue, 'Hosting properties ftp_login and ftp_password are required.')]
  }

  let planGuid: string | null = null
  const planRule = op.children.find(c => c.name.startsWith('plan-'))
  if (planRule) {
    const by = (
      { 'plan-id': 'id', 'plan-name': 'name', 'plan-guid': 'guid', 'plan-external-id': 'externalId' } as const
    )[planRule.name]
    if (!by) throw new SchemaError(`Element '${planRule.name}': This element is not expected`)
    const plan = state.findPlan(by, planRule.text.trim())
    if (!plan) return [errorResult(PleskCode.notFound, `Service plan ${planRule.text.trim()} does not exist.`)]
    planGuid = plan.guid
  }

  const ws = state.addWebspace(
    {
      name,
      ownerId,
      status: Number(textAt(gen, 'status') ?? 0),
      ipAddress: ip,
      planGuid,
      ftpLogin: props.get('ftp_login') ?? null,
    },
    props.get('ftp_password') ?? null,
  )
  return [okResult(el('id', ws.id), el('guid', ws.guid))]
}

function webspaceMatchers(state: FakePleskState): Matchers<FakeWebspace> {
  const owner = (w: FakeWebspace) => (w.ownerId === null ? undefined : state.customers.get(w.ownerId))
  return {
    id: (w, v) => String(w.id) === v,
    name: (w, v) => w.name.toLowerCase() === v.toLowerCase(),
    guid: (w, v) => w.guid === v,
    'owner-id': (w, v) => String(w.ownerId ?? 1) === v,
    'owner-login': (w, v) => (owner(w)?.login ?? 'admin') === v,
    'owner-guid': (w, v) => owner(w)?.guid === v,
    'owner-external-id': (w, v) => owner(w)?.externalId === v,
  }
}

/** Runs `fn` on each selected webspace; a miss answers 1013 with the filter value. */
function eachWebspace(state: FakePleskState, op: XNode, fn: (w: FakeWebspace) => XNode | null): XNode[] {
  return select(child(op, 'filter'), [...state.webspaces.values()], webspaceMatchers(state)).map(
    ({ filterId, item }) => {
      if (!item) return errorResult(PleskCode.notFound, 'domain does not exist', filterId)
      return fn(item) ?? okResult(filterId === null ? null : el('filter-id', filterId), el('id', item.id))
    },
  )
}

function webspaceGet(state: FakePleskState, op: XNode): XNode[] {
  const dataset = child(op, 'dataset')
  if (!dataset) throw new SchemaError("Element 'dataset' is required")
  const wants = (n: string) => child(dataset, n) !== undefined
  return select(child(op, 'filter'), [...state.webspaces.values()], webspaceMatchers(state)).map(
    ({ filterId, item: w }) => {
      if (!w) return errorResult(PleskCode.notFound, 'domain does not exist', filterId)
      const owner = w.ownerId === null ? undefined : state.customers.get(w.ownerId)
      // Data sections come in XSD order whatever the order in the request's dataset.
      const data = el(
        'data',
        wants('gen_info') &&
          el(
            'gen_info',
            el('cr_date', w.createdAt),
            el('name', w.name),
            el('ascii-name', w.name),
            el('status', w.status),
            el('real_size', 0),
            owner && el('owner-id', owner.id),
            owner && el('owner-login', owner.login),
            el('dns_ip_address', w.ipAddress),
            el('htype', 'vrt_hst'),
            el('guid', w.guid),
            el('vendor-guid', w.guid),
          ),
        wants('hosting') &&
          el(
            'hosting',
            el(
              'vrt_hst',
              w.ftpLogin !== null && el('property', el('name', 'ftp_login'), el('value', w.ftpLogin)),
              el('ip_address', w.ipAddress),
            ),
          ),
        wants('limits') &&
          el('limits', el('overuse', 'block'), el('limit', el('name', 'expiration'), el('value', w.expiration ?? -1))),
        wants('subscriptions') &&
          el(
            'subscriptions',
            el(
              'subscription',
              el('locked', String(w.locked)),
              el('synchronized', 'true'),
              w.planGuid !== null && el('plan', el('plan-guid', w.planGuid)),
            ),
          ),
      )
      return okResult(filterId === null ? null : el('filter-id', filterId), el('id', w.id), data)
    },
  )
}

function webspaceSet(state: FakePleskState, op: XNode): XNode[] {
  const values = child(op, 'values')
  if (!values) throw new SchemaError("Element 'values' is required")
  const statusText = textAt(values, 'gen_setup', 'status')
  const expirationText = children(child(values, 'limits'), 'limit').find(l => textAt(l, 'name') === 'expiration')
  const hosting = children(child(child(values, 'hosting'), 'vrt_hst'), 'property')
  const ftpPassword = hosting.find(p => textAt(p, 'name') === 'ftp_password')
  const unknownProperty = hosting.find(p => textAt(p, 'name') !== 'ftp_password')
  return eachWebspace(state, op, w => {
    if (unknownProperty) {
      return errorResult(
        PleskCode.invalidValue,
        `The fake does not set hosting property ${textAt(unknownProperty, 'name') ?? ''}`,
        w.name,
      )
    }
    const password = ftpPassword === undefined ? undefined : (child(ftpPassword, 'value')?.text ?? '')
    if (password !== undefined && password.length < MIN_PASSWORD) {
      // Plesk's own policy check; the text never echoes the value.
      return errorResult(
        PleskCode.invalidValue,
        `The password is too short: at least ${MIN_PASSWORD} characters are required.`,
        w.name,
      )
    }
    const status = statusText === undefined ? undefined : Number(statusText)
    if (status !== undefined && status !== 0 && status !== 16) {
      return errorResult(PleskCode.invalidValue, `Invalid status value: ${statusText}`, w.name)
    }
    let expiration: number | null | undefined
    if (expirationText) {
      const v = Number(textAt(expirationText, 'value'))
      if (!Number.isInteger(v) || v < -1) {
        return errorResult(PleskCode.invalidValue, 'Invalid value of limit expiration', w.name)
      }
      expiration = v <= 0 ? null : v
    }
    if (status !== undefined) w.status = status
    if (password !== undefined) state.setFtpPassword(w.id, password)
    if (expiration !== undefined) {
      w.expiration = expiration
      w.locked = w.planGuid !== null
    }
    return null
  })
}

function webspaceSwitch(state: FakePleskState, op: XNode): XNode[] {
  const guid = textAt(op, 'plan-guid')
  const externalId = textAt(op, 'plan-external-id')
  const noPlan = child(op, 'no-plan') !== undefined
  if (guid === undefined && externalId === undefined && !noPlan) {
    throw new SchemaError("One of 'plan-guid', 'plan-external-id', 'no-plan' is required")
  }
  const plan =
    guid !== undefined
      ? state.findPlan('guid', guid)
      : externalId !== undefined
        ? state.findPlan('externalId', externalId)
        : null
  return eachWebspace(state, op, w => {
    if (!noPlan && !plan) return errorResult(PleskCode.notFound, 'Service plan does not exist.', w.name)
    w.planGuid = plan ? plan.guid : null
    w.locked = false
    return null
  })
}

function webspaceDel(state: FakePleskState, op: XNode): XNode[] {
  return eachWebspace(state, op, w => {
    state.deleteWebspace(w.id)
    return null
  })
}

/**
 * `server/create_session`: a random 32-hex id bound to (login, browser IP) for five minutes,
 * consumed by `GET /enterprise/rsession_init.php`. `user_ip` is base64 (Onyx); plain text is
 * accepted too, as Obsidian does.
 */
function serverCreateSession(state: FakePleskState, op: XNode): XNode[] {
  const login = required(op, 'login')
  const raw = textAt(op, 'data', 'user_ip')
  if (raw === undefined || raw === '') throw new SchemaError("Element 'user_ip' is required")
  const decoded = Buffer.from(raw, 'base64').toString('utf8')
  const ip = isIP(decoded) !== 0 ? decoded : raw
  if (isIP(ip) === 0) return [errorResult(PleskCode.invalidValue, 'user_ip is not an IP address')]
  if (login !== 'admin' && !state.customerByLogin(login)) {
    return [errorResult(PleskCode.notFound, `User ${login} does not exist.`)]
  }
  const id = randomBytes(16).toString('hex')
  state.sessions.set(id, { login, ip, expiresAt: state.now() + SESSION_TTL_MS, used: false })
  return [okResult(el('id', id))]
}
