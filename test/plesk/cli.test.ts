/**
 * `oxbill plesk suspend|resume` (issue 13, contract "B — Plesk"): the real CLI as a child process
 * queues the same action, job, hold and audit row as the admin API (the serving process's worker
 * runs the job), and refuses what the API refuses.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { connectDb } from '../../src/db/connect.ts'
import { newUuid } from '../../src/lib/ids.ts'

let dataDir: string
const secretsKey = randomBytes(32).toString('base64')
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'oxbill-plesk-cli-'))
})
after(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

function oxbill(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir, SECRETS_KEY: secretsKey }
  delete env.DATABASE_URL
  const res = spawnSync(process.execPath, ['bin/oxbill.mjs', ...args], { env, encoding: 'utf8', timeout: 60_000 })
  return { code: res.status, stdout: res.stdout, stderr: res.stderr }
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof connectDb>>['db']) => Promise<T>): Promise<T> {
  const h = await connectDb({ dataDir })
  try {
    return await fn(h.db)
  } finally {
    await h.close()
  }
}

test('plesk suspend and resume queue the operator actions; refused while one is open or without a hold', async () => {
  assert.equal(oxbill('migrate').code, 0)
  const ids = { user: newUuid(), plan: newUuid(), client: newUuid(), sub: newUuid() }
  await withDb(async db => {
    const now = new Date()
    await db
      .insertInto('users')
      .values({ id: ids.user, username: 'cli-plesk', email: 'cli-plesk@test.invalid' })
      .execute()
    await db
      .insertInto('plesk_plans')
      .values({ id: ids.plan, name: 'Basic', plesk_plan_name: 'Basic', price_cents: 500n, updated_at: now })
      .execute()
    await db
      .insertInto('plesk_clients')
      .values({
        id: ids.client,
        user_id: ids.user,
        name: 'C',
        login: 'clicust',
        email: 'c@example.test',
        status: 'active',
        plesk_customer_id: 2,
        updated_at: now,
      })
      .execute()
    await db
      .insertInto('plesk_subscriptions')
      .values({
        id: ids.sub,
        user_id: ids.user,
        client_id: ids.client,
        plan_id: ids.plan,
        domain_name: 'cli.example',
        ftp_login: 'cliftp',
        status: 'active',
        plesk_webspace_id: 7,
        expires_at: new Date(now.getTime() + 86_400_000),
        updated_at: now,
      })
      .execute()
  })
  const s = oxbill('plesk', 'suspend', ids.sub, '--reason', 'chargeback')
  assert.equal(s.code, 0, s.stderr)
  const action = JSON.parse(s.stdout) as { id: string; action: string; status: string }
  assert.deepEqual([action.action, action.status], ['suspend', 'queued'])
  const again = oxbill('plesk', 'resume', ids.sub)
  assert.equal(again.code, 1)
  assert.match(again.stderr, /action_pending/)
  assert.equal(again.stdout, '')
  await withDb(async db => {
    const sub = await db
      .selectFrom('plesk_subscriptions')
      .selectAll()
      .where('id', '=', ids.sub)
      .executeTakeFirstOrThrow()
    assert.ok(sub.operator_suspended_at)
    assert.deepEqual([sub.operator_suspended_by, sub.operator_suspend_reason], ['cli', 'chargeback'])
    const row = await db.selectFrom('plesk_actions').selectAll().where('id', '=', action.id).executeTakeFirstOrThrow()
    const job = await db.selectFrom('jobs').selectAll().where('id', '=', row.job_id!).executeTakeFirstOrThrow()
    assert.deepEqual([job.kind, job.state], ['plesk.action', 'pending'])
    const audit = await db.selectFrom('audit_log').selectAll().where('target_id', '=', ids.sub).execute()
    assert.deepEqual(
      audit.map(a => [a.action, a.actor]),
      [['plesk.suspend', 'cli']],
    )
    // What the worker would do once Plesk has it.
    await db.updateTable('plesk_actions').set({ status: 'done' }).where('id', '=', action.id).execute()
  })
  const twice = oxbill('plesk', 'suspend', ids.sub)
  assert.equal(twice.code, 1)
  assert.match(twice.stderr, /invalid_state/)
  const r = oxbill('plesk', 'resume', ids.sub)
  assert.equal(r.code, 0, r.stderr)
  assert.equal((JSON.parse(r.stdout) as { action: string }).action, 'resume')
  const missing = oxbill('plesk', 'suspend', newUuid())
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /not_found/)
})
