import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { freshDb, onPostgres } from '../helper.ts'
import { connectDb } from '../../src/db/connect.ts'

// Runs the real CLI (bin/oxbill.mjs) as a child process, on PGlite in a temp directory or on a
// fresh PostgreSQL database, the way an operator would.
let dataDir: string
let pgDb: Awaited<ReturnType<typeof freshDb>> | undefined
const secretsKey = randomBytes(32).toString('base64')

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'oxbill-cli-'))
  if (onPostgres) pgDb = await freshDb()
})
after(async () => {
  rmSync(dataDir, { recursive: true, force: true })
  await pgDb?.drop()
})

function oxbill(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir, SECRETS_KEY: secretsKey }
  if (pgDb) env.DATABASE_URL = pgDb.url
  else delete env.DATABASE_URL
  const res = spawnSync(process.execPath, ['bin/oxbill.mjs', ...args], { env, encoding: 'utf8', timeout: 60_000 })
  return { code: res.status, stdout: res.stdout, stderr: res.stderr }
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof connectDb>>['db']) => Promise<T>): Promise<T> {
  const h = pgDb ? await connectDb({ databaseUrl: pgDb.url, dataDir: 'memory://' }) : await connectDb({ dataDir })
  try {
    return await fn(h.db)
  } finally {
    await h.close()
  }
}

test('--help lists the commands', () => {
  const r = oxbill('--help')
  assert.equal(r.code, 0)
  for (const c of [
    'serve',
    'migrate',
    'users create',
    'keys create',
    'keys revoke',
    'balance credit',
    'audit',
    'jobs list',
    'jobs retry',
    'services cancel',
    'services terminate',
    'fake solusvm',
  ]) {
    assert.ok(r.stdout.includes(c), `help mentions ${c}`)
  }
})

test('users create prints only a JSON object; keys, balance and audit work on it', async () => {
  const created = oxbill('users', 'create', '--email', 'ops@example.test', '--balance', '100.00')
  assert.equal(created.code, 0, created.stderr)
  const out = JSON.parse(created.stdout) as { user_id: string; api_key: string }
  assert.deepEqual(Object.keys(out).sort(), ['api_key', 'user_id'])
  assert.match(out.api_key, /^oxb_[0-9a-f]{64}$/)

  const key = oxbill('keys', 'create', '--user', out.user_id, '--admin')
  assert.equal(key.code, 0, key.stderr)
  const k = JSON.parse(key.stdout) as { key_id: string; api_key: string }

  const credit = oxbill('balance', 'credit', '--user', out.user_id, '--amount', '10.50', '--reason', 'goodwill')
  assert.equal(credit.code, 0, credit.stderr)
  assert.equal(JSON.parse(credit.stdout).balance, '110.50')

  const revoke = oxbill('keys', 'revoke', k.key_id)
  assert.equal(revoke.code, 0, revoke.stderr)

  const audit = oxbill('audit')
  assert.equal(audit.code, 0, audit.stderr)
  assert.equal(JSON.parse(audit.stdout).ok, true)

  await withDb(async db => {
    const keys = await db.selectFrom('api_keys').selectAll().where('user_id', '=', out.user_id).execute()
    assert.equal(keys.length, 2)
    // Only hashes are stored: neither plaintext key appears anywhere in the row.
    assert.ok(
      keys.every(
        r => !JSON.stringify(r).includes(out.api_key.slice(12)) && !JSON.stringify(r).includes(k.api_key.slice(12)),
      ),
    )
    assert.ok(keys.find(r => r.id === k.key_id)?.revoked_at instanceof Date)
    const ledger = await db
      .selectFrom('ledger_entries')
      .select(['kind', 'delta_cents', 'actor'])
      .where('user_id', '=', out.user_id)
      .orderBy('created_at')
      .execute()
    assert.deepEqual(
      ledger.map(l => [l.kind, l.delta_cents, l.actor]),
      [
        ['opening_balance', 10000n, 'cli'],
        ['adjustment', 1050n, 'cli'],
      ],
    )
    // Tamper with a balance behind the ledger's back: audit must notice.
    await db.updateTable('users').set({ balance_cents: 1n }).where('id', '=', out.user_id).execute()
  })
  const bad = oxbill('audit')
  assert.equal(bad.code, 1)
  assert.equal(JSON.parse(bad.stdout).violations[0].userId, out.user_id)
})

test('audit reports what was paid but not delivered: a live server with no paid period', async () => {
  await withDb(async db => {
    // Mend the balance the test above tampered with, so only the delivery violation remains.
    await db.updateTable('users').set({ balance_cents: 11050n }).where('balance_cents', '=', 1n).execute()
    const user = await db.selectFrom('users').select('id').executeTakeFirstOrThrow()
    await db
      .insertInto('vps_plans')
      .values({ id: 'p1', name: 'P', price_cents: 100n, vcpu: 1, ram_bytes: 1n, disk_gb: 1, solusvm_plan_id: 1 })
      .execute()
    await db.insertInto('os_images').values({ id: 'o1', name: 'O', version: '1', solusvm_os_version_id: 1 }).execute()
    await db.insertInto('locations').values({ id: 'l1', name: 'L', solusvm_location_id: 1 }).execute()
    await db
      .insertInto('servers')
      .values({
        id: 'srv-planted',
        user_id: user.id,
        plan_id: 'p1',
        os_image_id: 'o1',
        location_id: 'l1',
        name: 'x',
        status: 'active',
        expire_date: new Date(Date.now() + 3600_000),
      })
      .execute()
  })
  const bad = oxbill('audit')
  assert.equal(bad.code, 1, bad.stderr)
  const out = JSON.parse(bad.stdout)
  assert.deepEqual(out.violations, [])
  assert.equal(out.ok, false)
  assert.deepEqual(
    out.delivery_violations.map((v: { check: string; id: string }) => [v.check, v.id]),
    [['no_paid_period', 'srv-planted']],
  )
})

test('bad input: a clear error on stderr, exit 1, nothing on stdout', () => {
  for (const args of [
    ['users', 'create', '--balance', '10'],
    ['users', 'create', '--email', 'x@example.test', '--balance', '1.234'],
    ['balance', 'credit', '--user', 'nobody', '--amount', '1.00', '--reason', 'test'],
    ['users', 'create', '--email', 'y@example.test', '--bogus'],
    ['jobs', 'retry', 'job_missing'],
    ['services', 'terminate', 'no-such-service', '--refund'],
    ['services', 'cancel', 'no-such-service', '--when', 'now'],
    ['services', 'cancel', 'no-such-service', '--when', 'immediate'],
    ['services', 'terminate'],
  ]) {
    const r = oxbill(...args)
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /error/)
  }
})
