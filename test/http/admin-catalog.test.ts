/**
 * Admin API: the catalog (VPS plans, OS images, locations, addons, Plesk plans). Create, update,
 * deactivate (DELETE never deletes), list; a price change never alters what past orders cost;
 * error tables; security; and one audit row per write, naming the acting key and the request.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helper.ts'

let env: TestEnv
let admin: { id: string; key: string; keyId: string }
before(async () => {
  env = await startTestEnv()
  admin = await env.user('0.00', true)
})
after(async () => {
  await env.close()
})

const db = () => env.deps.db
type Req = { method?: string; url: string; body?: unknown }
const as = (key: string | undefined, r: Req) =>
  env.request({ method: r.method ?? 'GET', url: r.url, body: r.body, key })
const asAdmin = (r: Req) => as(admin.key, r)
const CAT = '/API/admin/catalog'
const ORDER = '/API/orders/create_order'

async function audited(res: LightMyRequestResponse) {
  const rows = await db()
    .selectFrom('audit_log')
    .selectAll()
    .where('request_id', '=', String(res.headers['x-request-id']))
    .execute()
  for (const r of rows) assert.equal(r.actor, admin.keyId)
  return rows
}

/** Every catalog row, order, ledger entry and audit row, to prove a refused request changed nothing. */
async function fingerprint(): Promise<string> {
  const d = db()
  const all = {
    plans: await d.selectFrom('vps_plans').selectAll().orderBy('id').execute(),
    os: await d.selectFrom('os_images').selectAll().orderBy('id').execute(),
    locations: await d.selectFrom('locations').selectAll().orderBy('id').execute(),
    addons: await d.selectFrom('addons').selectAll().orderBy('id').execute(),
    plesk: await d.selectFrom('plesk_plans').selectAll().orderBy('id').execute(),
    orders: await d.selectFrom('orders').select(['id', 'amount_cents']).orderBy('id').execute(),
    audit: await d.selectFrom('audit_log').select('id').orderBy('id').execute(),
  }
  return JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}

interface KindCase {
  path: string
  noun: string
  create: Record<string, unknown>
  update: Record<string, unknown>
}
const uid = () => Math.random().toString(36).slice(2, 8)

const KINDS: KindCase[] = [
  {
    path: 'vps-plans',
    noun: 'vps_plan',
    create: {
      name: 'VPS Test',
      price: '9.99',
      vcpu: 2,
      ram_mb: 4096,
      disk_gb: 50,
      solusvm_plan_id: 5,
      os_image_ids: ['13', '7'],
    },
    update: { price: '10.49', disk_type: 'nvme', os_image_ids: ['13'] },
  },
  {
    path: 'os-images',
    noun: 'os_image',
    create: { name: 'Rocky', version: '9', solusvm_os_version_id: 13 },
    update: { version: '9.4' },
  },
  {
    path: 'locations',
    noun: 'location',
    create: { name: `Loc-${uid()}`, solusvm_location_id: 2 },
    update: { solusvm_location_id: 1 },
  },
  {
    path: 'addons',
    noun: 'addon',
    create: { name: 'Extra IPv4', kind: 'ipv4', price: '2.50' },
    update: { price: '3.00', name: 'IPv4 (extra)' },
  },
  {
    path: 'plesk-plans',
    noun: 'plesk_plan',
    create: { name: 'Mini', plesk_plan_name: 'Mini', price: '4.99' },
    update: { price: '5.99' },
  },
]

