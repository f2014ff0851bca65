import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AppError } from '../../../src/lib/errors.ts'
import {
  addressRange,
  checkWebhookUrl,
  createAddressPolicy,
  deliver,
  newEndpointSecret,
  requireWebhookUrl,
  type AddressPolicy,
  type ResolvedAddress,
} from '../../../src/integrations/webhooks/index.ts'
import { fixedResolver, localPolicy, nowSeconds, startReceiver, type Receiver } from './helpers.ts'

const PUBLIC_V4 = '93.184.216.34'
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946'

/** Addresses the sender must never reach, with the class ipaddr.js (or our rule) names. */
const forbidden: Array<[address: string, range: string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.8.9.10', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.5', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['::ffff:127.0.0.1', 'ipv4Mapped'],
  ['::ffff:8.8.8.8', 'ipv4Mapped'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456::1', 'uniqueLocal'],
  ['fe80::1', 'linkLocal'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.10', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['64:ff9b::7f00:1', 'rfc6052'],
  ['::7f00:1', 'reserved'],
]

const literal = (address: string, port?: number): string =>
  `http://${address.includes(':') ? `[${address}]` : address}${port === undefined ? '' : `:${port}`}/hook`

/** Spellings that WHATWG parsing turns into a loopback address. */
const loopbackSpellings = ['http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://127.1/']

const httpOnly = { allowHttp: true }

describe('address policy', () => {
  it('names the class of every non-public address and refuses it', () => {
    const policy = createAddressPolicy()
    for (const [address, range] of forbidden) {
      const verdict = policy.check(address)
      assert.equal(verdict.allowed, false, address)
      assert.equal(verdict.range, range, address)
    }
  })

  it('lets public unicast through', () => {
    const policy = createAddressPolicy()
    for (const address of [PUBLIC_V4, '8.8.8.8', '1.1.1.1', PUBLIC_V6, '2001:4860:4860::8888']) {
      assert.deepEqual(policy.check(address), { allowed: true, address, range: 'unicast' })
    }
    assert.equal(addressRange('::ffff:8.8.8.8'), 'unicast')
  })

  it('refuses what is not a canonical IP address', () => {
    const policy = createAddressPolicy()
    for (const text of ['2130706433', '0177.0.0.1', 'localhost', '']) {
      assert.equal(policy.check(text).range, 'invalid', text)
      assert.equal(policy.check(text).allowed, false, text)
    }
  })

  it('an operator allow-list lets chosen ranges through, and only those', () => {
    const policy = createAddressPolicy({ allow: ['127.0.0.0/8', 'fd00::/8'] })
    assert.equal(policy.check('127.0.0.1').allowed, true)
    assert.equal(policy.check('127.255.0.1').allowed, true)
    assert.equal(policy.check('fd00::5').allowed, true)
    assert.equal(policy.check('::1').allowed, false)
    assert.equal(policy.check('10.0.0.1').allowed, false)
    assert.equal(policy.check('169.254.169.254').allowed, false)
    assert.throws(() => createAddressPolicy({ allow: ['not-a-cidr'] }), AppError)
  })
})

describe('URL check at registration', () => {
  it('refuses an IP-literal host in every forbidden class, naming the class', async () => {
    for (const [address, range] of forbidden) {
      const result = await checkWebhookUrl(literal(address), httpOnly)
      assert.equal(result.ok, false, address)
      if (result.ok) continue
      assert.equal(result.code, 'url_not_allowed', address)
      assert.ok(result.reason.includes(range), `${address}: ${result.reason}`)
    }
  })

  it('refuses decimal, octal, hex and short spellings of loopback after WHATWG normalisation', async () => {
    for (const url of loopbackSpellings) {
      const result = await checkWebhookUrl(url, httpOnly)
      assert.equal(result.ok, false, url)
      if (!result.ok) assert.equal(result.address, '127.0.0.1', url)
    }
  })

  it('refuses a host name when ANY resolved address is forbidden', async () => {
    for (const [address, range] of forbidden) {
      const resolve = fixedResolver({ 'hook.example.com': [PUBLIC_V4, address] })
      const result = await checkWebhookUrl('https://hook.example.com/in', { resolve })
      assert.equal(result.ok, false, address)
      if (!result.ok) assert.ok(result.reason.includes(range), `${address}: ${result.reason}`)
    }
  })

  it('accepts a public host and returns the normalised URL', async () => {
    const resolve = fixedResolver({ 'hooks.example.com': [PUBLIC_V4, PUBLIC_V6] })
    const result = await checkWebhookUrl('HTTPS://Hooks.Example.COM:443/in?a=1#frag', { resolve })
    assert.deepEqual(result, { ok: true, url: 'https://hooks.example.com/in?a=1' })
    assert.deepEqual(await checkWebhookUrl(`https://${PUBLIC_V4}/x`), { ok: true, url: `https://${PUBLIC_V4}/x` })
  })

  it('refuses malformed URLs, other schemes, http unless allowed, userinfo, long URLs, unresolvable hosts', async () => {
    const resolve = fixedResolver({ 'hooks.example.com': [PUBLIC_V4] })
    const cases: Array<[string, 'invalid_url' | 'url_not_allowed', boolean?]> = [
      ['not a url', 'invalid_url'],
      ['/relative/path', 'invalid_url'],
      ['ftp://hooks.example.com/', 'url_not_allowed', true],
      ['file:///etc/passwd', 'url_not_allowed', true],
      ['http://hooks.example.com/', 'url_not_allowed'],
      ['https://user:pass@hooks.example.com/', 'invalid_url'],
      ['https://user@hooks.example.com/', 'invalid_url'],
      [`https://hooks.example.com/${'a'.repeat(2048)}`, 'invalid_url'],
      ['https://nowhere.example.com/', 'url_not_allowed'],
    ]
    for (const [url, code, allowHttp] of cases) {
      const result = await checkWebhookUrl(url, { resolve, allowHttp: allowHttp ?? false })
      assert.equal(result.ok, false, url)
      if (!result.ok) assert.equal(result.code, code, url)
    }
    assert.equal((await checkWebhookUrl('http://hooks.example.com/', { resolve, allowHttp: true })).ok, true)
  })

  it('requireWebhookUrl throws a validation_error on field url with the code and reason', async () => {
    await assert.rejects(requireWebhookUrl('http://169.254.169.254/latest/meta-data/', httpOnly), (err: unknown) => {
      assert.ok(err instanceof AppError)
      assert.equal(err.code, 'validation_error')
      assert.equal(err.status, 400)
      assert.equal(err.details.field, 'url')
      assert.equal(err.details.code, 'url_not_allowed')
      assert.match(err.message, /not allowed.*linkLocal/)
      return true
    })
  })
})

describe('address check at send time', () => {
  let receiver: Receiver
  const secrets = [newEndpointSecret()]
  const attempt = (url: string, policy: Parameters<typeof deliver>[0]['policy']) =>
    deliver({ url, id: 'msg_ssrf', timestampSeconds: nowSeconds(), body: '{}', secrets, timeoutMs: 2000, policy })

  before(async () => {
    receiver = await startReceiver()
  })
  after(async () => {
    await receiver.close()
  })

  it('refuses every forbidden IP literal and loopback spelling without connecting', async () => {
    const urls = [...forbidden.map(([address]) => literal(address, receiver.port)), ...loopbackSpellings]
    for (const url of urls) {
      const result = await attempt(url, httpOnly)
      assert.equal(result.outcome, 'failed', url)
      assert.equal(result.error, 'address_not_allowed', url)
    }
    assert.equal(receiver.connections, 0)
  })

  it('refuses a host name resolving to any forbidden address without connecting', async () => {
    for (const [address] of forbidden) {
      const resolve = fixedResolver({ 'hook.example.com': [address] })
      const result = await attempt(`http://hook.example.com:${receiver.port}/hook`, { allowHttp: true, resolve })
      assert.equal(result.error, 'address_not_allowed', address)
    }
    const mixed = fixedResolver({ 'hook.example.com': ['127.0.0.1', PUBLIC_V4] })
    const result = await attempt(`http://hook.example.com:${receiver.port}/hook`, { allowHttp: true, resolve: mixed })
    assert.equal(result.error, 'address_not_allowed')
    assert.equal(receiver.connections, 0)
  })

  it('refuses DNS rebinding: public at registration, 127.0.0.1 at send time, no connection made', async () => {
    let calls = 0
    const resolve = async (): Promise<ResolvedAddress[]> => {
      calls += 1
      return [{ address: calls === 1 ? PUBLIC_V4 : '127.0.0.1', family: 4 }]
    }
    const url = `http://rebind.example.com:${receiver.port}/hook`
    const registered = await checkWebhookUrl(url, { allowHttp: true, resolve })
    assert.deepEqual(registered, { ok: true, url })

    const result = await attempt(url, { allowHttp: true, resolve })
    assert.equal(result.outcome, 'failed')
    assert.equal(result.error, 'address_not_allowed')
    assert.match(result.detail ?? '', /loopback/)
    assert.equal(calls, 2)
    assert.equal(receiver.connections, 0)
    assert.equal(receiver.received.length, 0)
  })

  it('checks the connected socket too: nothing is written when the peer address is refused', async () => {
    // A policy that passes the look-up's check and refuses the second one, on the socket.
    let checks = 0
    const base = createAddressPolicy({ allow: ['127.0.0.0/8'] })
    const addresses: AddressPolicy = {
      allowList: base.allowList,
      check: address => {
        checks += 1
        return checks === 1 ? base.check(address) : createAddressPolicy().check(address)
      },
    }
    const resolve = fixedResolver({ 'local.test': ['127.0.0.1'] })
    const result = await attempt(`http://local.test:${receiver.port}/hook`, { allowHttp: true, addresses, resolve })
    assert.equal(result.error, 'address_not_allowed')
    assert.match(result.detail ?? '', /connected to/)
    assert.equal(checks, 2)
    assert.equal(receiver.received.length, 0)
  })

  it('with 127.0.0.0/8 allow-listed, delivers to the local receiver by IP and by host name', async () => {
    const byIp = await attempt(receiver.url, localPolicy)
    assert.equal(byIp.outcome, 'delivered')
    const resolve = fixedResolver({ 'receiver.test': ['127.0.0.1'] })
    const byName = await attempt(`http://receiver.test:${receiver.port}/hook`, { ...localPolicy, resolve })
    assert.equal(byName.outcome, 'delivered')
    assert.deepEqual(resolve.calls, ['receiver.test'])
    assert.equal(receiver.received.length, 2)
  })
})
