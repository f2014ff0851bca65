/**
 * The documented customer endpoints (docs/0xhost-compat.md 3.1–3.8, 3.24, 3.27): exact shapes and types
 * against the demo world and fresh users, error tables, and security — another user's ids are a
 * 404 (or 403 for user_id) and change nothing. No test here changes the demo user's balance.
 */
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { waitFor } from '../wait.ts'
import {
  DEMO_API_KEY,
  DEMO_CLIENT_ID,
  DEMO_SERVER_ID,
  DEMO_SUBSCRIPTION_ID,
  DEMO_USER_ID,
} from '../../src/seed/seed-demo.ts'
import { PLESK_CUSTOMER_CREATE } from '../../src/jobs/handlers/plesk-customer-create.ts'

const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/
const ORDER_KEYS = [
  'id',
  'user_id',
  'server_id',
  'service_id',
  'order_number',
  'order_type',
  'status',
  'name_server',
  'plan_id',
  'os_image_id',
  'versions',
  'location',
  'rental_duration_hours',
  'amount',
  'currency',
  'metadata',
  'details',
  'domain_name',
  'domain_registration_term',
  'domain_suffix',
  'description',
  'created_at',
  'updated_at',
  'username',
]

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})
afterEach(() => {
  env.providers.fakes.plesk!.clearFaults()
  env.providers.fakes.solusvm!.clearFaults()
})

/** GET with the demo key by default; `null` sends no key at all. */
const get = (url: string, key: string | null = DEMO_API_KEY) =>
  env.request({ method: 'GET', url, key: key ?? undefined })
const post = (url: string, body: unknown, key: string) => env.request({ url, body, key })

/** A provisioned server for `u`, bought through the API (12.99 from its balance). */
async function serverFor(u: { id: string; key: string }): Promise<{ serverId: string; orderId: string }> {
  const res = await post(
    '/API/orders/create_order',
    { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'srv-a' },
    u.key,
  )
  assert.equal(res.statusCode, 200, res.body)
  return { serverId: res.json().server_status.new_id, orderId: res.json().order_id }
}

async function addonFor(u: { id: string; key: string }, serverId: string): Promise<string> {
  const res = await post(
    '/API/orders/create_order_addon',
    { user_id: u.id, addon_id: ADDON_ID, server_id: serverId },
    u.key,
  )
  assert.equal(res.statusCode, 200, res.body)
  return res.json().order.id
}

async function auditCount(targetId: string): Promise<number> {
  return (await env.deps.db.selectFrom('audit_log').select('id').where('target_id', '=', targetId).execute()).length
}

// ---- GET /API/info_user (3.1) ----

test('info_user: the demo user, key for key and type for type', async () => {
  const res = await get('/API/info_user')
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  assert.deepEqual(Object.keys(body), ['success', 'user'])
  assert.deepEqual(Object.keys(body.user), [
    'id',
    'username',
    'email',
    'userTelegram',
    'balance',
    'createdAt',
    'updatedAt',
    'isActive',
    'superuser',
    'notification_days_before',
    'notification_preference',
    'email_verified',
  ])
  assert.equal(body.success, true)
  assert.equal(body.user.id, DEMO_USER_ID)
  assert.equal(body.user.balance, '3396.52')
  assert.equal(body.user.userTelegram, null)
  assert.match(body.user.createdAt, TIMESTAMP)
  assert.equal(body.user.isActive, 1)
  assert.equal(body.user.superuser, 0)
  assert.equal(body.user.notification_days_before, 3)
  assert.equal(body.user.notification_preference, 'email')
  assert.equal(body.user.email_verified, true)
  // user_id naming oneself is the same request.
  assert.deepEqual((await get(`/API/info_user?user_id=${DEMO_USER_ID}`)).json(), body)
})

test('info_user: fresh users, admin keys and the errors', async () => {
  const u = await env.user('12.50')
  const admin = await env.user('0.00', true)
  const mine = (await get('/API/info_user', u.key)).json().user
  assert.equal(mine.balance, '12.50')
  assert.equal(mine.email_verified, false)
  assert.equal((await get('/API/info_user', admin.key)).json().user.superuser, 1)
  const viaAdmin = await get(`/API/info_user?user_id=${u.id}`, admin.key)
  assert.equal(viaAdmin.statusCode, 200)
  assert.deepEqual(viaAdmin.json().user, mine)
  const cases: Array<[string, string | null, number, string]> = [
    [`/API/info_user?user_id=${DEMO_USER_ID}`, u.key, 403, 'forbidden'],
    ['/API/info_user?user_id=nobody-here', admin.key, 404, 'not_found'],
    ['/API/info_user?user_id=', u.key, 400, 'validation_error'],
    ['/API/info_user', null, 401, 'unauthorized'],
    ['/API/info_user', 'oxb_not_a_key', 401, 'unauthorized'],
  ]
  for (const [url, key, status, code] of cases) {
    const res = await get(url, key)
    assert.equal(res.statusCode, status, `${url}: ${res.body}`)
    assert.equal(res.json().success, false)
    assert.equal(res.json().error.code, code, url)
  }
})