for (const k of KINDS) {
  test(`${k.path}: create, list, update (audited with before/after), deactivate by DELETE, reactivate`, async () => {
    const created = await asAdmin({ method: 'POST', url: `${CAT}/${k.path}`, body: k.create })
    assert.equal(created.statusCode, 201, created.body)
    const item = created.json().item
    for (const [f, v] of Object.entries(k.create)) assert.deepEqual(item[f], v, f)
    assert.equal(item.is_active, true)
    assert.deepEqual(
      (await audited(created)).map(a => [a.action, a.target_type, a.target_id]),
      [[`${k.noun}.create`, k.noun, item.id]],
    )

    const listed = await asAdmin({ url: `${CAT}/${k.path}?per_page=100` })
    assert.equal(listed.statusCode, 200, listed.body)
    assert.deepEqual(
      listed.json().data.find((r: { id: string }) => r.id === item.id),
      item,
    )

    const updated = await asAdmin({ method: 'PATCH', url: `${CAT}/${k.path}/${item.id}`, body: k.update })
    assert.equal(updated.statusCode, 200, updated.body)
    assert.equal(updated.json().changed, true)
    for (const [f, v] of Object.entries(k.update)) assert.deepEqual(updated.json().item[f], v, f)
    const [audit] = await audited(updated)
    assert.equal(audit!.action, `${k.noun}.update`)
    assert.deepEqual(audit!.details, {
      changes: Object.fromEntries(Object.entries(k.update).map(([f, v]) => [f, { from: item[f], to: v }])),
    })

    const same = await asAdmin({ method: 'PATCH', url: `${CAT}/${k.path}/${item.id}`, body: k.update })
    assert.equal(same.json().changed, false)
    assert.deepEqual(await audited(same), [], 'an update to the same values writes no audit row')

    const gone = await asAdmin({ method: 'DELETE', url: `${CAT}/${k.path}/${item.id}` })
    assert.equal(gone.statusCode, 200, gone.body)
    assert.equal(gone.json().item.is_active, false)
    assert.deepEqual(
      (await audited(gone)).map(a => a.action),
      [`${k.noun}.deactivate`],
    )
    assert.equal((await asAdmin({ method: 'DELETE', url: `${CAT}/${k.path}/${item.id}` })).json().changed, false)
    const inactive = await asAdmin({ url: `${CAT}/${k.path}?active=false&per_page=100` })
    assert.ok(
      inactive.json().data.some((r: { id: string }) => r.id === item.id),
      'the row is kept, inactive',
    )
    assert.equal(
      (await asAdmin({ url: `${CAT}/${k.path}?active=true&per_page=100` }))
        .json()
        .data.some((r: { id: string }) => r.id === item.id),
      false,
    )

    const back = await asAdmin({ method: 'PATCH', url: `${CAT}/${k.path}/${item.id}`, body: { is_active: true } })
    assert.equal(back.json().item.is_active, true)
  })
}

test('a chosen id is kept; a taken id or location name is a 409', async () => {
  const res = await asAdmin({
    method: 'POST',
    url: `${CAT}/vps-plans`,
    body: { id: '42', name: 'VPS 42', price: '42.00', vcpu: 4, ram_mb: 8192, disk_gb: 80, solusvm_plan_id: 7 },
  })
  assert.equal(res.statusCode, 201, res.body)
  assert.equal(res.json().item.id, '42')
  assert.equal(res.json().item.disk_type, 'ssd')
  assert.deepEqual(res.json().item.os_image_ids, [])
  const again = await asAdmin({
    method: 'POST',
    url: `${CAT}/vps-plans`,
    body: { id: '42', name: 'x', price: '1.00', vcpu: 1, ram_mb: 512, disk_gb: 10, solusvm_plan_id: 3 },
  })
  assert.equal(again.statusCode, 409)
  const dup = await asAdmin({
    method: 'POST',
    url: `${CAT}/locations`,
    body: { name: 'SLOVENIA', solusvm_location_id: 9 },
  })
  assert.equal(dup.statusCode, 409, 'orders find locations by name, case-insensitively')
  assert.equal(dup.json().error.field, 'name')
  const rename = await asAdmin({ method: 'PATCH', url: `${CAT}/locations/germany`, body: { name: 'slovenia' } })
  assert.equal(rename.statusCode, 409)
})

