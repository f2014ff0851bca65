/**
 * The customer endpoints the docs imply but do not document: servers list/detail, Plesk client and
 * subscription lists, the catalog, the balance and its ledger. Same conventions as the documented
 * ones: paged lists with `meta`, page size capped at 100, unknown query fields refused, other
 * users' objects 404 and other users' user_id 403 (admin keys read any).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY, DEMO_SERVER_ID, DEMO_SUBSCRIPTION_ID, DEMO_USER_ID } from '../../src/seed/seed-demo.ts'
import { renderServerRow } from '../../src/domain/orders/render.ts'

const ADDON_ID = 'addon12345-6789-0123-4567-890123456789'
const PLAN_BASIC = 'plan123-4567-8901-2345-678901234567'
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const SERVER_ROW_KEYS = [
  'id',
  'id_solusvm',
  'solusvm_uuid',
  'cpu_cores',
  'ram',
  'disk',
  'disk_type',
  'cpu',
  'ramD',
  'diskD',
  'name',
  'auto_renew',
  'primary_ip',
  'extra_ips',
  'status',
  'updated_at',
  'plan_id',
  'location',
  'os_image_id',
  'rental_duration_hours',
  'owner_id',
  'created_at',
  'expire_date',
  'metadata',
  'user_id',
  'username',
  'userIsActive',
  'plan_price',
]

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

/** GET with the demo key by default; `null` sends no key at all. */
const get = (url: string, key: string | null = DEMO_API_KEY) =>
  env.request({ method: 'GET', url, key: key ?? undefined })
const post = (url: string, body: unknown, key: string) => env.request({ url, body, key })