// ---- GET /API/plans/list_plan (3.2) ----

test('list_plan: params and OS versions as the documented strings (JSON inside), decoded copies beside them, then Plesk plans', async () => {
  const res = await get('/API/plans/list_plan?type=vps')
  assert.equal(res.statusCode, 200, res.body)
  const plans = res.json().data
  assert.deepEqual(
    plans.map((p: { id: string }) => p.id),
    ['3', '5', '7', '11'],
  )
  const titan = plans[3]
  assert.deepEqual(Object.keys(titan), [
    'id',
    'name',
    'type',
    'params',
    'specs',
    'external_id',
    'price',
    'currency',
    'available_os_image_versions',
    'os_image_versions',
    'created_at',
    'updated_at',
  ])
  assert.deepEqual(
    { ...titan, created_at: 'x', updated_at: 'x', available_os_image_versions: 'x', os_image_versions: 'x' },
    {
      id: '11',
      name: 'VPS Titan',
      type: 'vps',
      params: '{"vcpu":16,"ram":34359738368,"disk":160}',
      specs: { vcpu: 16, ram: 34359738368, disk: 160 },
      external_id: 11,
      price: 69.99,
      currency: 'EUR',
      available_os_image_versions: 'x',
      os_image_versions: 'x',
      created_at: 'x',
      updated_at: 'x',
    },
  )
  // What the docs' clients do with it: decode the string a second time.
  assert.deepEqual(JSON.parse(titan.params), titan.specs)
  assert.deepEqual(JSON.parse(titan.available_os_image_versions), titan.os_image_versions)
  assert.deepEqual(titan.os_image_versions, [
    { id: '7', name: 'Debian', version: '12' },
    { id: '13', name: 'Ubuntu', version: '24.04' },
    { id: '6', name: 'Ubuntu', version: '22.04' },
  ])
  assert.match(titan.created_at, TIMESTAMP)
  assert.equal(typeof plans[1].price, 'number')
  assert.equal(plans[1].price, 12.99)

  const plesk = (await get('/API/plans/list_plan?type=plesk')).json().data
  assert.deepEqual(
    plesk.map((p: { name: string; price: number; type: string }) => [p.name, p.price, p.type]),
    [
      ['Basic', 9.99, 'plesk'],
      ['Basic Plus', 9.99, 'plesk'],
      ['Pro', 19.99, 'plesk'],
    ],
  )
  assert.deepEqual(Object.keys(plesk[0]), [
    'id',
    'name',
    'type',
    'price',
    'currency',
    'billing_cycle',
    'created_at',
    'updated_at',
  ])
  const all = (await get('/API/plans/list_plan')).json().data
  assert.deepEqual(
    all.map((p: { type: string }) => p.type),
    ['vps', 'vps', 'vps', 'vps', 'plesk', 'plesk', 'plesk'],
  )
})

test('list_plan: inactive plans and images are not offered; bad type is a 400', async () => {
  await env.deps.db
    .insertInto('vps_plans')
    .values({
      id: 'retired',
      name: 'Old',
      price_cents: 100n,
      vcpu: 1,
      ram_bytes: 1n,
      disk_gb: 1,
      solusvm_plan_id: 99,
      os_image_ids: ['13'],
      is_active: false,
    })
    .execute()
  await env.deps.db
    .insertInto('os_images')
    .values({ id: 'old-os', name: 'CentOS', version: '7', solusvm_os_version_id: 99, is_active: false })
    .execute()
  await env.deps.db
    .updateTable('vps_plans')
    .set({ os_image_ids: ['13', 'old-os'] })
    .where('id', '=', '3')
    .execute()
  try {
    const plans = (await get('/API/plans/list_plan?type=vps')).json().data
    assert.ok(!plans.some((p: { id: string }) => p.id === 'retired'))
    assert.deepEqual(plans[0].os_image_versions, [{ id: '13', name: 'Ubuntu', version: '24.04' }])
  } finally {
    await env.deps.db
      .updateTable('vps_plans')
      .set({ os_image_ids: ['13', '6', '7'] })
      .where('id', '=', '3')
      .execute()
  }
  for (const [url, code] of [
    ['?type=dedicated', 'validation_error'],
    ['?type=VPS', 'validation_error'],
    ['?type=vps&type=plesk', 'validation_error'],
  ]) {
    const res = await get(`/API/plans/list_plan${url}`)
    assert.equal(res.statusCode, 400, url)
    assert.equal(res.json().error.code, code, url)
  }
})