test('catalog: error table (nothing changes)', async () => {
  const plan = { name: 'P', price: '1.00', vcpu: 1, ram_mb: 512, disk_gb: 10, solusvm_plan_id: 3 }
  const cases: Array<[string, Req, number, string, string?]> = [
    [
      'negative price',
      { method: 'POST', url: `${CAT}/vps-plans`, body: { ...plan, price: '-1.00' } },
      400,
      'validation_error',
      'price',
    ],
    [
      'price with 3 decimals',
      { method: 'POST', url: `${CAT}/addons`, body: { name: 'a', kind: 'ipv4', price: '1.999' } },
      400,
      'validation_error',
      'price',
    ],
    [
      'price as a number',
      { method: 'POST', url: `${CAT}/plesk-plans`, body: { name: 'a', plesk_plan_name: 'a', price: 1 } },
      400,
      'validation_error',
      'price',
    ],
    [
      'missing field',
      { method: 'POST', url: `${CAT}/vps-plans`, body: { ...plan, vcpu: undefined } },
      400,
      'validation_error',
      'vcpu',
    ],
    [
      'ram too small',
      { method: 'POST', url: `${CAT}/vps-plans`, body: { ...plan, ram_mb: 1 } },
      400,
      'validation_error',
      'ram_mb',
    ],
    [
      'unknown disk type',
      { method: 'POST', url: `${CAT}/vps-plans`, body: { ...plan, disk_type: 'floppy' } },
      400,
      'validation_error',
      'disk_type',
    ],
    [
      'unknown OS offered',
      { method: 'POST', url: `${CAT}/vps-plans`, body: { ...plan, os_image_ids: ['13', 'nope'] } },
      404,
      'not_found',
    ],
    [
      'OS offered twice',
      { method: 'POST', url: `${CAT}/vps-plans`, body: { ...plan, os_image_ids: ['13', '13'] } },
      400,
      'validation_error',
    ],
    [
      'unknown field',
      {
        method: 'POST',
        url: `${CAT}/os-images`,
        body: { name: 'a', version: '1', solusvm_os_version_id: 1, family: 'linux' },
      },
      400,
      'unknown_field',
      'family',
    ],
    [
      'bad addon kind',
      { method: 'POST', url: `${CAT}/addons`, body: { name: 'a', kind: 'IPv4!', price: '1.00' } },
      400,
      'validation_error',
      'kind',
    ],
    [
      'bad provider id',
      { method: 'POST', url: `${CAT}/locations`, body: { name: 'x', solusvm_location_id: 0 } },
      400,
      'validation_error',
    ],
    ['empty update', { method: 'PATCH', url: `${CAT}/vps-plans/5`, body: {} }, 400, 'validation_error'],
    ['id in update', { method: 'PATCH', url: `${CAT}/vps-plans/5`, body: { id: '6' } }, 400, 'unknown_field', 'id'],
    ['update unknown row', { method: 'PATCH', url: `${CAT}/addons/nope`, body: { price: '1.00' } }, 404, 'not_found'],
    ['delete unknown row', { method: 'DELETE', url: `${CAT}/plesk-plans/nope` }, 404, 'not_found'],
    ['unknown catalog', { url: `${CAT}/widgets` }, 404, 'route_not_found'],
    ['bad list filter', { url: `${CAT}/addons?active=1` }, 400, 'validation_error'],
    ['unknown query field', { url: `${CAT}/addons?name=x` }, 400, 'unknown_field'],
  ]
  for (const [name, req, status, code, field] of cases) {
    const before = await fingerprint()
    const res = await asAdmin(req)
    assert.equal(res.statusCode, status, `${name}: ${res.body}`)
    assert.equal(res.json().error.code, code, name)
    if (field !== undefined) assert.equal(res.json().error.field, field, name)
    assert.equal(await fingerprint(), before, `${name} changed state`)
  }
})

