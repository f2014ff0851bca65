import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AppError } from '../../../src/lib/errors.ts'
import { createPleskClient } from '../../../src/integrations/plesk/client.ts'
import { isPleskExists, pleskCodeOf } from '../../../src/integrations/plesk/errors.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { API_KEY, startRig, type Rig } from './helpers.ts'

const PLAN_GUIDS = { Basic: '5a8b3f8e-0b1c-4c2d-9e3f-000000000001', Pro: '5a8b3f8e-0b1c-4c2d-9e3f-000000000003' }

async function rejectsWith(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a rejection')
}

describe('plesk adapter against the fake (happy path)', () => {
  let rig: Rig
  let ownerId: number
  before(async () => {
    rig = await startRig()
  })
  after(async () => {
    await rig.fake.close()
  })

  it('creates a customer and finds it by external id', async () => {
    assert.equal(await rig.plesk.findCustomerByExternalId('client-1'), null)
    const ref = await rig.plesk.createCustomer({
      login: 'jsmith',
      name: 'John Smith',
      email: 'j@x.test',
      password: 'S3cure!pass',
      company: 'Acme',
      externalId: 'client-1',
    })
    assert.ok(ref.id > 0)
    assert.match(ref.guid, /^[0-9a-f-]{36}$/)
    assert.deepEqual(await rig.plesk.findCustomerByExternalId('client-1'), ref)
    assert.ok(rig.fake.verifyCustomerPassword('jsmith', 'S3cure!pass'))
    ownerId = ref.id
  })

  it('creates a webspace on a plan with FTP credentials and reads it back', async () => {
    const ref = await rig.plesk.createWebspace({
      domain: 'example.com',
      ownerId,
      planName: 'Basic',
      ftpLogin: 'exftp',
      ftpPassword: 'Ftp!pass1',
    })
    const ws = await rig.plesk.findWebspace('example.com')
    assert.deepEqual(ws, {
      id: ref.id,
      guid: ref.guid,
      name: 'example.com',
      status: 0,
      ownerId,
      expiration: null,
      planGuid: PLAN_GUIDS.Basic,
    })
    const [snap] = rig.fake.webspaces()
    assert.equal(snap?.ipAddress, '203.0.113.10')
    assert.equal(snap?.ftpLogin, 'exftp')
    assert.equal(snap?.hasFtpPassword, true)
    assert.equal(JSON.stringify(rig.fake.webspaces()).includes('Ftp!pass1'), false)
    assert.ok(rig.fake.verifyFtpPassword('example.com', 'Ftp!pass1'))
  })

  it('caches the shared IP between webspace creations', async () => {
    await rig.plesk.createWebspace({
      domain: 'second.example',
      ownerId,
      planName: 'Basic',
      ftpLogin: 'f2',
      ftpPassword: 'pw2-long',
    })
    const ipGets = rig.fake.requests().filter(r => r.operations.includes('ip.get'))
    assert.equal(ipGets.length, 1)
  })

  it('switches the plan', async () => {
    await rig.plesk.switchPlan('example.com', 'Pro')
    assert.equal((await rig.plesk.findWebspace('example.com'))?.planGuid, PLAN_GUIDS.Pro)
  })

  it('sets and clears the expiration', async () => {
    await rig.plesk.setExpiration('example.com', new Date('2027-03-01T00:00:00Z'))
    assert.equal((await rig.plesk.findWebspace('example.com'))?.expiration, Date.UTC(2027, 2, 1) / 1000)
    await rig.plesk.setExpiration('example.com', null)
    assert.equal((await rig.plesk.findWebspace('example.com'))?.expiration, null)
  })

  it('suspends (16) and activates (0)', async () => {
    await rig.plesk.suspend('example.com')
    assert.equal((await rig.plesk.findWebspace('example.com'))?.status, 16)
    await rig.plesk.activate('example.com')
    assert.equal((await rig.plesk.findWebspace('example.com'))?.status, 0)
  })

  it('deletes; find then returns null', async () => {
    await rig.plesk.deleteWebspace('example.com')
    assert.equal(await rig.plesk.findWebspace('example.com'), null)
    assert.deepEqual(
      rig.fake.webspaces().map(w => w.name),
      ['second.example'],
    )
  })
})