// ---- GET /API/servers/list_addon_server (3.5) ----

test('list_addon_server: the addons of a server, documented fields', async () => {
  const u = await env.user('100.00')
  const { serverId } = await serverFor(u)
  assert.deepEqual((await get(`/API/servers/list_addon_server?server_id=${serverId}&user_id=${u.id}`, u.key)).json(), {
    success: true,
    data: [],
  })
  await addonFor(u, serverId)
  const res = await get(`/API/servers/list_addon_server?server_id=${serverId}&user_id=${u.id}`, u.key)
  assert.equal(res.statusCode, 200, res.body)
  const [row] = res.json().data
  assert.deepEqual(Object.keys(row), [
    'id',
    'addon_id',
    'server_id',
    'status',
    'assigned_price',
    'assigned_value',
    'created_at',
    'updated_at',
    'addon_name',
    // oxbill's addition after the documented fields: when a cancelled addon ends (issue 13).
    'cancel_at',
  ])
  assert.match(row.id, UUID)
  assert.equal(row.addon_id, ADDON_ID)
  assert.equal(row.server_id, serverId)
  assert.equal(row.status, 'assigned')
  assert.equal(row.assigned_price, '3.99')
  assert.match(row.assigned_value, IPV4)
  assert.equal(row.addon_name, 'IPv4 address')
  // user_id is optional: the caller by default.
  assert.deepEqual((await get(`/API/servers/list_addon_server?server_id=${serverId}`, u.key)).json(), res.json())
})

test('list_addon_server: security and errors', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const { serverId } = await serverFor(u)
  const cases: Array<[string, string, number, string]> = [
    [`server_id=${DEMO_SERVER_ID}`, u.key, 404, 'not_found'],
    [`server_id=${serverId}`, DEMO_API_KEY, 404, 'not_found'],
    [`server_id=${serverId}&user_id=${u.id}`, DEMO_API_KEY, 403, 'forbidden'],
    [`server_id=${serverId}&user_id=${DEMO_USER_ID}`, admin.key, 404, 'not_found'],
    ['server_id=missing-server', u.key, 404, 'not_found'],
    ['', u.key, 400, 'validation_error'],
  ]
  for (const [qs, key, status, code] of cases) {
    const res = await get(`/API/servers/list_addon_server?${qs}`, key)
    assert.equal(res.statusCode, status, `${qs}: ${res.body}`)
    assert.equal(res.json().error.code, code, qs)
  }
  assert.equal((await get(`/API/servers/list_addon_server?server_id=${serverId}`, admin.key)).statusCode, 200)
})

// ---- GET /API/orders/list_order (3.6–3.8) ----

test('list_order: rows as documented, newest first, metadata the documented string with its object beside it, with paging meta', async () => {
  const u = await env.user('100.00')
  const { serverId, orderId } = await serverFor(u)
  const addonOrderId = await addonFor(u, serverId)
  const res = await get(`/API/orders/list_order?user_id=${u.id}`, u.key)
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  assert.deepEqual(Object.keys(body), ['success', 'data', 'meta'])
  assert.deepEqual(body.meta, { total: 2, page: 1, per_page: 20, pages: 1 })
  assert.deepEqual(
    body.data.map((o: { id: string }) => o.id),
    [addonOrderId, orderId],
  )
  const [addon, server] = body.data
  assert.deepEqual(Object.keys(server), ORDER_KEYS)
  const user = await env.deps.db.selectFrom('users').select('username').where('id', '=', u.id).executeTakeFirstOrThrow()
  assert.deepEqual(
    { ...server, order_number: 'x', created_at: 'x', updated_at: 'x' },
    {
      id: orderId,
      user_id: u.id,
      server_id: serverId,
      service_id: serverId,
      order_number: 'x',
      order_type: 'new_server',
      status: 'completed',
      name_server: 'srv-a',
      plan_id: 5,
      os_image_id: 13,
      versions: '24.04',
      location: 'Slovenia',
      rental_duration_hours: 720,
      amount: '12.99',
      currency: 'EUR',
      metadata: 'location=Slovenia, os_image_id=13, plan_name=VPS Start',
      details: { plan_name: 'VPS Start', location: 'Slovenia', os_image_id: '13' },
      domain_name: null,
      domain_registration_term: null,
      domain_suffix: null,
      description: server.description,
      created_at: 'x',
      updated_at: 'x',
      username: user.username,
    },
  )
  assert.match(server.order_number, /^CLOUD_\d{8}_\d{6}$/)
  assert.match(server.created_at, TIMESTAMP)
  assert.equal(addon.order_type, 'addon')
  assert.equal(addon.amount, '3.99')
  assert.equal(addon.server_id, serverId)
  assert.notEqual(addon.service_id, serverId, 'an addon order names its addon assignment')
  assert.equal(typeof addon.metadata, 'string')
  assert.match(addon.metadata, /addon_name=IPv4 address/)
  assert.equal(addon.details.addon_name, 'IPv4 address')
  assert.equal(addon.name_server, null)
  // No user_id: the caller's orders.
  assert.deepEqual((await get('/API/orders/list_order', u.key)).json(), body)
})