async function ok(url: string, key: string | null = DEMO_API_KEY) {
  const res = await get(url, key)
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`)
  return res.json()
}

async function refused(url: string, key: string | null, status: number, code: string): Promise<void> {
  const res = await get(url, key)
  assert.equal(res.statusCode, status, `${url}: ${res.body}`)
  assert.equal(res.json().success, false)
  assert.equal(res.json().error.code, code, url)
}

async function serverFor(u: { id: string; key: string }, name: string): Promise<{ serverId: string; orderId: string }> {
  const res = await post(
    '/API/orders/create_order',
    { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: name },
    u.key,
  )
  assert.equal(res.statusCode, 200, res.body)
  return { serverId: res.json().server_status.new_id, orderId: res.json().order_id }
}

/** A Plesk client and a one-month Basic subscription for `u`, through the API. */
async function hostingFor(u: { id: string; key: string }, login: string) {
  const client = await post(
    '/API/plesk/clients/create',
    { name: 'Host Co', login, email: `${login}@example.com`, password: 'Pass1234word' },
    u.key,
  )
  assert.equal(client.statusCode, 200, client.body)
  const clientId: string = client.json().data.id
  const order = await post(
    '/API/orders/create_order_plesk',
    {
      plan_id: PLAN_BASIC,
      client_id: clientId,
      domain_name: `${login}.example`,
      ftp_login: `${login.slice(0, 10)}ftp`,
      ftp_password: 'Ftp12345x',
      subscription_duration: 1,
      type_payment: 'balance',
    },
    u.key,
  )
  assert.equal(order.statusCode, 200, order.body)
  return { clientId, subscriptionId: order.json().subscription.id as string }
}

// ---- servers ----

test('servers/list: newest first, full server rows with addons, paged', async () => {
  const u = await env.user('100.00')
  assert.deepEqual(await ok('/API/servers/list', u.key), {
    success: true,
    data: [],
    meta: { total: 0, page: 1, per_page: 20, pages: 1 },
  })
  const first = await serverFor(u, 'first')
  await serverFor(u, 'second')
  const addon = await post(
    '/API/orders/create_order_addon',
    { user_id: u.id, addon_id: ADDON_ID, server_id: first.serverId },
    u.key,
  )
  assert.equal(addon.statusCode, 200, addon.body)
  const body = await ok('/API/servers/list', u.key)
  assert.deepEqual(body.meta, { total: 2, page: 1, per_page: 20, pages: 1 })
  assert.deepEqual(
    body.data.map((s: { name: string }) => s.name),
    ['second', 'first'],
  )
  assert.deepEqual(Object.keys(body.data[1]), [...SERVER_ROW_KEYS, 'cancel_at', 'addons'])
  const { addons, cancel_at: cancelAt, ...row } = body.data[1]
  assert.equal(cancelAt, null, 'no cancellation pending')
  assert.deepEqual(row, await renderServerRow(env.deps.db, first.serverId))
  assert.equal(addons.length, 1)
  assert.equal(addons[0].addon_name, 'IPv4 address')
  assert.deepEqual(row.extra_ips, [addons[0].assigned_value])
  assert.deepEqual(body.data[0].addons, [])
  const page = await ok('/API/servers/list?page=2&per_page=1', u.key)
  assert.deepEqual(
    page.data.map((s: { id: string }) => s.id),
    [first.serverId],
  )
  assert.deepEqual(page.meta, { total: 2, page: 2, per_page: 1, pages: 2 })
  assert.deepEqual((await ok(`/API/servers/list?user_id=${u.id}`, u.key)).data, body.data)
})

test("servers/detail: the full row and addons; other users' servers are 404", async () => {
  const u = await env.user('100.00')
  const admin = await env.user('0.00', true)
  const { serverId } = await serverFor(u, 'detail')
  const body = await ok(`/API/servers/detail?server_id=${serverId}`, u.key)
  assert.deepEqual(Object.keys(body), ['success', 'data'])
  // Plus cancel_at and SolusVM's live power state and boot mode (issue 13).
  assert.deepEqual(body.data, {
    ...(await renderServerRow(env.deps.db, serverId)),
    cancel_at: null,
    addons: [],
    power_status: 'started',
    boot_mode: 'disk',
  })
  assert.equal(body.data.auto_renew, 0)
  assert.equal(body.data.metadata, '', 'the root password is never shown again')
  assert.deepEqual((await ok(`/API/servers/detail?server_id=${serverId}`, admin.key)).data, body.data)
  await refused(`/API/servers/detail?server_id=${DEMO_SERVER_ID}`, u.key, 404, 'not_found')
  await refused(`/API/servers/detail?server_id=${serverId}`, DEMO_API_KEY, 404, 'not_found')
  await refused(`/API/servers/detail?server_id=${serverId}&user_id=${DEMO_USER_ID}`, admin.key, 404, 'not_found')
  await refused(`/API/servers/detail?server_id=${serverId}&user_id=${u.id}`, DEMO_API_KEY, 403, 'forbidden')
  await refused('/API/servers/detail', u.key, 400, 'validation_error')
  await refused(`/API/servers/detail?server_id=${serverId}&id=1`, u.key, 400, 'unknown_field')
})

// ---- Plesk lists ----

test("plesk clients/list and subscriptions/list: the caller's only, in the detail shape", async () => {
  const u = await env.user('50.00')
  const other = await env.user('50.00')
  assert.deepEqual(await ok('/API/plesk/clients/list', u.key), {
    success: true,
    data: [],
    meta: { total: 0, page: 1, per_page: 20, pages: 1 },
  })
  const mine = await hostingFor(u, 'listclient')
  await hostingFor(other, 'otherclient')
  const clients = await ok('/API/plesk/clients/list', u.key)
  assert.equal(clients.meta.total, 1)
  assert.deepEqual(Object.keys(clients.data[0]), [
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
  assert.deepEqual(
    [clients.data[0].id, clients.data[0].login, clients.data[0].status],
    [mine.clientId, 'listclient', 'active'],
  )
  assert.match(clients.data[0].plesk_client_id, /^\d+$/)
  assert.match(clients.data[0].created_at, TIMESTAMP)
  const subs = await ok('/API/plesk/subscriptions/list', u.key)
  assert.equal(subs.meta.total, 1)
  const detail = await ok(`/API/plesk/subscriptions/detail?id=${mine.subscriptionId}`, u.key)
  assert.deepEqual(subs.data[0], detail.subscription)
  assert.equal(subs.data[0].auto_renew, true)
  assert.equal(subs.data[0].ftp_username, 'listclientftp')
  assert.equal(detail.orders.length, 1)
  assert.equal(detail.orders[0].amount, '9.99')
  assert.ok(!JSON.stringify(subs).includes('Ftp12345x'))
  // The demo user still sees only its own.
  assert.deepEqual(
    (await ok('/API/plesk/subscriptions/list')).data.map((s: { id: string }) => s.id),
    [DEMO_SUBSCRIPTION_ID],
  )
  await refused(`/API/plesk/subscriptions/detail?id=${mine.subscriptionId}`, other.key, 404, 'not_found')
  for (const path of ['/API/plesk/clients/list', '/API/plesk/subscriptions/list']) {
    await refused(`${path}?user_id=${u.id}`, other.key, 403, 'forbidden')
    await refused(`${path}?per_page=500`, u.key, 400, 'validation_error')
    await refused(`${path}?status=active`, u.key, 400, 'unknown_field')
  }
  const admin = await env.user('0.00', true)
  assert.equal((await ok(`/API/plesk/clients/list?user_id=${u.id}`, admin.key)).data[0].id, mine.clientId)
})

// ---- catalog ----

test('catalog: OS images with versions, locations, addons, Plesk plans', async () => {
  const os = await ok('/API/catalog/os_images')
  assert.deepEqual(os, {
    success: true,
    data: [
      { name: 'Debian', versions: [{ id: '7', name: 'Debian', version: '12' }] },
      {
        name: 'Ubuntu',
        versions: [
          { id: '13', name: 'Ubuntu', version: '24.04' },
          { id: '6', name: 'Ubuntu', version: '22.04' },
        ],
      },
    ],
    meta: { total: 2, page: 1, per_page: 20, pages: 1 },
  })
  const osPage = await ok('/API/catalog/os_images?per_page=1&page=2')
  assert.deepEqual(
    osPage.data.map((g: { name: string }) => g.name),
    ['Ubuntu'],
  )
  assert.deepEqual(osPage.meta, { total: 2, page: 2, per_page: 1, pages: 2 })
  assert.deepEqual((await ok('/API/catalog/locations')).data, [
    { id: 'germany', name: 'Germany' },
    { id: 'slovenia', name: 'Slovenia' },
  ])
  assert.deepEqual((await ok('/API/catalog/locations?per_page=1&page=2')).data, [{ id: 'slovenia', name: 'Slovenia' }])
  assert.deepEqual((await ok('/API/catalog/addons')).data, [
    { id: ADDON_ID, name: 'IPv4 address', kind: 'ipv4', price: '3.99', currency: 'EUR' },
  ])
  const plesk = (await ok('/API/catalog/plesk_plans')).data
  assert.deepEqual(
    plesk.map((p: { id: string; price: string }) => [p.id, p.price]),
    [
      [PLAN_BASIC, '9.99'],
      ['plan234-5678-9012-3456-789012345678', '9.99'],
      ['plan345-6789-0123-4567-890123456789', '19.99'],
    ],
  )
  assert.deepEqual(Object.keys(plesk[0]), [
    'id',
    'name',
    'price',
    'currency',
    'billing_cycle',
    'created_at',
    'updated_at',
  ])
  for (const path of ['os_images', 'locations', 'addons', 'plesk_plans']) {
    await refused(`/API/catalog/${path}?per_page=101`, DEMO_API_KEY, 400, 'validation_error')
    await refused(`/API/catalog/${path}?page=0`, DEMO_API_KEY, 400, 'validation_error')
    await refused(`/API/catalog/${path}?page=x`, DEMO_API_KEY, 400, 'validation_error')
    await refused(`/API/catalog/${path}?user_id=${DEMO_USER_ID}`, DEMO_API_KEY, 400, 'unknown_field')
    await refused(`/API/catalog/${path}`, null, 401, 'unauthorized')
  }
  assert.deepEqual((await ok('/API/catalog/addons?page=5')).data, [])
})

// ---- balance and ledger ----

test('balance and ledger: decimal strings, newest first, Σ delta = balance', async () => {
  const u = await env.user('100.00')
  assert.deepEqual(await ok('/API/balance', u.key), { success: true, balance: '100.00', currency: 'EUR' })
  const { orderId } = await serverFor(u, 'ledger')
  assert.deepEqual(await ok('/API/balance', u.key), { success: true, balance: '87.01', currency: 'EUR' })
  const ledger = await ok('/API/balance/ledger', u.key)
  assert.deepEqual(ledger.meta, { total: 2, page: 1, per_page: 20, pages: 1 })
  const [debit, opening] = ledger.data
  assert.deepEqual(Object.keys(debit), [
    'id',
    'delta',
    'balance_after',
    'currency',
    'kind',
    'reason',
    'order_id',
    'created_at',
  ])
  assert.deepEqual(
    [debit.delta, debit.balance_after, debit.kind, debit.order_id],
    ['-12.99', '87.01', 'order_debit', orderId],
  )
  assert.deepEqual(
    [opening.delta, opening.balance_after, opening.kind, opening.order_id],
    ['100.00', '100.00', 'adjustment', null],
  )
  assert.match(debit.created_at, TIMESTAMP)
  const cents = (s: string) => Math.round(Number(s) * 100)
  assert.equal(
    ledger.data.reduce((sum: number, e: { delta: string }) => sum + cents(e.delta), 0),
    cents('87.01'),
  )
  assert.deepEqual((await ok('/API/balance/ledger?per_page=1&page=2', u.key)).data, [opening])
  assert.equal((await ok('/API/balance')).balance, '3396.52')
})

test("balance and ledger: user_id is the caller's own unless the key is an admin's", async () => {
  const u = await env.user('5.00')
  const admin = await env.user('0.00', true)
  assert.equal((await ok(`/API/balance?user_id=${u.id}`, admin.key)).balance, '5.00')
  assert.equal((await ok(`/API/balance/ledger?user_id=${u.id}`, admin.key)).meta.total, 1)
  await refused(`/API/balance?user_id=${DEMO_USER_ID}`, u.key, 403, 'forbidden')
  await refused(`/API/balance/ledger?user_id=${DEMO_USER_ID}`, u.key, 403, 'forbidden')
  await refused('/API/balance?user_id=ghost', admin.key, 404, 'not_found')
  await refused('/API/balance?currency=EUR', u.key, 400, 'unknown_field')
  await refused('/API/balance/ledger?per_page=101', u.key, 400, 'validation_error')
  await refused('/API/balance', null, 401, 'unauthorized')
  await refused('/API/balance/ledger', 'oxb_wrong', 401, 'unauthorized')
})

// ---- one sweep over every read ----

test("every read: another user's user_id is 403, another user's object 404, no key 401", async () => {
  const u = await env.user('0.00')
  const lists = [
    '/API/info_user',
    '/API/balance',
    '/API/balance/ledger',
    '/API/servers/list',
    '/API/orders/list_order',
    '/API/plesk/clients/list',
    '/API/plesk/subscriptions/list',
  ]
  for (const path of lists) {
    await refused(`${path}?user_id=${DEMO_USER_ID}`, u.key, 403, 'forbidden')
    await refused(path, null, 401, 'unauthorized')
    assert.equal((await get(`${path}?user_id=${u.id}`, u.key)).statusCode, 200, path)
  }
  const byId = [
    `/API/servers/detail?server_id=${DEMO_SERVER_ID}`,
    `/API/servers/list_addon_server?server_id=${DEMO_SERVER_ID}`,
    `/API/services/usage_server?server_id=${DEMO_SERVER_ID}&specification=cpu`,
    `/API/plesk/subscriptions/detail?id=${DEMO_SUBSCRIPTION_ID}`,
    '/API/orders/list_order?order_id=demo0000-0000-0000-0000-000000000001',
  ]
  for (const url of byId) {
    await refused(url, u.key, 404, 'not_found')
    assert.equal((await get(url)).statusCode, 200, url)
  }
})
