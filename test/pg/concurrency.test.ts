import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { onPostgres, startTestEnv, type TestEnv } from '../helper.ts'
import { assertAuditsClean } from '../audits.ts'

// PGlite serializes everything, so races only show on PostgreSQL (ARCHITECTURE: PGlite limits).
const skip = onPostgres ? false : 'concurrency needs PostgreSQL (runs in the PostgreSQL suite)'

let env: TestEnv
before(async () => {
  if (!skip) env = await startTestEnv({ seed: false })
})
after(async () => {
  if (!skip) await env.close()
})

async function seedCatalogOnly(): Promise<void> {
  const { seedCatalog } = await import('../../src/seed/seed-demo.ts')
  await seedCatalog(env.deps.db)
}

test(
  '64 concurrent orders against a balance that covers exactly 40: 40 succeed, 24 get 402, balance 0.00',
  { skip },
  async () => {
    await seedCatalogOnly()
    const u = await env.user('519.60') // 40 × 12.99
    const body = { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' }
    const results = await Promise.all(
      Array.from({ length: 64 }, () => env.request({ url: '/API/orders/create_order', key: u.key, body })),
    )
    const codes = results.map(r => r.statusCode)
    assert.equal(codes.filter(c => c === 200).length, 40, `status codes: ${JSON.stringify(codes)}`)
    assert.equal(codes.filter(c => c === 402).length, 24)
    for (const r of results.filter(r => r.statusCode === 402)) assert.equal(r.json().error.code, 'insufficient_balance')
    const user = await env.deps.db
      .selectFrom('users')
      .select('balance_cents')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow()
    assert.equal(user.balance_cents, 0n)
    const orders = await env.deps.db.selectFrom('orders').select(['id']).where('user_id', '=', u.id).execute()
    assert.equal(orders.length, 40)
    const debits = await env.deps.db
      .selectFrom('ledger_entries')
      .select('delta_cents')
      .where('user_id', '=', u.id)
      .where('kind', '=', 'order_debit')
      .execute()
    assert.equal(debits.length, 40)
    const jobs = await env.deps.db
      .selectFrom('jobs')
      .select('id')
      .where(
        'order_id',
        'in',
        orders.map(o => o.id),
      )
      .execute()
    assert.equal(jobs.length, 40)
    await assertAuditsClean(env)
  },
)

test('20 concurrent requests with one Idempotency-Key place exactly one order', { skip }, async () => {
  await seedCatalogOnly()
  const u = await env.user('1000.00')
  const body = { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' }
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      env.request({
        url: '/API/orders/create_order',
        key: u.key,
        body,
        headers: { 'idempotency-key': 'same-key-20' },
      }),
    ),
  )
  const ok = results.filter(r => r.statusCode === 200)
  const busy = results.filter(r => r.statusCode === 409)
  assert.equal(ok.length + busy.length, 20, JSON.stringify(results.map(r => r.statusCode)))
  assert.ok(ok.length >= 1)
  for (const r of busy) assert.equal(r.json().error.code, 'idempotency_key_in_use')
  assert.equal(new Set(ok.map(r => r.json().order_id)).size, 1)
  const orders = await env.deps.db.selectFrom('orders').select('id').where('user_id', '=', u.id).execute()
  assert.equal(orders.length, 1)
  const user = await env.deps.db
    .selectFrom('users')
    .select('balance_cents')
    .where('id', '=', u.id)
    .executeTakeFirstOrThrow()
  assert.equal(user.balance_cents, 100000n - 1299n)
})

test('concurrent plan changes of one server: one is priced, the other is refused while it runs', { skip }, async () => {
  await seedCatalogOnly()
  const u = await env.user('500.00')
  const created = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(created.statusCode, 200)
  const serverId = created.json().server_status.new_id as string
  env.providers.fakes.solusvm!.clearFaults()
  const results = await Promise.all(
    ['7', '11'].map(plan =>
      env.request({
        url: '/API/orders/create_order',
        key: u.key,
        body: { user_id: u.id, server_id: serverId, plan_id: plan },
      }),
    ),
  )
  const codes = results.map(r => r.statusCode).sort()
  assert.deepEqual(codes, [200, 409], JSON.stringify(results.map(r => r.json())))
  await assertAuditsClean(env)
})
