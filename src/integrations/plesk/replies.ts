import type { PleskRef, PleskWebspace } from './types.ts'
import { at, child, children, parseXml, textAt, type XNode } from './xml.ts'

/**
 * Parsing of Plesk XML API replies, as pure functions over the reply text or a `<result>` node.
 * Plesk answers HTTP 200 for almost everything: failures are `<system>` (the packet was not
 * executed) or per-operation `<result><status>error</status>`.
 */

export interface PleskFailure {
  errcode: number
  errtext: string
}

export interface OperationReply {
  operator: string
  operation: string
  /** One `<result>` per matched object or filter value, in reply order. */
  results: XNode[]
}

export type PleskReply = { kind: 'system'; error: PleskFailure } | { kind: 'operations'; operations: OperationReply[] }

export interface PleskServicePlan {
  id: number
  name: string
  guid: string
  externalId: string | null
}

export interface PleskIpAddress {
  address: string
  type: string
}

/** Parses a reply packet; throws XmlSyntaxError when the text is not well-formed XML. */
export function parseReply(xml: string): PleskReply {
  const root = parseXml(xml)
  if (root.name !== 'packet') throw new Error(`expected <packet>, got <${root.name}>`)
  const system = child(root, 'system')
  if (system) return { kind: 'system', error: failureOf(system) ?? { errcode: 0, errtext: 'unknown system error' } }
  const operations: OperationReply[] = []
  for (const operator of root.children) {
    for (const operation of operator.children) {
      operations.push({ operator: operator.name, operation: operation.name, results: children(operation, 'result') })
    }
  }
  return { kind: 'operations', operations }
}

/** The error carried by a `<result>` or `<system>` node, or null when its status is ok. */
export function failureOf(node: XNode): PleskFailure | null {
  if (textAt(node, 'status') !== 'error') return null
  const code = Number(textAt(node, 'errcode'))
  return { errcode: Number.isInteger(code) ? code : 0, errtext: textAt(node, 'errtext') ?? '' }
}

/** `<id>` and `<guid>` of an add result (customer add, webspace add). */
export function parseRef(result: XNode): PleskRef {
  return { id: requireInt(textAt(result, 'id'), 'id'), guid: textAt(result, 'guid') ?? '' }
}

/** A customer get result: id at result level, GUID inside data/gen_info. */
export function parseCustomerRef(result: XNode): PleskRef {
  return {
    id: requireInt(textAt(result, 'id'), 'id'),
    guid: textAt(result, 'data', 'gen_info', 'guid') ?? textAt(result, 'guid') ?? '',
  }
}

/** A webspace get result with gen_info, limits and subscriptions datasets. */
export function parseWebspace(result: XNode): PleskWebspace {
  const info = at(result, 'data', 'gen_info')
  const ownerId = textAt(info, 'owner-id')
  return {
    id: requireInt(textAt(result, 'id'), 'id'),
    guid: textAt(info, 'guid') ?? '',
    name: textAt(info, 'name') ?? textAt(result, 'filter-id') ?? '',
    status: requireInt(textAt(info, 'status') ?? '0', 'status'),
    ownerId: ownerId === undefined || ownerId === '' ? null : requireInt(ownerId, 'owner-id'),
    expiration: parseExpiration(at(result, 'data', 'limits')),
    planGuid: parsePlanGuid(at(result, 'data', 'subscriptions')),
  }
}

/** The `expiration` limit in Unix seconds; absent, -1 or 0 (unlimited) → null. */
export function parseExpiration(limits: XNode | undefined): number | null {
  for (const limit of children(limits, 'limit')) {
    if (textAt(limit, 'name') !== 'expiration') continue
    const value = Number(textAt(limit, 'value'))
    return Number.isFinite(value) && value > 0 ? value : null
  }
  return null
}

/** The service plan GUID: the first `plan` of the subscription (add-on plans follow it). */
export function parsePlanGuid(subscriptions: XNode | undefined): string | null {
  const plan = child(child(subscriptions, 'subscription'), 'plan')
  return textAt(plan, 'plan-guid') || null
}

/** The session id of a `server/create_session` result (hex; Plesk's are 32 characters). */
export function parseSessionId(result: XNode): string {
  const id = textAt(result, 'id') ?? ''
  if (!/^[0-9a-zA-Z]{16,128}$/.test(id)) throw new Error('Plesk reply has no valid session <id>')
  return id
}

/** A service-plan get result: id, name, guid, external-id at result level. */
export function parseServicePlan(result: XNode): PleskServicePlan {
  return {
    id: requireInt(textAt(result, 'id'), 'id'),
    name: textAt(result, 'name') ?? '',
    guid: textAt(result, 'guid') ?? '',
    externalId: textAt(result, 'external-id') || null,
  }
}

/** addresses/ip_info entries of an ip get result. */
export function parseIpAddresses(result: XNode): PleskIpAddress[] {
  return children(child(result, 'addresses'), 'ip_info')
    .map(info => ({
      address: textAt(info, 'ip_address') ?? '',
      type: textAt(info, 'type') ?? '',
    }))
    .filter(ip => ip.address !== '')
}

/** Picks the shared IPv4 address Plesk would use for new subscriptions (first shared, else first). */
export function pickSharedIp(ips: PleskIpAddress[]): string | null {
  const v4 = ips.filter(ip => !ip.address.includes(':'))
  return (v4.find(ip => ip.type === 'shared') ?? v4[0] ?? ips[0])?.address ?? null
}

function requireInt(value: string | undefined, field: string): number {
  const n = Number(value)
  if (value === undefined || value === '' || !Number.isInteger(n)) {
    throw new Error(`Plesk reply has no valid <${field}>`)
  }
  return n
}