test('list_order: type filters under both names, paging and order_id', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const { serverId, orderId } = await serverFor(u)
  const addonOrderId = await addonFor(u, serverId)
  const ids = async (qs: string, key = u.key) => {
    const res = await get(`/API/orders/list_order?${qs}`, key)
    assert.equal(res.statusCode, 200, `${qs}: ${res.body}`)
    return res.json().data.map((o: { id: string }) => o.id)
  }
  assert.deepEqual(await ids('type_order=addon'), [addonOrderId])
  assert.deepEqual(await ids('order_type=new_server'), [orderId])
  assert.deepEqual(await ids('order_type=addon&type_order=addon'), [addonOrderId])
  assert.deepEqual(await ids('order_type=network'), [])
  assert.deepEqual(await ids(`order_id=${orderId}`), [orderId])
  assert.deepEqual(await ids(`order_id=${orderId}`, admin.key), [orderId], 'an admin key reads any order by id')
  const page2 = (await get('/API/orders/list_order?per_page=1&page=2', u.key)).json()
  assert.deepEqual(
    page2.data.map((o: { id: string }) => o.id),
    [orderId],
  )
  assert.deepEqual(page2.meta, { total: 2, page: 2, per_page: 1, pages: 2 })
  assert.deepEqual((await get('/API/orders/list_order?page=3&per_page=1', u.key)).json().data, [])
  const one = (await get(`/API/orders/list_order?order_id=${orderId}`, u.key)).json()
  assert.ok(Array.isArray(one.data))
  assert.deepEqual(one.meta, { total: 1, page: 1, per_page: 20, pages: 1 })

  const cases: Array<[string, string, number, string]> = [
    ['order_id=demo0000-0000-0000-0000-000000000001', u.key, 404, 'not_found'],
    [`order_id=${orderId}`, DEMO_API_KEY, 404, 'not_found'],
    [`order_id=${orderId}&user_id=${DEMO_USER_ID}`, admin.key, 404, 'not_found'],
    [`user_id=${DEMO_USER_ID}`, u.key, 403, 'forbidden'],
    [`order_id=${orderId}&type_order=addon`, u.key, 404, 'not_found'],
    ['type_order=addon&order_type=plesk', u.key, 400, 'ambiguous_request'],
    ['type_order=NEW SERVER', u.key, 400, 'validation_error'],
    ['per_page=101', u.key, 400, 'validation_error'],
    ['per_page=0', u.key, 400, 'validation_error'],
    ['page=0', u.key, 400, 'validation_error'],
    ['page=abc', u.key, 400, 'validation_error'],
  ]
  for (const [qs, key, status, code] of cases) {
    const res = await get(`/API/orders/list_order?${qs}`, key)
    assert.equal(res.statusCode, status, `${qs}: ${res.body}`)
    assert.equal(res.json().error.code, code, qs)
  }
})

// ---- POST /API/services/auto_renew (3.4) ----

test('auto_renew: 0/1 as numbers or strings, audited', async () => {
  const u = await env.user('100.00')
  const { serverId } = await serverFor(u)
  const flag = async () =>
    (await env.deps.db.selectFrom('servers').select('auto_renew').where('id', '=', serverId).executeTakeFirstOrThrow())
      .auto_renew
  for (const [value, expected] of [
    ['1', true],
    [0, false],
    [1, true],
    ['0', false],
  ] as const) {
    const res = await post('/API/services/auto_renew', { user_id: u.id, server_id: serverId, auto_renew: value }, u.key)
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { success: true, message: 'Auto-renew updated successfully' })
    assert.equal(await flag(), expected)
  }
  assert.equal((await get(`/API/servers/detail?server_id=${serverId}`, u.key)).json().data.auto_renew, 0)
  const audit = await env.deps.db
    .selectFrom('audit_log')
    .selectAll()
    .where('target_id', '=', serverId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  assert.equal(audit.length, 4)
  assert.equal(audit[0]!.action, 'server.auto_renew')
  assert.equal(audit[0]!.actor, u.keyId)
  assert.match(audit[0]!.request_id ?? '', /^req_/)
  assert.deepEqual(audit[0]!.details, { user_id: u.id, from: false, to: true })
  // user_id may be left out: the caller's server.
  assert.equal((await post('/API/services/auto_renew', { server_id: serverId, auto_renew: 1 }, u.key)).statusCode, 200)
})

