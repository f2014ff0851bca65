/**
 * Domain events (issue 11, item 1): written in the transaction of the change they tell of, listed
 * to their customer (own only) and to operators (all), filterable by type.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { EVENT_TYPES } from '../../src/db/states.ts'

let env: TestEnv
let admin: { id: string; key: string }
before(async () => {
  env = await startTestEnv()
  admin = await env.user('0.00', true)
})
after(async () => {
  await env.close()
})

const NEW_SERVER = { plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'evtest' }

async function events(key: string, query = '') {
  const res = await env.request({ method: 'GET', url: `/API/events${query}`, key })
  assert.equal(res.statusCode, 200, res.body)
  return res.json<{
    data: Array<{ id: string; type: string; user_id: string; data: Record<string, any> }>
    meta: { total: number }
  }>()
}

test('a balance order writes order.created, service.provisioned and order.completed, naming the order and the server', async () => {
  const u = await env.user('50.00')
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: { user_id: u.id, ...NEW_SERVER } })
  assert.equal(res.statusCode, 200, res.body)
  const order = res.json<{ order_id: string; server_status: { new_id: string } }>()
  await env.settle(order.order_id)
  const list = await events(u.key)
  const types = list.data.map(e => e.type).reverse()
  assert.deepEqual(types, ['order.created', 'service.provisioned', 'order.completed'])
  const created = list.data.find(e => e.type === 'order.created')!
  assert.equal(created.user_id, u.id)
  assert.match(created.id, /^evt_[0-9a-f]{24}$/)
  assert.equal(created.data.order.id, order.order_id)
  assert.equal(created.data.order.type, 'new_server')
  assert.equal(created.data.order.amount, '12.99')
  assert.equal(created.data.order.payment_method, 'balance')
  assert.equal(created.data.service.kind, 'server')
  assert.equal(created.data.service.id, order.server_status.new_id)
  assert.equal(created.data.service.name, 'evtest')
  const provisioned = list.data.find(e => e.type === 'service.provisioned')!
  assert.match(provisioned.data.service.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  // Nothing secret: the root password of the answer is in no event.
  const password = res.json<{ password: string | null }>().password
  assert.equal(typeof password, 'string')
  assert.ok(!JSON.stringify(list).includes(password!))
})

test('a failed provisioning writes order.failed with its reason and order.refunded with the amount; nothing about another customer is listed', async () => {
  const u = await env.user('50.00')
  const other = await env.user('50.00')
  env.providers.fakes.solusvm!.injectFault({ method: 'POST', path: '/servers', fault: 'start-fail' })
  try {
    const res = await env.request({
      url: '/API/orders/create_order',
      key: u.key,
      body: { user_id: u.id, ...NEW_SERVER },
    })
    assert.equal(res.statusCode, 200, res.body)
    await env.settle(res.json<{ order_id: string }>().order_id)
  } finally {
    env.providers.fakes.solusvm!.clearFaults()
  }
  const list = await events(u.key)
  const failed = list.data.find(e => e.type === 'order.failed')
  assert.ok(failed, JSON.stringify(list.data.map(e => e.type)))
  assert.equal(typeof failed.data.reason, 'string')
  assert.ok(failed.data.reason.length > 0)
  assert.equal(
    list.data.some(e => e.type === 'order.completed'),
    false,
  )
  assert.equal((await events(other.key)).meta.total, 0)
})

test('filters by type (one or several); an unknown type is a 400 naming it; a customer key naming another user is 403', async () => {
  const u = await env.user('50.00')
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: { user_id: u.id, ...NEW_SERVER } })
  await env.settle(res.json<{ order_id: string }>().order_id)
  assert.deepEqual(
    (await events(u.key, '?type=order.completed')).data.map(e => e.type),
    ['order.completed'],
  )
  assert.equal((await events(u.key, '?type=order.completed,order.created')).meta.total, 2)
  const bad = await env.request({ method: 'GET', url: '/API/events?type=order.nope', key: u.key })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.json<{ error: { message: string } }>().error.message, /order\.nope/)
  const other = await env.user('1.00')
  const forbidden = await env.request({ method: 'GET', url: `/API/events?user_id=${other.id}`, key: u.key })
  assert.equal(forbidden.statusCode, 403)
})

test('the admin list shows every customer; after= returns only newer events; a customer key gets 403 there', async () => {
  const all = await env.request({ method: 'GET', url: '/API/admin/events?per_page=100', key: admin.key })
  assert.equal(all.statusCode, 200, all.body)
  const body = all.json<{ data: Array<{ id: string; user_id: string; type: string }>; meta: { total: number } }>()
  assert.ok(new Set(body.data.map(e => e.user_id)).size >= 3)
  for (const e of body.data) assert.ok((EVENT_TYPES as readonly string[]).includes(e.type))
  const oldest = body.data[body.data.length - 1]!
  const newer = await env.request({
    method: 'GET',
    url: `/API/admin/events?per_page=100&after=${oldest.id}`,
    key: admin.key,
  })
  assert.equal(newer.json<{ meta: { total: number } }>().meta.total, body.meta.total - 1)
  const u = await env.user('1.00')
  assert.equal((await env.request({ method: 'GET', url: '/API/admin/events', key: u.key })).statusCode, 403)
})

test('an order refused for its balance writes no event', async () => {
  const u = await env.user('1.00')
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: { user_id: u.id, ...NEW_SERVER } })
  assert.equal(res.statusCode, 402, res.body)
  assert.equal((await events(u.key)).meta.total, 0)
})

test('every event the tests above wrote matches its published schema (EventData.<type> in the OpenAPI document)', async () => {
  const { default: Value } = await import('typebox/value')
  const { EVENT_PAYLOAD_SCHEMAS } = await import('../../src/http/schemas/event-payloads.ts')
  const rows = await env.deps.db.selectFrom('events').select(['type', 'data']).execute()
  assert.ok(rows.length >= 10, `only ${rows.length} events`)
  const types = new Set<string>()
  for (const r of rows) {
    const schema = EVENT_PAYLOAD_SCHEMAS[r.type]
    assert.ok(
      Value.Check(schema, r.data),
      `${r.type}: ${JSON.stringify([...Value.Errors(schema, r.data)].slice(0, 3))} in ${JSON.stringify(r.data)}`,
    )
    types.add(r.type)
  }
  assert.ok(types.size >= 5, [...types].join(', '))
  const doc = (await env.request({ method: 'GET', url: '/openapi.json' })).json<{
    components: { schemas: Record<string, unknown> }
  }>()
  for (const t of EVENT_TYPES) assert.ok(doc.components.schemas[`EventData.${t}`], `EventData.${t} is published`)
  assert.ok(doc.components.schemas.WebhookMessage)
})
