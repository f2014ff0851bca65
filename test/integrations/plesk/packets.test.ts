import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { AppError } from '../../../src/lib/errors.ts'
import { isPleskExists, pleskError, redact } from '../../../src/integrations/plesk/errors.ts'
import {
  buildPacket,
  customerAdd,
  expirationValue,
  webspaceAdd,
  webspaceGetByName,
  webspaceSetExpiration,
  webspaceSetStatus,
} from '../../../src/integrations/plesk/packets.ts'
import {
  failureOf,
  parseCustomerRef,
  parseIpAddresses,
  parseRef,
  parseReply,
  parseServicePlan,
  parseWebspace,
  pickSharedIp,
  type OperationReply,
} from '../../../src/integrations/plesk/replies.ts'
import { parseXml, textAt, XmlSyntaxError } from '../../../src/integrations/plesk/xml.ts'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

function onlyOperation(xml: string): OperationReply {
  const reply = parseReply(xml)
  assert.equal(reply.kind, 'operations')
  if (reply.kind !== 'operations') throw new Error('unreachable')
  assert.equal(reply.operations.length, 1)
  return reply.operations[0]!
}

describe('plesk reply parsing (recorded packets)', () => {
  it('reads id and guid of an ok add result', () => {
    const op = onlyOperation(fixture('add-ok.xml'))
    assert.deepEqual([op.operator, op.operation], ['webspace', 'add'])
    const result = op.results[0]!
    assert.equal(failureOf(result), null)
    assert.deepEqual(parseRef(result), { id: 57, guid: 'd2a5b6c8-3f41-4b8e-9a7d-5c0e1f2a3b4c' })
  })

  it('reads an error result 1013', () => {
    const op = onlyOperation(fixture('error-1013.xml'))
    assert.deepEqual(failureOf(op.results[0]!), { errcode: 1013, errtext: 'Object not found.' })
  })

  it('reads a system error 1001', () => {
    assert.deepEqual(parseReply(fixture('system-1001.xml')), {
      kind: 'system',
      error: { errcode: 1001, errtext: 'Authentication failed - wrong password.' },
    })
  })

  it('reads a webspace get reply: status, owner, expiration and the service plan guid (not the add-on)', () => {
    const op = onlyOperation(fixture('webspace-get.xml'))
    assert.deepEqual(parseWebspace(op.results[0]!), {
      id: 57,
      guid: 'd2a5b6c8-3f41-4b8e-9a7d-5c0e1f2a3b4c',
      name: 'example.com',
      status: 16,
      ownerId: 42,
      expiration: 1767225600,
      planGuid: 'b9808ead-875a-c30f-d9bf-eb03ad12c89c',
    })
  })

  it('reads a customer get reply (guid inside gen_info, entities decoded)', () => {
    const op = onlyOperation(fixture('customer-get.xml'))
    const result = op.results[0]!
    assert.deepEqual(parseCustomerRef(result), { id: 42, guid: '8c1d9f3e-7a62-4b0f-a1c4-2e5d6f7a8b9c' })
    assert.equal(textAt(result, 'data', 'gen_info', 'cname'), 'Acme & Sons')
  })

  it('reads service plans and IP lists', () => {
    const plan = parseServicePlan(onlyOperation(fixture('service-plan-get.xml')).results[0]!)
    assert.deepEqual(plan, {
      id: 3,
      name: 'Pro Hosting',
      guid: 'b9808ead-875a-c30f-d9bf-eb03ad12c89c',
      externalId: null,
    })
    const ips = parseIpAddresses(onlyOperation(fixture('ip-get.xml')).results[0]!)
    assert.equal(ips.length, 3)
    assert.equal(pickSharedIp(ips), '203.0.113.10')
  })

  it('treats -1 expiration and a missing plan as null', () => {
    const xml = fixture('webspace-get.xml')
      .replace('1767225600', '-1')
      .replace(/<subscriptions>[\s\S]*<\/subscriptions>/, '')
    const ws = parseWebspace(onlyOperation(xml).results[0]!)
    assert.equal(ws.expiration, null)
    assert.equal(ws.planGuid, null)
  })

  it('rejects malformed XML with XmlSyntaxError', () => {
    assert.throws(() => parseReply('<packet><webspace>'), XmlSyntaxError)
    assert.throws(() => parseReply('<html>oops</html'), XmlSyntaxError)
  })
})