describe('plesk adapter against the fake (errors)', () => {
  let rig: Rig
  let ownerId: number
  before(async () => {
    rig = await startRig()
    ownerId = (
      await rig.plesk.createCustomer({
        login: 'owner',
        name: 'Owner',
        email: 'o@x.test',
        password: 'pw-12345',
        externalId: 'c-9',
      })
    ).id
  })
  after(async () => {
    await rig.fake.close()
  })

  it('a wrong key is a permanent auth error that does not echo the key', async () => {
    const bad = createPleskClient({
      baseUrl: rig.fake.url,
      apiKey: 'wrong-secret-key-42',
      retries: 2,
      backoffMs: 5,
      logger: silentLogger,
    })
    const err = await rejectsWith(bad.findWebspace('example.com'))
    assert.equal(err.code, 'provider_error')
    assert.equal(err.retryable, false)
    assert.equal(err.details.auth, true)
    assert.match(err.message, /Plesk rejected the credentials/)
    assert.doesNotMatch(`${err.message} ${JSON.stringify(err.details)}`, /wrong-secret-key-42/)
  })

  it('login/password auth works when the fake allows it', async () => {
    const r = await startRig({ login: 'admin', password: 'adm&n<pw>' })
    try {
      const byPassword = createPleskClient({
        baseUrl: r.fake.url,
        login: 'admin',
        password: 'adm&n<pw>',
        logger: silentLogger,
      })
      assert.equal(await byPassword.findWebspace('none.example'), null)
      const wrong = createPleskClient({ baseUrl: r.fake.url, login: 'admin', password: 'nope', logger: silentLogger })
      const err = await rejectsWith(wrong.findWebspace('none.example'))
      assert.equal(err.details.pleskCode, 1001)
    } finally {
      await r.fake.close()
    }
  })

  it('a duplicate domain is detectable as "exists" (1007)', async () => {
    const input = { domain: 'dup.example', ownerId, planName: 'Basic', ftpLogin: 'dupftp', ftpPassword: 'dup-pass1' }
    await rig.plesk.createWebspace(input)
    const err = await rejectsWith(rig.plesk.createWebspace(input))
    assert.equal(err.code, 'provider_error')
    assert.equal(err.details.pleskCode, 1007)
    assert.ok(isPleskExists(err))
    assert.doesNotMatch(err.message, /dup-pass1/)
  })

  it('a duplicate customer login is detectable as "exists" (1002)', async () => {
    const err = await rejectsWith(
      rig.plesk.createCustomer({
        login: 'owner',
        name: 'O',
        email: 'o@x.test',
        password: 'pw-12345',
        externalId: 'c-10',
      }),
    )
    assert.equal(pleskCodeOf(err), 1002)
    assert.ok(isPleskExists(err))
  })

  it('an unknown plan is permanent, on create and on switch', async () => {
    const create = await rejectsWith(
      rig.plesk.createWebspace({
        domain: 'np.example',
        ownerId,
        planName: 'Gold',
        ftpLogin: 'np',
        ftpPassword: 'np-pass1',
      }),
    )
    assert.equal(create.retryable, false)
    assert.equal(create.details.pleskCode, 1013)
    const sw = await rejectsWith(rig.plesk.switchPlan('dup.example', 'Gold'))
    assert.equal(sw.retryable, false)
    assert.equal(sw.details.pleskCode, 1013)
  })

  it('an unknown owner is permanent (1015); suspending a missing webspace is permanent (1013)', async () => {
    const owner = await rejectsWith(
      rig.plesk.createWebspace({
        domain: 'o.example',
        ownerId: 999,
        planName: 'Basic',
        ftpLogin: 'o',
        ftpPassword: 'o-pass12',
      }),
    )
    assert.equal(owner.details.pleskCode, 1015)
    const missing = await rejectsWith(rig.plesk.suspend('missing.example'))
    assert.equal(missing.details.pleskCode, 1013)
    assert.equal(missing.retryable, false)
  })

  it('an HTTP 500 on a get is retried and succeeds', async () => {
    rig.fake.injectFault({ operation: 'webspace.get', fault: 'http500' })
    const before = rig.fake.requests().length
    assert.equal((await rig.plesk.findWebspace('dup.example'))?.name, 'dup.example')
    assert.deepEqual(
      rig.fake
        .requests()
        .slice(before)
        .map(r => r.outcome),
      ['http500', 'answered'],
    )
  })

  it('a dropped connection on a get is retried too', async () => {
    rig.fake.injectFault({ operation: 'customer.get', fault: 'drop' })
    assert.equal((await rig.plesk.findCustomerByExternalId('c-9'))?.id, ownerId)
  })

  it('HTTP 500 on an add is not retried', async () => {
    rig.fake.injectFault({ operation: 'customer.add', fault: 'http500', times: 3 })
    const err = await rejectsWith(
      rig.plesk.createCustomer({ login: 'x5', name: 'X', email: 'x@x.test', password: 'pw-12345', externalId: 'c-11' }),
    )
    assert.equal(err.code, 'provider_unavailable')
    assert.equal(err.retryable, true)
    assert.equal(
      rig.fake.requests().filter(r => r.operations.includes('customer.add') && r.outcome === 'http500').length,
      1,
    )
    rig.fake.clearFaults()
  })

  it('a lost response on webspace add is retryable; the webspace exists exactly once', async () => {
    rig.fake.injectFault({ operation: 'webspace.add', fault: 'lose-response' })
    const err = await rejectsWith(
      rig.plesk.createWebspace({
        domain: 'lost.example',
        ownerId,
        planName: 'Pro',
        ftpLogin: 'lost',
        ftpPassword: 'lost-pass1',
      }),
    )
    assert.equal(err.code, 'provider_unavailable')
    assert.equal(err.retryable, true)
    const found = await rig.plesk.findWebspace('lost.example')
    assert.equal(found?.planGuid, PLAN_GUIDS.Pro)
    assert.equal(rig.fake.webspaces().filter(w => w.name === 'lost.example').length, 1)
    assert.equal(
      rig.fake.requests().filter(r => r.operations.includes('webspace.add') && r.outcome === 'lose-response').length,
      1,
    )
  })

  it('an injected "exists" or "error" fault surfaces the errcode', async () => {
    rig.fake.injectFault({ operation: 'webspace.add', fault: 'exists' })
    const exists = await rejectsWith(
      rig.plesk.createWebspace({
        domain: 'inj.example',
        ownerId,
        planName: 'Basic',
        ftpLogin: 'i',
        ftpPassword: 'i-pass123',
      }),
    )
    assert.ok(isPleskExists(exists))
    assert.equal(
      rig.fake.webspaces().some(w => w.name === 'inj.example'),
      false,
    )
    rig.fake.injectFault({ operation: 'webspace.set', fault: 'error', errcode: 1023 })
    const failed = await rejectsWith(rig.plesk.suspend('dup.example'))
    assert.equal(failed.details.pleskCode, 1023)
  })

  // The fault holds each request forever: without the client's timeout the test times out instead.
  it('a held request times out as retryable and is retried for reads', { timeout: 10_000 }, async () => {
    const r = await startRig({}, { timeoutMs: 150, retries: 1 })
    try {
      r.fake.injectFault({ operation: 'webspace.get', fault: 'timeout', times: 2 })
      const err = await rejectsWith(r.plesk.findWebspace('slow.example'))
      assert.equal(err.code, 'provider_unavailable')
      assert.match(err.message, /timed out/)
      assert.equal(r.fake.requests().filter(q => q.outcome === 'timeout').length, 2, 'one retry')
    } finally {
      await r.fake.close()
    }
  })

  it('round-trips passwords containing XML metacharacters', async () => {
    const ftpPassword = '<&>"\' ]]> &amp;'
    const password = 'a<b&c>"d\''
    const c = await rig.plesk.createCustomer({
      login: 'esc&user',
      name: 'Esc <Name>',
      email: 'e@x.test',
      password,
      externalId: 'ext&<1>',
    })
    assert.deepEqual(await rig.plesk.findCustomerByExternalId('ext&<1>'), c)
    assert.ok(rig.fake.verifyCustomerPassword('esc&user', password))
    await rig.plesk.createWebspace({
      domain: 'esc.example',
      ownerId: c.id,
      planName: 'Standard',
      ftpLogin: 'escftp',
      ftpPassword,
    })
    assert.ok(rig.fake.verifyFtpPassword('esc.example', ftpPassword))
  })

  it('builds the one-time login link on the public panel address when one is set, not the API address', async () => {
    await rig.plesk.createCustomer({
      login: 'pub1',
      name: 'P',
      email: 'p@x.test',
      password: 'pw-12345678',
      externalId: 'c-pub1',
    })
    const pub = createPleskClient({
      baseUrl: rig.fake.url,
      panelUrl: 'https://panel.example.net:8443',
      apiKey: API_KEY,
      logger: silentLogger,
    })
    const link = new URL(
      await pub.createLoginUrl({ login: 'pub1', userIp: '198.51.100.7', redirectPath: '/smb/web/view' }),
    )
    assert.equal(link.origin, 'https://panel.example.net:8443')
    assert.equal(link.pathname, '/enterprise/rsession_init.php')
    assert.match(link.searchParams.get('PLESKSESSID') ?? '', /^[0-9a-f]{32}$/)
    const internal = new URL(
      await rig.plesk.createLoginUrl({ login: 'pub1', userIp: '198.51.100.7', redirectPath: '/' }),
    )
    assert.equal(internal.origin, new URL(rig.fake.url).origin)
  })

  it('refuses construction without credentials or with header-unsafe ones, without echoing them', () => {
    assert.throws(() => createPleskClient({ baseUrl: rig.fake.url, logger: silentLogger }), AppError)
    assert.throws(
      () => createPleskClient({ baseUrl: rig.fake.url, apiKey: 'abc\r\nX: y', logger: silentLogger }),
      (err: Error) => !err.message.includes('abc'),
    )
    assert.ok(API_KEY)
  })
})