test('a price change applies to new orders only: a past order keeps its amount, ledger entry and list output', async () => {
  const plan = (
    await asAdmin({
      method: 'POST',
      url: `${CAT}/vps-plans`,
      body: { name: 'VPS Fixed', price: '10.00', vcpu: 1, ram_mb: 2048, disk_gb: 25, solusvm_plan_id: 5 },
    })
  ).json().item
  const u = await env.user('100.00')
  const first = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: plan.id, os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(first.statusCode, 200, first.body)
  assert.equal(first.json().amount, 10)
  const orderId = first.json().order_id as string
  const listBefore = await asAdmin({ url: `/API/admin/orders?user_id=${u.id}` })
  assert.equal(listBefore.statusCode, 200, listBefore.body)
  assert.equal(listBefore.json().data[0].amount, '10.00')
  const debitBefore = await db().selectFrom('ledger_entries').selectAll().where('order_id', '=', orderId).execute()

  const change = await asAdmin({ method: 'PATCH', url: `${CAT}/vps-plans/${plan.id}`, body: { price: '20.00' } })
  assert.equal(change.statusCode, 200, change.body)
  assert.deepEqual((await audited(change))[0]!.details, { changes: { price: { from: '10.00', to: '20.00' } } })

  const listAfter = await asAdmin({ url: `/API/admin/orders?user_id=${u.id}` })
  assert.deepEqual(listAfter.json(), listBefore.json(), 'the past order lists exactly as before')
  const order = await db()
    .selectFrom('orders')
    .select('amount_cents')
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow()
  assert.equal(order.amount_cents, 1000n)
  assert.deepEqual(
    await db().selectFrom('ledger_entries').selectAll().where('order_id', '=', orderId).execute(),
    debitBefore,
  )

  const second = await env.request({
    url: ORDER,
    key: u.key,
    body: { user_id: u.id, plan_id: plan.id, os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(second.json().amount, 20, 'a new order pays the new price')
  const amounts = (await asAdmin({ url: `/API/admin/orders?user_id=${u.id}` }))
    .json()
    .data.map((o: { amount: string }) => o.amount)
  assert.deepEqual(amounts, ['20.00', '10.00'])
  const bal = await db().selectFrom('users').select('balance_cents').where('id', '=', u.id).executeTakeFirstOrThrow()
  assert.equal(bal.balance_cents, 7000n)
})

test('deactivated plans, OS images and locations cannot be ordered; existing servers keep their references', async () => {
  const plan = (
    await asAdmin({
      method: 'POST',
      url: `${CAT}/vps-plans`,
      body: { name: 'VPS Gone', price: '1.00', vcpu: 1, ram_mb: 1024, disk_gb: 20, solusvm_plan_id: 3 },
    })
  ).json().item
  const u = await env.user('10.00')
  const body = { user_id: u.id, plan_id: plan.id, os_image_id: '7', location: 'Germany' }
  const ok = await env.request({ url: ORDER, key: u.key, body })
  assert.equal(ok.statusCode, 200, ok.body)
  const serverId = ok.json().server_status.new_id as string
  for (const [path, id, field] of [
    ['vps-plans', plan.id, 'plan_id'],
    ['os-images', '7', 'os_image_id'],
    ['locations', 'germany', 'location'],
  ] as const) {
    assert.equal((await asAdmin({ method: 'DELETE', url: `${CAT}/${path}/${id}` })).statusCode, 200)
    const refused = await env.request({ url: ORDER, key: u.key, body })
    assert.equal(refused.statusCode, 404, `${field}: ${refused.body}`)
    assert.equal(
      (await asAdmin({ method: 'PATCH', url: `${CAT}/${path}/${id}`, body: { is_active: true } })).statusCode,
      200,
    )
  }
  const server = await db().selectFrom('servers').selectAll().where('id', '=', serverId).executeTakeFirstOrThrow()
  assert.deepEqual([server.plan_id, server.os_image_id, server.location_id], [plan.id, '7', 'germany'])
  assert.equal(
    (await env.request({ url: ORDER, key: u.key, body })).statusCode,
    200,
    'orderable again once reactivated',
  )
})

test('security: a customer key gets 403 on every catalog route and changes nothing; no key or a bad key gets 401', async () => {
  const customer = await env.user('10.00')
  const routes: Req[] = KINDS.flatMap(k => [
    { url: `${CAT}/${k.path}` },
    { method: 'POST', url: `${CAT}/${k.path}`, body: { ...k.create, name: `sec-${uid()}` } },
    { method: 'PATCH', url: `${CAT}/${k.path}/${k.path === 'vps-plans' ? '5' : 'x'}`, body: k.update },
    { method: 'DELETE', url: `${CAT}/${k.path}/${k.path === 'vps-plans' ? '5' : 'x'}` },
  ])
  for (const r of routes) {
    const before = await fingerprint()
    const res = await as(customer.key, r)
    assert.equal(res.statusCode, 403, `${r.method ?? 'GET'} ${r.url}: ${res.body}`)
    for (const key of [undefined, 'not-a-key']) {
      assert.equal((await as(key, r)).statusCode, 401, `${r.method ?? 'GET'} ${r.url}`)
    }
    assert.equal(await fingerprint(), before, `${r.method ?? 'GET'} ${r.url} changed state`)
  }
})
