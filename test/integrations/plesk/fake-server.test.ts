import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startFakePlesk, type FakePleskHandle } from '../../../src/fakes/plesk/server.ts'
import { failureOf, parseReply } from '../../../src/integrations/plesk/replies.ts'
import { textAt } from '../../../src/integrations/plesk/xml.ts'
import { waitFor } from '../../wait.ts'
import { API_KEY, postRaw, startRig } from './helpers.ts'

const systemError = (text: string) => {
  const reply = parseReply(text)
  assert.equal(reply.kind, 'system')
  return reply.kind === 'system' ? reply.error : null
}

describe('fake plesk server (raw HTTP)', () => {
  let fake: FakePleskHandle
  before(async () => {
    fake = await startFakePlesk({ apiKey: API_KEY })
  })
  after(async () => {
    await fake.close()
  })

  it('answers malformed XML with a <system> 1014 error over HTTP 200', async () => {
    const res = await postRaw(fake, '<packet><webspace><get></webspace></packet>')
    assert.equal(res.status, 200)
    assert.equal(systemError(res.text)?.errcode, 1014)
  })

  it('answers a bad or missing key with a <system> 1001 error over HTTP 200', async () => {
    const bad = await postRaw(fake, '<packet><ip><get/></ip></packet>', { KEY: 'nope' })
    assert.equal(bad.status, 200)
    assert.equal(systemError(bad.text)?.errcode, 1001)
    const none = await postRaw(fake, '<packet><ip><get/></ip></packet>', {})
    assert.equal(systemError(none.text)?.errcode, 1001)
  })

  it('answers an unknown operation with 1014 and a non-packet root with 1014', async () => {
    assert.equal(systemError((await postRaw(fake, '<packet><mail><get/></mail></packet>')).text)?.errcode, 1014)
    assert.equal(systemError((await postRaw(fake, '<notpacket/>')).text)?.errcode, 1014)
  })

  it('runs several operations of one packet in order and mirrors the envelope', async () => {
    const res = await postRaw(
      fake,
      `<?xml version="1.0" encoding="UTF-8"?>
      <packet>
        <customer><add><gen_info><pname>Multi</pname><login>multi</login><passwd>pw-12345</passwd><email>m@x.test</email></gen_info></add></customer>
        <webspace>
          <add><gen_setup><name>multi.example</name><owner-login>multi</owner-login><htype>vrt_hst</htype><ip_address>203.0.113.10</ip_address></gen_setup>
            <hosting><vrt_hst><property><name>ftp_login</name><value>m</value></property><property><name>ftp_password</name><value>mm-pass</value></property><ip_address>203.0.113.10</ip_address></vrt_hst></hosting>
            <plan-name>Standard</plan-name></add>
          <get><filter><name>multi.example</name><name>absent.example</name></filter><dataset><gen_info/></dataset></get>
        </webspace>
        <service-plan><get><filter/></get></service-plan>
      </packet>`,
    )
    const reply = parseReply(res.text)
    assert.equal(reply.kind, 'operations')
    if (reply.kind !== 'operations') return
    assert.deepEqual(
      reply.operations.map(o => `${o.operator}.${o.operation}:${o.results.length}`),
      ['customer.add:1', 'webspace.add:1', 'webspace.get:2', 'service-plan.get:3'],
    )
    const [found, missing] = reply.operations[2]!.results
    assert.equal(textAt(found, 'data', 'gen_info', 'owner-login'), 'multi')
    assert.deepEqual(failureOf(missing!), { errcode: 1013, errtext: 'domain does not exist' })
    assert.equal(textAt(missing, 'filter-id'), 'absent.example')
  })

  it('validates switch-subscription plan guids and set values', async () => {
    const sw = await postRaw(
      fake,
      '<packet><webspace><switch-subscription><filter><name>multi.example</name></filter><plan-guid>no-such-guid</plan-guid></switch-subscription></webspace></packet>',
    )
    assert.equal(failureOf(parseReplyResult(sw.text))?.errcode, 1013)
    const set = await postRaw(
      fake,
      '<packet><webspace><set><filter><name>multi.example</name></filter><values><gen_setup><status>7</status></gen_setup></values></set></webspace></packet>',
    )
    assert.equal(failureOf(parseReplyResult(set.text))?.errcode, 1019)
  })

  it('arms and clears faults over HTTP, rejecting unknown ones', async () => {
    const arm = await fetch(`${fake.url}/__fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'ip.get', fault: 'http500', times: 2 }),
    })
    assert.equal(arm.status, 204)
    assert.equal((await postRaw(fake, '<packet><ip><get/></ip></packet>')).status, 500)
    const clear = await fetch(`${fake.url}/__fake/faults`, { method: 'DELETE' })
    assert.equal(clear.status, 204)
    assert.equal((await postRaw(fake, '<packet><ip><get/></ip></packet>')).status, 200)
    const bad = await fetch(`${fake.url}/__fake/faults`, { method: 'POST', body: JSON.stringify({ fault: 'explode' }) })
    assert.equal(bad.status, 400)
    assert.equal((await fetch(`${fake.url}/elsewhere`)).status, 404)
  })
})

function parseReplyResult(text: string) {
  const reply = parseReply(text)
  assert.equal(reply.kind, 'operations')
  if (reply.kind !== 'operations') throw new Error('unreachable')
  return reply.operations[0]!.results[0]!
}

describe('fake plesk server (lifecycle and randomness)', () => {
  // The timeout fault holds its request forever: a close() that waited for it fails by timing out.
  it('close() resolves while a request is held by a timeout fault', { timeout: 10_000 }, async () => {
    const fake = await startFakePlesk({ apiKey: API_KEY, latencyMs: 5 })
    fake.injectFault({ fault: 'timeout' })
    const pending = postRaw(fake, '<packet><ip><get/></ip></packet>').catch(err => err as Error)
    await waitFor(() => fake.requests().some(r => r.outcome === 'timeout'), { what: 'the fake to hold the request' })
    await fake.close()
    assert.ok((await pending) instanceof Error)
  })

  it('failRate/dropRate draws are deterministic for a seed', async () => {
    const outcomes = async () => {
      const fake = await startFakePlesk({ apiKey: API_KEY, failRate: 0.3, dropRate: 0.2, seed: 7 })
      try {
        for (let i = 0; i < 20; i++) await postRaw(fake, '<packet><ip><get/></ip></packet>').catch(() => null)
        return fake.requests().map(r => r.outcome)
      } finally {
        await fake.close()
      }
    }
    const first = await outcomes()
    assert.deepEqual(await outcomes(), first)
    assert.ok(first.includes('random-500') && first.includes('random-drop') && first.includes('answered'))
  })

  it('custom plans and shared IP are used', async () => {
    const { fake, plesk } = await startRig({ plans: [{ name: 'Tiny' }], sharedIp: '198.51.100.20', seed: 3 })
    try {
      const owner = await plesk.createCustomer({
        login: 'tiny',
        name: 'T',
        email: 't@x.test',
        password: 'pw-12345',
        externalId: 't-1',
      })
      await plesk.createWebspace({
        domain: 'tiny.example',
        ownerId: owner.id,
        planName: 'Tiny',
        ftpLogin: 't',
        ftpPassword: 'tt-pass1',
      })
      const [ws] = fake.webspaces()
      assert.equal(ws?.ipAddress, '198.51.100.20')
      assert.equal(ws?.planGuid, fake.plans()[0]?.guid)
    } finally {
      await fake.close()
    }
  })
})
