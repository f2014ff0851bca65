import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import { validation } from '../../lib/errors.ts'

/**
 * Which IP addresses a customer's webhook may reach. Webhook URLs are chosen by customers, so the
 * sender must never become a way into loopback, the private network, the cloud metadata service
 * (169.254.169.254) or anything else that is not the public Internet (SSRF). The rule is a
 * deny-by-default one: after `ipaddr.process()` (which unwraps `::ffff:a.b.c.d`) only the
 * `unicast` range is public; every other range ipaddr.js names is refused under that name.
 * An operator allow-list of CIDRs lets chosen ranges through (a local receiver in tests, a
 * private network the operator vouches for).
 *
 * This is a check in code; the deployment should still give the delivery workers no route to
 * internal networks (egress firewall or proxy).
 */

type Ip = ipaddr.IPv4 | ipaddr.IPv6

export type AddressVerdict =
  | {
      allowed: true
      address: string
      /** ipaddr.js range name; for an allow-listed address the range it was let through from. */
      range: string
      /** The allow-list entry that let a non-public address through, if any. */
      allowedBy?: string
    }
  | {
      allowed: false
      address: string
      /** ipaddr.js range name (`loopback`, `private`, `linkLocal`, …), `ipv4Mapped` or `invalid`. */
      range: string
      reason: string
    }

export interface AddressPolicy {
  check(address: string): AddressVerdict
  /** The allow-list as given, for logs and error details. */
  readonly allowList: readonly string[]
}

export interface AddressPolicyOptions {
  /** CIDRs (`127.0.0.0/8`, `fd00::/8`) whose addresses are allowed whatever their range. */
  allow?: readonly string[]
}

// All allocated global unicast IPv6 lies in 2000::/3. ipaddr.js calls some addresses outside it
// `unicast` (the deprecated IPv4-compatible ::a.b.c.d, for one), so those are refused here too.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3')

function parseStrict(address: string): Ip | undefined {
  // node:net accepts only canonical text forms, so '2130706433' or '0177.0.0.1' are not
  // addresses here; URLs reach this check after WHATWG normalisation has rewritten them.
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const withoutZone = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare
  if (isIP(withoutZone) === 0) return undefined
  return ipaddr.parse(withoutZone)
}

/** The ipaddr.js range of an address, after unwrapping IPv4-mapped IPv6; `invalid` if not an IP. */
export function addressRange(address: string): string {
  const ip = parseStrict(address)
  if (!ip) return 'invalid'
  const unwrapped = ipaddr.process(ip.toString())
  const range = unwrapped.range()
  if (range === 'unicast' && unwrapped.kind() === 'ipv6' && !unwrapped.match(GLOBAL_UNICAST_V6)) return 'reserved'
  return range
}

export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allowList = [...(options.allow ?? [])]
  const allowed = allowList.map(cidr => {
    try {
      return { cidr, range: ipaddr.parseCIDR(cidr) }
    } catch {
      throw validation(`'${cidr}' is not a CIDR range`, 'allow')
    }
  })

  const allowedBy = (ip: Ip): string | undefined =>
    allowed.find(a => a.range[0].kind() === ip.kind() && ip.match(a.range))?.cidr

  function check(address: string): AddressVerdict {
    const ip = parseStrict(address)
    if (!ip) return { allowed: false, address, range: 'invalid', reason: `'${address}' is not an IP address` }
    const unwrapped = ipaddr.process(ip.toString())
    const range = addressRange(address)
    const listed = allowedBy(unwrapped) ?? allowedBy(ip)
    if (listed !== undefined) return { allowed: true, address, range, allowedBy: listed }
    // A mapped address is refused even when the IPv4 inside is public: a resolver answering one
    // is odd, and the class is named so an operator can see what was tried.
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
      return {
        allowed: false,
        address,
        range: 'ipv4Mapped',
        reason: `${address} is not a public address (ipv4Mapped: ${unwrapped.toString()}, ${range})`,
      }
    }
    if (range === 'unicast') return { allowed: true, address, range }
    return { allowed: false, address, range, reason: `${address} is not a public address (${range})` }
  }

  return { check, allowList }
}

/** The policy with an empty allow-list: only public unicast addresses. */
export const publicOnly: AddressPolicy = createAddressPolicy()