test("auto_renew: errors and other users' servers change nothing", async () => {
  const u = await env.user('100.00')
  const { serverId } = await serverFor(u)
  const demoBefore = await env.deps.db
    .selectFrom('servers')
    .select(['auto_renew', 'updated_at'])
    .where('id', '=', DEMO_SERVER_ID)
    .executeTakeFirstOrThrow()
  const auditsBefore = [await auditCount(DEMO_SERVER_ID), await auditCount(serverId)]
  const cases: Array<[unknown, string, number, string]> = [
    [{ user_id: u.id, server_id: DEMO_SERVER_ID, auto_renew: 1 }, u.key, 404, 'not_found'],
    [{ server_id: DEMO_SERVER_ID, auto_renew: 1 }, u.key, 404, 'not_found'],
    [{ user_id: DEMO_USER_ID, server_id: DEMO_SERVER_ID, auto_renew: 1 }, u.key, 403, 'forbidden'],
    [{ user_id: u.id, server_id: serverId, auto_renew: 2 }, u.key, 400, 'validation_error'],
    [{ user_id: u.id, server_id: serverId, auto_renew: 'yes' }, u.key, 400, 'validation_error'],
    [{ user_id: u.id, server_id: serverId, auto_renew: true }, u.key, 400, 'validation_error'],
    [{ user_id: u.id, server_id: serverId }, u.key, 400, 'validation_error'],
    [{ user_id: u.id, auto_renew: 1 }, u.key, 400, 'validation_error'],
    [{ server_id: 'missing', auto_renew: 1 }, u.key, 404, 'not_found'],
  ]
  for (const [body, key, status, code] of cases) {
    const res = await post('/API/services/auto_renew', body, key)
    assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`)
    assert.equal(res.json().error.code, code, JSON.stringify(body))
  }
  const demoAfter = await env.deps.db
    .selectFrom('servers')
    .select(['auto_renew', 'updated_at'])
    .where('id', '=', DEMO_SERVER_ID)
    .executeTakeFirstOrThrow()
  assert.deepEqual(demoAfter, demoBefore)
  assert.deepEqual([await auditCount(DEMO_SERVER_ID), await auditCount(serverId)], auditsBefore)

  await env.deps.db.updateTable('servers').set({ status: 'provision_failed' }).where('id', '=', serverId).execute()
  const failed = await post('/API/services/auto_renew', { server_id: serverId, auto_renew: 1 }, u.key)
  assert.equal(failed.statusCode, 409)
  assert.equal(failed.json().error.code, 'invalid_state')
})

// ---- GET /API/services/usage_server (3.3) ----

test('usage_server: the four specifications through SolusVM', async () => {
  const res = await get(`/API/services/usage_server?server_id=${DEMO_SERVER_ID}&specification=cpu`)
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  assert.deepEqual(Object.keys(body), ['success_update_db', 'success', 'data'])
  assert.equal(body.success_update_db, false)
  assert.equal(body.success, true)
  assert.equal(body.data.name, 'CPU')
  assert.deepEqual(body.data.interval, { value: 4, measurement: 'second' })
  assert.ok(body.data.items.length > 0)
  for (const item of body.data.items) {
    assert.equal(typeof item.load_average, 'number')
    assert.equal(typeof item.cpu_time, 'number')
    assert.equal(item.cpu_count, 1)
    assert.match(item.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/)
  }
  for (const spec of ['memory', 'disk', 'network']) {
    const r = await get(`/API/services/usage_server?server_id=${DEMO_SERVER_ID}&specification=${spec}`)
    assert.equal(r.statusCode, 200, `${spec}: ${r.body}`)
    assert.ok(r.json().data.items.length > 0, spec)
    assert.equal(typeof r.json().data.name, 'string')
  }
})

test('usage_server: not provisioned, other users, provider down, bad input', async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  await env.deps.db
    .insertInto('servers')
    .values({
      id: `pending-${u.id}`,
      user_id: u.id,
      plan_id: '5',
      os_image_id: '13',
      location_id: 'slovenia',
      name: 'p',
      status: 'provisioning',
      expire_date: new Date(),
    })
    .execute()
  const cases: Array<[string, string, number, string]> = [
    [`server_id=pending-${u.id}&specification=cpu`, u.key, 409, 'invalid_state'],
    [`server_id=${DEMO_SERVER_ID}&specification=cpu`, u.key, 404, 'not_found'],
    [`server_id=${DEMO_SERVER_ID}&specification=cpu&user_id=${DEMO_USER_ID}`, u.key, 403, 'forbidden'],
    [`server_id=${DEMO_SERVER_ID}&specification=gpu`, DEMO_API_KEY, 400, 'validation_error'],
    [`server_id=${DEMO_SERVER_ID}`, DEMO_API_KEY, 400, 'validation_error'],
    ['specification=cpu', DEMO_API_KEY, 400, 'validation_error'],
  ]
  for (const [qs, key, status, code] of cases) {
    const res = await get(`/API/services/usage_server?${qs}`, key)
    assert.equal(res.statusCode, status, `${qs}: ${res.body}`)
    assert.equal(res.json().error.code, code, qs)
  }
  assert.equal(
    (await get(`/API/services/usage_server?server_id=${DEMO_SERVER_ID}&specification=memory`, admin.key)).statusCode,
    200,
  )
  env.providers.fakes.solusvm!.injectFault({ path: /usage/, fault: 'http500', times: 10 })
  const down = await get(`/API/services/usage_server?server_id=${DEMO_SERVER_ID}&specification=cpu`)
  assert.ok(down.statusCode === 502 || down.statusCode === 503, down.body)
  assert.equal(down.json().success, false)
})

// ---- POST /API/plesk/clients/create (3.24) ----

const CLIENT = {
  name: 'Jane Doe',
  login: 'janedoe',
  email: 'jane@example.com',
  password: 'Sup3rSecret',
  company: 'Doe Ltd',
}

test('plesk clients/create: the client and its Plesk customer, password never echoed nor stored', async () => {
  const u = await env.user('0.00')
  const res = await post('/API/plesk/clients/create', CLIENT, u.key)
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  assert.deepEqual(Object.keys(body), ['success', 'message', 'data'])
  assert.equal(body.message, 'Client created successfully')
  assert.deepEqual(Object.keys(body.data), [
    'id',
    'plesk_client_id',
    'name',
    'login',
    'email',
    'company',
    'status',
    'created_at',
    'updated_at',
  ])
  assert.match(body.data.id, UUID)
  assert.match(body.data.plesk_client_id, /^\d+$/)
  assert.deepEqual(
    [body.data.name, body.data.login, body.data.email, body.data.company, body.data.status],
    ['Jane Doe', 'janedoe', 'jane@example.com', 'Doe Ltd', 'active'],
  )
  assert.ok(!res.body.includes(CLIENT.password))
  const plesk = env.providers.fakes.plesk!
  const customer = plesk.customers().find(c => c.login === 'janedoe')
  assert.equal(String(customer?.id), body.data.plesk_client_id)
  assert.equal(customer?.externalId, body.data.id)
  assert.ok(plesk.verifyCustomerPassword('janedoe', CLIENT.password))
  const row = await env.deps.db
    .selectFrom('plesk_clients')
    .selectAll()
    .where('id', '=', body.data.id)
    .executeTakeFirstOrThrow()
  assert.equal(row.user_id, u.id)
  assert.ok(!JSON.stringify(row).includes(CLIENT.password))
  const jobs = await env.deps.db.selectFrom('jobs').selectAll().where('kind', '=', PLESK_CUSTOMER_CREATE).execute()
  const job = jobs.find(j => (j.payload as { clientId: string }).clientId === body.data.id)
  assert.equal(job?.state, 'done')
  assert.ok(!JSON.stringify(job?.payload).includes(CLIENT.password))
  assert.equal(
    (await env.deps.db.selectFrom('job_secrets').select('job_id').where('job_id', '=', job.id).execute()).length,
    0,
    'secret erased',
  )
  assert.equal(await auditCount(body.data.id), 1)
  // The new client can take a hosting order.
  const funded = await env.user('50.00')
  const mine = (await post('/API/plesk/clients/create', { ...CLIENT, login: 'janedoe2' }, funded.key)).json().data.id
  const order = await post(
    '/API/orders/create_order_plesk',
    {
      plan_id: 'plan123-4567-8901-2345-678901234567',
      client_id: mine,
      domain_name: `jane-${funded.id.slice(0, 8)}.example`,
      ftp_login: 'janeftp',
      ftp_password: 'Ftp12345x',
      subscription_duration: 1,
      type_payment: 'balance',
    },
    funded.key,
  )
  assert.equal(order.statusCode, 200, order.body)
  assert.equal(plesk.customers().filter(c => c.externalId === mine).length, 1, 'the order reuses the customer')
})

test('plesk clients/create: pending while Plesk is unreachable, then finished by the worker, once', async () => {
  const u = await env.user('0.00')
  env.providers.fakes.plesk!.injectFault({ operation: 'customer.add', fault: 'lose-response' })
  const res = await post('/API/plesk/clients/create', { ...CLIENT, login: 'slowclient' }, u.key)
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().data.plesk_client_id, '')
  assert.equal(res.json().data.status, 'pending')
  // The worker's retry comes due after a backoff measured by the database's clock, so drain until it has run.
  let list: Array<{ status: string; plesk_client_id: string }> = []
  await waitFor(
    async () => {
      await env.runner.drain()
      list = (await get('/API/plesk/clients/list', u.key)).json().data
      return list[0]?.status !== 'pending'
    },
    { what: 'the worker to finish the Plesk client' },
  )
  assert.equal(list[0]!.status, 'active')
  assert.match(list[0]!.plesk_client_id, /^\d+$/)
  assert.equal(env.providers.fakes.plesk!.customers().filter(c => c.login === 'slowclient').length, 1)
})

test('plesk clients/create: a permanent Plesk refusal leaves the client provision_failed', async () => {
  const u = await env.user('0.00')
  env.providers.fakes.plesk!.injectFault({ operation: 'customer.add', fault: 'error', errcode: 1019 })
  const res = await post('/API/plesk/clients/create', { ...CLIENT, login: 'refused' }, u.key)
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.json().data.status, 'provision_failed')
  assert.equal(res.json().data.plesk_client_id, '')
})

test('plesk clients/create: validation, login conflicts and user_id', async () => {
  const u = await env.user('0.00')
  const admin = await env.user('0.00', true)
  const count = async () => (await env.deps.db.selectFrom('plesk_clients').select('id').execute()).length
  const before = await count()
  const cases: Array<[Record<string, unknown>, string, number, string, string?]> = [
    [{ ...CLIENT, login: 'democlient' }, u.key, 409, 'conflict', 'login'],
    [{ ...CLIENT, login: 'JaneDoe' }, u.key, 400, 'validation_error', 'login'],
    [{ ...CLIENT, login: '1jane' }, u.key, 400, 'validation_error', 'login'],
    [{ ...CLIENT, login: 'jd' }, u.key, 400, 'validation_error', 'login'],
    [{ ...CLIENT, login: 'jane doe' }, u.key, 400, 'validation_error', 'login'],
    [{ ...CLIENT, email: 'not-an-email' }, u.key, 400, 'validation_error', 'email'],
    [{ ...CLIENT, email: 'a@b' }, u.key, 400, 'validation_error', 'email'],
    [{ ...CLIENT, password: 'short1' }, u.key, 400, 'validation_error', 'password'],
    [{ ...CLIENT, password: 'nodigitshere' }, u.key, 400, 'validation_error', 'password'],
    [{ ...CLIENT, password: 'with space 123' }, u.key, 400, 'validation_error', 'password'],
    [{ ...CLIENT, login: 'janex', password: 'xJANEX123' }, u.key, 400, 'validation_error', 'password'],
    [{ ...CLIENT, password: 'x'.repeat(65) }, u.key, 400, 'validation_error', 'password'],
    [{ ...CLIENT, name: '   ' }, u.key, 400, 'validation_error', 'name'],
    [{ ...CLIENT, name: 'a\u0000b' }, u.key, 400, 'validation_error', 'name'],
    [{ name: 'x', login: 'newlogin', email: 'x@y.example' }, u.key, 400, 'validation_error', 'password'],
    [{ ...CLIENT, login: 'forother', user_id: DEMO_USER_ID }, u.key, 403, 'forbidden'],
    [{ ...CLIENT, login: 'forghost', user_id: 'ghost-user' }, admin.key, 404, 'not_found'],
  ]
  for (const [body, key, status, code, field] of cases) {
    const res = await post('/API/plesk/clients/create', body, key)
    assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`)
    assert.equal(res.json().error.code, code, JSON.stringify(body))
    if (field !== undefined) assert.equal(res.json().error.field, field, JSON.stringify(body))
    if (typeof body.password === 'string') {
      assert.ok(!res.body.includes(body.password), 'the password is not echoed in errors')
    }
  }
  assert.equal(await count(), before, 'no refused request wrote a client')
  const forDemo = await post(
    '/API/plesk/clients/create',
    { ...CLIENT, login: 'admin4demo', company: '', user_id: DEMO_USER_ID },
    admin.key,
  )
  assert.equal(forDemo.statusCode, 200, forDemo.body)
  assert.equal(forDemo.json().data.company, '')
  const owner = await env.deps.db
    .selectFrom('plesk_clients')
    .select('user_id')
    .where('id', '=', forDemo.json().data.id)
    .executeTakeFirstOrThrow()
  assert.equal(owner.user_id, DEMO_USER_ID)
})

