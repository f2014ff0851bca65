import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createPleskClient } from '../../../src/integrations/plesk/client.ts'
import { startFakePlesk, type FakePleskHandle, type FakePleskOptions } from '../../../src/fakes/plesk/server.ts'
import type { PleskApi } from '../../../src/integrations/plesk/types.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { API_KEY } from './helpers.ts'

const CUSTOMER_PASSWORD = 'Cust0mer-Plaintext-Secret'
const FTP_PASSWORD = 'Ftp-Plaintext-Secret-42'
// Two plans without a configured GUID: theirs come from the seeded generator and must stay stable.
const PLANS = [
  { name: 'Basic', guid: '5a8b3f8e-0b1c-4c2d-9e3f-000000000001' },
  { name: 'Generated' },
  { name: 'Also generated' },
]

describe('fake Plesk state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxbill-fake-plesk-'))
  // Closing again is harmless; this only matters when an assertion fails before a test's own close.
  const opened: FakePleskHandle[] = []
  after(async () => {
    await Promise.all(opened.map(f => f.close()))
    rmSync(dir, { recursive: true, force: true })
  })

  async function start(
    stateFile: string,
    over: Partial<FakePleskOptions> = {},
  ): Promise<{ fake: FakePleskHandle; plesk: PleskApi }> {
    const fake = await startFakePlesk({ apiKey: API_KEY, plans: PLANS, stateFile, ...over })
    opened.push(fake)
    return { fake, plesk: createPleskClient({ baseUrl: fake.url, apiKey: API_KEY, retries: 0, logger: silentLogger }) }
  }

  it('keeps customers, subscriptions, plans and counters across a restart, passwords only as hashes', async () => {
    const file = join(dir, 'restart.json')
    const one = await start(file)
    const customer = await one.plesk.createCustomer({
      login: 'jdoe',
      name: 'J Doe',
      email: 'j@x.test',
      password: CUSTOMER_PASSWORD,
      externalId: 'cl-1',
    })
    const site = await one.plesk.createWebspace({
      domain: 'kept.example',
      ownerId: customer.id,
      planName: 'Generated',
      ftpLogin: 'keptftp',
      ftpPassword: FTP_PASSWORD,
    })
    const expiresAt = new Date('2030-01-01T00:00:00Z')
    await one.plesk.setExpiration('kept.example', expiresAt)
    await one.plesk.suspend('kept.example')
    const before = await one.plesk.findWebspace('kept.example')
    const plans = one.fake.plans()
    await one.fake.close()

    const text = readFileSync(file, 'utf8')
    assert.equal(JSON.parse(text).format, 'oxbill-fake-plesk')
    for (const secret of [CUSTOMER_PASSWORD, FTP_PASSWORD, API_KEY]) {
      assert.equal(text.includes(secret), false, 'no plaintext secret on disk')
    }
    assert.match(text, /sha256\$[0-9a-f]{32}\$[0-9a-f]{64}/)

    const two = await start(file)
    assert.deepEqual(await two.plesk.findCustomerByExternalId('cl-1'), customer)
    const after = await two.plesk.findWebspace('kept.example')
    assert.deepEqual(after, before)
    assert.deepEqual(after, {
      id: site.id,
      guid: site.guid,
      name: 'kept.example',
      status: 16,
      ownerId: customer.id,
      expiration: expiresAt.getTime() / 1000,
      planGuid: plans[1]!.guid,
    })
    assert.deepEqual(two.fake.plans(), plans)
    assert.equal(two.fake.verifyCustomerPassword('jdoe', CUSTOMER_PASSWORD), true)
    assert.equal(two.fake.verifyCustomerPassword('jdoe', 'wrong'), false)
    assert.equal(two.fake.verifyFtpPassword('kept.example', FTP_PASSWORD), true)
    assert.equal(two.fake.verifyFtpPassword('kept.example', `${FTP_PASSWORD}x`), false)

    // The same seed again: a restarted generator would hand out the first run's GUIDs.
    const customer2 = await two.plesk.createCustomer({
      login: 'other',
      name: 'O',
      email: 'o@x.test',
      password: 'pw-other-1',
      externalId: 'cl-2',
    })
    const site2 = await two.plesk.createWebspace({
      domain: 'new.example',
      ownerId: customer2.id,
      planName: 'Also generated',
      ftpLogin: 'newftp',
      ftpPassword: 'pw-new-ftp-1',
    })
    assert.ok(customer2.id > customer.id && site2.id > site.id, 'ids keep increasing')
    const guids = [customer.guid, site.guid, ...plans.map(p => p.guid)]
    assert.ok(!guids.includes(customer2.guid) && !guids.includes(site2.guid), 'new GUIDs do not collide')
    assert.equal(two.fake.verifyCustomerPassword('other', 'pw-other-1'), true)
    await two.plesk.switchPlan('kept.example', 'Basic')
    await two.fake.close()

    const three = await start(file)
    assert.deepEqual(
      three.fake.customers().map(c => c.login),
      ['jdoe', 'other'],
    )
    assert.equal((await three.plesk.findWebspace('kept.example'))?.planGuid, PLANS[0]!.guid)
    assert.equal(three.fake.verifyFtpPassword('new.example', 'pw-new-ftp-1'), true)
    await three.fake.close()
  })

  it('adds a newly configured plan without disturbing stored ones', async () => {
    const file = join(dir, 'plans.json')
    const one = await start(file)
    const stored = one.fake.plans()
    await one.fake.close()
    const two = await start(file, { plans: [...PLANS, { name: 'Later' }] })
    const plans = two.fake.plans()
    assert.deepEqual(plans.slice(0, 3), stored)
    assert.equal(plans[3]?.name, 'Later')
    assert.ok(!stored.some(p => p.guid === plans[3]!.guid || p.id === plans[3]!.id))
    await two.fake.close()
  })

  it('moves a corrupt file aside and starts empty', async () => {
    const sub = mkdtempSync(join(dir, 'corrupt-'))
    const file = join(sub, 'state.json')
    const content = JSON.stringify({
      format: 'oxbill-fake-plesk',
      version: 1,
      state: {
        customers: [],
        webspaces: [],
        plans: [],
        customerPasswords: { 2: 'plaintext' },
        ftpPasswords: {},
        counters: { customer: 2, webspace: 1 },
        random: 1,
      },
    })
    writeFileSync(file, content)
    const warnings: string[] = []
    const { fake, plesk } = await start(file, { onWarning: msg => warnings.push(msg) })
    assert.equal(warnings.length, 1)
    assert.match(warnings[0]!, /fake Plesk: state file .* is unreadable \(invalid customerPasswords\)/)
    const aside = readdirSync(sub).filter(n => n.startsWith('state.json.corrupt-'))
    assert.equal(aside.length, 1)
    assert.equal(readFileSync(join(sub, aside[0]!), 'utf8'), content)
    assert.deepEqual(fake.customers(), [])
    const ref = await plesk.createCustomer({
      login: 'fresh',
      name: 'F',
      email: 'f@x.test',
      password: 'pw-fresh-1',
      externalId: 'cl-f',
    })
    assert.equal(ref.id, 2)
    await fake.close()
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).state.customers.length, 1)
  })
})
