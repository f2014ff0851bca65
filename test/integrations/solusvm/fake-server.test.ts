import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startFakeSolusVm, type FakeSolusVmHandle } from '../../../src/fakes/solusvm/server.ts'
import { waitFor } from '../../wait.ts'
import { TOKEN } from './helpers.ts'

// Loose reads keep these raw-HTTP assertions short; typed mapping is covered by map.test.ts.
type Json = Record<string, any>

async function api(
  fake: FakeSolusVmHandle,
  method: string,
  path: string,
  body?: unknown,
  token = TOKEN,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Json) }
}

const createBody = (over: Json = {}): Json => ({
  name: 'vps.example.com',
  description: 'srv_x',
  plan: 1,
  location: 1,
  os: 6,
  password: 'pw-123456',
  ...over,
})

describe('fake SolusVM over raw HTTP', () => {
  let fake: FakeSolusVmHandle
  // A manual clock steps servers and tasks through their states without racing a loaded machine.
  let now = Date.parse('2025-01-01T00:00:00Z')
  const advance = (ms: number): void => {
    now += ms
  }
  before(async () => {
    fake = await startFakeSolusVm({ token: TOKEN, createDelayMs: 100, taskDelayMs: 100, perPage: 2, clock: () => now })
  })
  after(async () => {
    await fake.close()
  })

  it('requires the Bearer token', async () => {
    const res = await api(fake, 'GET', '/servers', undefined, 'nope')
    assert.equal(res.status, 401)
    assert.deepEqual(res.body, { message: 'Unauthenticated.' })
  })

  it('validates a create Laravel-style', async () => {
    const res = await api(fake, 'POST', '/servers', { plan: 99, location: 5, os: 1234 })
    assert.equal(res.status, 422)
    assert.equal(res.body.message, 'The given data was invalid.')
    assert.deepEqual(Object.keys(res.body.errors).sort(), ['location', 'name', 'os', 'password', 'plan'])
    assert.deepEqual(res.body.errors.plan, ['The selected plan is invalid.'])
  })

  it('creates a processing server with both IP shapes, then starts it', async () => {
    const res = await api(fake, 'POST', '/servers', createBody({ description: 'srv_shape' }))
    assert.equal(res.status, 201)
    const s = res.body.data
    assert.equal(s.status, 'processing')
    assert.equal(s.is_processing, true)
    assert.equal(s.ip_addresses.ipv4[0].is_primary, true)
    assert.equal(s.ips[0].ip, s.ip_addresses.ipv4[0].ip)
    assert.deepEqual(s.specifications, { vcpu: 1, ram: 1024 ** 3, disk: 20 })
    assert.equal(s.plan.id, 1)
    assert.equal(s.location.name, 'Slovenia')
    assert.match(s.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.match(s.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    const busy = await api(fake, 'POST', `/servers/${s.id}/suspend`)
    assert.equal(busy.status, 409)
    assert.match(busy.body.message, /busy/)
    advance(99)
    assert.equal((await api(fake, 'GET', `/servers/${s.id}`)).body.data.is_processing, true)
    advance(1)
    const started = await api(fake, 'GET', `/servers/${s.id}`)
    assert.equal(started.body.data.status, 'started')
    assert.equal(started.body.data.is_processing, false)
    const create = await api(fake, 'GET', `/tasks?filter[compute_resource_vm_id]=${s.id}&filter[action]=vm-create`)
    assert.equal(create.body.data.length, 1)
    assert.equal(create.body.data[0].status, 'done')
  })

  it('runs a task pending → running → done and applies the effect only when done', async () => {
    const s = (await api(fake, 'POST', '/servers', createBody())).body.data
    advance(100)
    const task = (await api(fake, 'POST', `/servers/${s.id}/resize`, { plan_id: 3, preserve_disk: true })).body.data
    assert.equal(task.action, 'vm-resize')
    assert.equal(task.status, 'pending')
    advance(50)
    const running = (await api(fake, 'GET', `/tasks/${task.id}`)).body.data
    assert.equal(running.status, 'running')
    assert.ok(running.progress > 0 && running.progress < 100)
    const during = (await api(fake, 'GET', `/servers/${s.id}`)).body.data
    assert.equal(during.plan.id, 1)
    assert.equal(during.status, 'processing')
    advance(50)
    const done = (await api(fake, 'GET', `/tasks/${task.id}`)).body.data
    assert.equal(done.status, 'done')
    assert.equal(done.progress, 100)
    const resized = (await api(fake, 'GET', `/servers/${s.id}`)).body.data
    assert.equal(resized.plan.id, 3)
    assert.equal(resized.status, 'started')
    assert.deepEqual(resized.specifications, { vcpu: 2, ram: 2 * 1024 ** 3, disk: 60 })
  })

  it('deletes a server after its task, then answers 404', async () => {
    const s = (await api(fake, 'POST', '/servers', createBody())).body.data
    advance(100)
    const task = (await api(fake, 'DELETE', `/servers/${s.id}`)).body.data
    assert.equal(task.action, 'vm-delete')
    assert.equal((await api(fake, 'GET', `/servers/${s.id}`)).status, 200)
    advance(100)
    assert.equal((await api(fake, 'GET', `/servers/${s.id}`)).status, 404)
  })

  it('paginates lists with absolute links and meta', async () => {
    for (let i = 0; i < 3; i++) await api(fake, 'POST', '/servers', createBody())
    const first = await api(fake, 'GET', '/servers')
    const { meta, links } = first.body
    assert.equal(first.body.data.length, 2)
    assert.equal(meta.current_page, 1)
    assert.equal(meta.per_page, 2)
    assert.equal(meta.from, 1)
    assert.equal(meta.to, 2)
    assert.equal(meta.last_page, Math.ceil(meta.total / 2))
    assert.equal(meta.path, `${fake.url}/servers`)
    assert.equal(links.first, `${fake.url}/servers?page=1`)
    assert.equal(links.prev, null)
    assert.equal(links.next, `${fake.url}/servers?page=2`)
    const last = await api(fake, 'GET', `/servers?page=${meta.last_page}`)
    assert.equal(last.body.links.next, null)
    assert.ok(last.body.data.length >= 1)
  })

  it('lists the catalog', async () => {
    const plans = (await api(fake, 'GET', '/plans?page=1')).body
    assert.equal(plans.meta.total, 10)
    assert.deepEqual(plans.data[0].params, { vcpu: 1, ram: 1024 ** 3, disk: 20 })
    assert.equal((await api(fake, 'GET', '/locations')).body.data[0].name, 'Slovenia')
    const os = (await api(fake, 'GET', '/os_images')).body.data
    assert.deepEqual(
      os[0].versions.map((v: Json) => v.id),
      [6, 13],
    )
  })

  it('hands out unique IPs from documentation ranges', async () => {
    for (let i = 0; i < 5; i++) await api(fake, 'POST', '/servers', createBody({ additional_ip_count: 1 }))
    const ips = fake.servers().flatMap(s => s.ipv4.map(ip => ip.ip))
    assert.equal(new Set(ips).size, ips.length)
    for (const ip of ips) assert.match(ip, /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/)
  })

  it('serves usage graphs at both paths', async () => {
    const s = (await api(fake, 'POST', '/servers', createBody())).body.data
    for (const type of ['cpu', 'memory', 'disks', 'network']) {
      const a = await api(fake, 'GET', `/servers/${s.id}/usage/${type}`)
      assert.equal(a.status, 200)
      assert.equal(a.body.data.items.length, 20)
      const b = await api(fake, 'GET', `/usage/${type}/${s.uuid}`)
      assert.equal(b.body.data.name, a.body.data.name)
    }
    assert.equal((await api(fake, 'GET', `/servers/${s.id}/usage/gpu`)).status, 404)
  })

  it('takes faults over the HTTP control endpoints', async () => {
    const arm = await fetch(fake.url.replace('/api/v1', '/__fake/faults'), {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', pathPattern: '^/plans', fault: 'http500', times: 2 }),
    })
    assert.equal(arm.status, 204)
    assert.equal((await api(fake, 'GET', '/plans')).status, 500)
    assert.equal((await api(fake, 'GET', '/plans?page=1')).status, 500)
    assert.equal((await api(fake, 'GET', '/plans')).status, 200)
    await fetch(fake.url.replace('/api/v1', '/__fake/faults'), {
      method: 'POST',
      body: JSON.stringify({ path: '/locations', fault: 'http500' }),
    })
    assert.equal((await fetch(fake.url.replace('/api/v1', '/__fake/faults'), { method: 'DELETE' })).status, 204)
    assert.equal((await api(fake, 'GET', '/locations')).status, 200)
    const bad = await fetch(fake.url.replace('/api/v1', '/__fake/faults'), {
      method: 'POST',
      body: JSON.stringify({ fault: 'nope' }),
    })
    assert.equal(bad.status, 422)
    const state = (await (await fetch(fake.url.replace('/api/v1', '/__fake/state'))).json()) as Json
    assert.ok(Array.isArray(state.servers) && Array.isArray(state.tasks))
  })

  it('a lose-response create is performed although the socket is destroyed', async () => {
    const before = fake.servers().length
    fake.injectFault({ method: 'POST', path: '/servers', fault: 'lose-response' })
    await assert.rejects(api(fake, 'POST', '/servers', createBody({ description: 'srv_lost' })))
    assert.equal(fake.servers().length, before + 1)
    assert.equal(fake.servers().filter(s => s.description === 'srv_lost').length, 1)
  })
})

describe('fake SolusVM lifecycle and randomness', () => {
  // A timeout fault holds its request forever and the latency is far beyond the test's timeout, so
  // a close() that waited for either fails the test by timing it out.
  it('close() resolves while a request is held by a timeout fault', { timeout: 10_000 }, async () => {
    const fake = await startFakeSolusVm({ token: TOKEN })
    fake.injectFault({ fault: 'timeout' })
    const held = api(fake, 'GET', '/servers').then(
      () => 'answered',
      () => 'failed',
    )
    await waitFor(() => fake.requests().length === 1, { what: 'the fake to hold the request' })
    await fake.close()
    assert.equal(await held, 'failed')
  })

  it('close() cuts latency short', { timeout: 10_000 }, async () => {
    const fake = await startFakeSolusVm({ token: TOKEN, latencyMs: 600_000 })
    const held = api(fake, 'GET', '/servers').then(
      () => 'answered',
      () => 'failed',
    )
    await waitFor(() => fake.requests().length === 1, { what: 'the fake to delay the answer' })
    await fake.close()
    assert.equal(await held, 'failed')
  })

  it('applies latency to answers', async () => {
    const fake = await startFakeSolusVm({ token: TOKEN, latencyMs: 80 })
    try {
      const started = Date.now()
      await api(fake, 'GET', '/plans')
      assert.ok(Date.now() - started >= 75)
    } finally {
      await fake.close()
    }
  })

  it('the same seed gives the same failures and UUIDs', async () => {
    const run = async (): Promise<string[]> => {
      const fake = await startFakeSolusVm({ token: TOKEN, failRate: 0.4, seed: 42, createDelayMs: 5 })
      try {
        const out: string[] = []
        for (let i = 0; i < 12; i++) {
          const res = await api(fake, 'POST', '/servers', createBody())
          out.push(res.status === 201 ? res.body.data.uuid : String(res.status))
        }
        return out
      } finally {
        await fake.close()
      }
    }
    const [a, b] = [await run(), await run()]
    assert.deepEqual(a, b)
    assert.ok(a.includes('500') && a.some(x => x.length === 36))
  })
})