test('plesk clients/create: a retry with the same Idempotency-Key gets the first answer, not a 409', async () => {
  const u = await env.user('0.00')
  const send = (body: unknown, key: string) =>
    env.request({ url: '/API/plesk/clients/create', body, key: u.key, headers: { 'idempotency-key': key } })
  const first = await send({ ...CLIENT, login: 'idemclient' }, 'k-1')
  assert.equal(first.statusCode, 200, first.body)
  const again = await send({ ...CLIENT, login: 'idemclient' }, 'k-1')
  assert.equal(again.statusCode, 200, again.body)
  assert.deepEqual(again.json(), first.json())
  assert.equal(
    (await env.deps.db.selectFrom('plesk_clients').select('id').where('login', '=', 'idemclient').execute()).length,
    1,
  )
  const stored = await env.deps.db
    .selectFrom('idempotency_keys')
    .select('response_body')
    .where('key', '=', 'k-1')
    .executeTakeFirstOrThrow()
  assert.ok(!JSON.stringify(stored).includes(CLIENT.password))
  const other = await send({ ...CLIENT, login: 'idemclient2' }, 'k-1')
  assert.equal(other.statusCode, 422)
  assert.equal(other.json().error.code, 'idempotency_key_mismatch')
  const noKey = await post('/API/plesk/clients/create', { ...CLIENT, login: 'idemclient' }, u.key)
  assert.equal(noKey.statusCode, 409)
})