describe('plesk request packets', () => {
  it('escapes values so the packet stays well-formed and values round-trip', () => {
    const nasty = 'p<&>"\'w]]>'
    const xml = buildPacket(
      customerAdd({ login: 'a&b', name: '<John>', email: 'j@x.test', password: nasty, externalId: 'c-1' }),
    )
    assert.doesNotMatch(xml, /<&>/)
    const gen = parseXml(xml).children[0]!.children[0]!.children[0]!
    assert.equal(gen.name, 'gen_info')
    assert.equal(textAt(gen, 'passwd'), nasty)
    assert.equal(textAt(gen, 'login'), 'a&b')
    assert.equal(textAt(gen, 'pname'), '<John>')
  })

  it('keeps the XSD child order of customer add and webspace add', () => {
    const customer = parseXml(
      buildPacket(
        customerAdd({ login: 'l', name: 'n', email: 'e@x.test', password: 'secret1', externalId: 'x', company: 'C' }),
      ),
    )
    assert.deepEqual(
      customer.children[0]!.children[0]!.children[0]!.children.map(c => c.name),
      ['cname', 'pname', 'login', 'passwd', 'email', 'external-id'],
    )
    const ws = parseXml(
      buildPacket(
        webspaceAdd(
          { domain: 'ex.com', ownerId: 4, planName: 'Basic', ftpLogin: 'f', ftpPassword: 'p' },
          '203.0.113.10',
        ),
      ),
    )
    const add = ws.children[0]!.children[0]!
    assert.deepEqual(
      add.children.map(c => c.name),
      ['gen_setup', 'hosting', 'plan-name'],
    )
    assert.deepEqual(
      add.children[0]!.children.map(c => c.name),
      ['name', 'owner-id', 'htype', 'ip_address'],
    )
    assert.deepEqual(
      add.children[1]!.children[0]!.children.map(c => c.name),
      ['property', 'property', 'ip_address'],
    )
  })

  it('builds get, set and expiration packets', () => {
    assert.match(
      buildPacket(webspaceGetByName('ex.com')),
      /<webspace><get><filter><name>ex.com<\/name><\/filter><dataset><gen_info\/><limits\/><subscriptions\/><\/dataset><\/get><\/webspace>/,
    )
    assert.match(
      buildPacket(webspaceSetStatus('ex.com', 16)),
      /<values><gen_setup><status>16<\/status><\/gen_setup><\/values>/,
    )
    assert.match(
      buildPacket(webspaceSetExpiration('ex.com', 1767225600)),
      /<limit><name>expiration<\/name><value>1767225600<\/value><\/limit>/,
    )
    assert.equal(expirationValue(null), -1)
    assert.equal(expirationValue(new Date('2026-01-01T00:00:00.900Z')), 1767225600)
  })
})

describe('plesk error mapping', () => {
  it('maps auth, exists and other codes to permanent provider errors and scrubs secrets', () => {
    const auth = pleskError({ errcode: 1001, errtext: 'Authentication failed' }, 'webspace.get')
    assert.ok(auth instanceof AppError)
    assert.equal(auth.code, 'provider_error')
    assert.equal(auth.retryable, false)
    assert.match(auth.message, /Plesk rejected the credentials/)
    const exists = pleskError({ errcode: 1007, errtext: 'Domain exists' }, 'webspace.add')
    assert.equal(exists.details.pleskCode, 1007)
    assert.ok(isPleskExists(exists))
    const other = pleskError({ errcode: 1019, errtext: 'bad password hunter2' }, 'customer.add', ['hunter2'])
    assert.doesNotMatch(other.message, /hunter2/)
    assert.equal(other.details.pleskText, 'bad password [redacted]')
    assert.equal(redact('a', ['']), 'a')
  })
})
