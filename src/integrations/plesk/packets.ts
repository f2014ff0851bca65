import type { CreateWebspaceInput, PleskCustomerInput } from './types.ts'
import { buildXml, el, type XNode } from './xml.ts'

/**
 * Request packets for the Plesk XML API, as pure functions. Child order follows the XSD
 * sequences (Plesk rejects out-of-order nodes); values are escaped by the XML builder.
 */

/** Path of the XML API endpoint on the panel origin. */
export const PLESK_AGENT_PATH = '/enterprise/control/agent.php'

/** Wraps one or more operator nodes into a serialised `<packet>`. */
export function buildPacket(...operators: XNode[]): string {
  return buildXml(el('packet', ...operators))
}

/** `<customer><get>` by external-id, asking for gen_info (it carries the customer GUID). */
export function customerGetByExternalId(externalId: string): XNode {
  return el('customer', el('get', el('filter', el('external-id', externalId)), el('dataset', el('gen_info'))))
}

/** `<customer><add>`; gen_info order per clientAddGenInfo: cname, pname, login, passwd, email, external-id. */
export function customerAdd(input: PleskCustomerInput): XNode {
  return el(
    'customer',
    el(
      'add',
      el(
        'gen_info',
        input.company ? el('cname', input.company) : null,
        el('pname', input.name),
        el('login', input.login),
        el('passwd', input.password),
        el('email', input.email),
        el('external-id', input.externalId),
      ),
    ),
  )
}

/** `<ip><get/></ip>`: the server's IP addresses. */
export function ipGet(): XNode {
  return el('ip', el('get'))
}

/** `<service-plan><get>` by plan name; the reply carries the plan GUID. */
export function servicePlanGetByName(name: string): XNode {
  return el('service-plan', el('get', el('filter', el('name', name))))
}

/** `<webspace><get>` by name with gen_info, limits (expiration) and subscriptions (plan GUID). */
export function webspaceGetByName(name: string): XNode {
  return el(
    'webspace',
    el('get', el('filter', el('name', name)), el('dataset', el('gen_info'), el('limits'), el('subscriptions'))),
  )
}

/** `<webspace><add>`: gen_setup, then hosting with FTP credentials, then the plan (a plan can only be attached here). */
export function webspaceAdd(input: CreateWebspaceInput, ipAddress: string): XNode {
  return el(
    'webspace',
    el(
      'add',
      el(
        'gen_setup',
        el('name', input.domain),
        el('owner-id', input.ownerId),
        el('htype', 'vrt_hst'),
        el('ip_address', ipAddress),
      ),
      el(
        'hosting',
        el(
          'vrt_hst',
          property('ftp_login', input.ftpLogin),
          property('ftp_password', input.ftpPassword),
          el('ip_address', ipAddress),
        ),
      ),
      el('plan-name', input.planName),
    ),
  )
}

function property(name: string, value: string): XNode {
  return el('property', el('name', name), el('value', value))
}

/** `<webspace><switch-subscription>` to the plan with this GUID. */
export function webspaceSwitchPlan(name: string, planGuid: string): XNode {
  return el('webspace', el('switch-subscription', el('filter', el('name', name)), el('plan-guid', planGuid)))
}

/** `<webspace><set>` of the `expiration` limit (Unix seconds, -1 = never). */
export function webspaceSetExpiration(name: string, expiration: number): XNode {
  return webspaceSet(name, el('limits', el('limit', el('name', 'expiration'), el('value', expiration))))
}

/** `<webspace><set>` of gen_setup/status (0 active, 16 disabled by admin). */
export function webspaceSetStatus(name: string, status: number): XNode {
  return webspaceSet(name, el('gen_setup', el('status', status)))
}

/** `<webspace><set>` of the main FTP user's password (hosting/vrt_hst property, as in `add`). */
export function webspaceSetFtpPassword(name: string, password: string): XNode {
  return webspaceSet(name, el('hosting', el('vrt_hst', property('ftp_password', password))))
}

/** `<server><create_session>` for a login; `user_ip` base64-encoded, as the Onyx docs require. */
export function serverCreateSession(login: string, userIp: string): XNode {
  return el(
    'server',
    el(
      'create_session',
      el('login', login),
      el('data', el('user_ip', Buffer.from(userIp, 'utf8').toString('base64')), el('source_server', '')),
    ),
  )
}

/** Path of the page that turns a session id into a logged-in panel session. */
export const PLESK_RSESSION_PATH = '/enterprise/rsession_init.php'

function webspaceSet(name: string, values: XNode): XNode {
  return el('webspace', el('set', el('filter', el('name', name)), el('values', values)))
}

/** `<webspace><del>` by name. */
export function webspaceDel(name: string): XNode {
  return el('webspace', el('del', el('filter', el('name', name))))
}

/** The `expiration` limit value for a date: whole Unix seconds, or -1 for never. */
export function expirationValue(expiresAt: Date | null): number {
  return expiresAt === null ? -1 : Math.floor(expiresAt.getTime() / 1000)
}