test('plesk clients/create: two concurrent requests for one login, one wins', async () => {
  const [a, b] = [await env.user('0.00'), await env.user('0.00')]
  const results = await Promise.all(
    [a, b].map(x => post('/API/plesk/clients/create', { ...CLIENT, login: 'racelogin' }, x.key)),
  )
  assert.deepEqual(results.map(r => r.statusCode).sort(), [200, 409])
  assert.equal(
    (await env.deps.db.selectFrom('plesk_clients').select('id').where('login', '=', 'racelogin').execute()).length,
    1,
  )
})

// ---- GET /API/plesk/subscriptions/detail (3.27) ----

test('subscriptions/detail: the demo subscription and its orders, no FTP password', async () => {
  const res = await get(`/API/plesk/subscriptions/detail?id=${DEMO_SUBSCRIPTION_ID}`)
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  assert.deepEqual(Object.keys(body), ['success', 'subscription', 'orders'])
  assert.deepEqual(Object.keys(body.subscription), [
    'id',
    'domain_name',
    'status',
    'price',
    'plan_id',
    'plan_name',
    'client_id',
    'client_name',
    'created_at',
    'expires_at',
    'auto_renew',
    'ftp_username',
    // oxbill's additions after the documented fields (issue 13).
    'cancel_at',
    'operator_suspended',
  ])
  assert.deepEqual(
    { ...body.subscription, created_at: 'x', expires_at: 'x' },
    {
      id: DEMO_SUBSCRIPTION_ID,
      domain_name: 'example.net',
      status: 'active',
      price: '9.99',
      plan_id: 'plan123-4567-8901-2345-678901234567',
      plan_name: 'Basic',
      client_id: DEMO_CLIENT_ID,
      client_name: 'Demo Client',
      created_at: 'x',
      expires_at: 'x',
      auto_renew: true,
      ftp_username: 'demoftp',
      cancel_at: null,
      operator_suspended: false,
    },
  )
  assert.match(body.subscription.expires_at, TIMESTAMP)
  assert.deepEqual(
    body.orders.map((o: { order_number: string; amount: string; status: string }) => [
      o.order_number,
      o.amount,
      o.status,
    ]),
    [['DEMO_PLESK', '0.00', 'completed']],
  )
  assert.deepEqual(Object.keys(body.orders[0]), [
    'id',
    'order_number',
    'order_type',
    'amount',
    'currency',
    'status',
    'created_at',
  ])
  assert.ok(!/password/i.test(res.body))
})

test("subscriptions/detail: other users' subscriptions are 404, admins read any", async () => {
  const u = await env.user('0.00')
  const admin = await env.user('0.00', true)
  const cases: Array<[string, string, number, string]> = [
    [`id=${DEMO_SUBSCRIPTION_ID}`, u.key, 404, 'not_found'],
    ['id=no-such-sub', DEMO_API_KEY, 404, 'not_found'],
    ['', DEMO_API_KEY, 400, 'validation_error'],
    [`subscription_id=${DEMO_SUBSCRIPTION_ID}`, DEMO_API_KEY, 400, 'validation_error'],
  ]
  for (const [qs, key, status, code] of cases) {
    const res = await get(`/API/plesk/subscriptions/detail?${qs}`, key)
    assert.equal(res.statusCode, status, `${qs}: ${res.body}`)
    assert.equal(res.json().error.code, code, qs)
    assert.ok(!res.body.includes('example.net'), 'nothing about the subscription leaks')
  }
  assert.equal((await get(`/API/plesk/subscriptions/detail?id=${DEMO_SUBSCRIPTION_ID}`, admin.key)).statusCode, 200)
})
