import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { freshDb, onPostgres } from '../helper.ts'
import { connectDb } from '../../src/db/connect.ts'
import { DEMO_SERVER_ID, seedDemo } from '../../src/seed/seed-demo.ts'
import { createSecretBox } from '../../src/lib/secret-box.ts'

// `oxbill servers …` as an operator runs it: the real CLI as a child process; it only enqueues.
let dataDir: string
let pgDb: Awaited<ReturnType<typeof freshDb>> | undefined
const secretsKey = randomBytes(32).toString('base64')

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

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'oxbill-servers-cli-'))
  if (onPostgres) pgDb = await freshDb()
  assert.equal(oxbill('migrate').code, 0)
  await withDb(async db => {
    await seedDemo(db, createSecretBox(secretsKey))
    // The demo server as if provisioned: active with a VM.
    await db.updateTable('servers').set({ status: 'active', id_solusvm: 1 }).where('id', '=', DEMO_SERVER_ID).execute()
  })
})
after(async () => {
  rmSync(dataDir, { recursive: true, force: true })
  await pgDb?.drop()
})

test('servers reinstall prints the root password once and enqueues the job; a second action is refused', async () => {
  const r = oxbill('servers', 'reinstall', DEMO_SERVER_ID, '--os', '7')
  assert.equal(r.code, 0, r.stderr)
  const out = JSON.parse(r.stdout) as { action: { id: string; status: string; os_id: string }; root_password: string }
  assert.match(out.root_password, /^[A-Za-z0-9]{20}$/)
  assert.equal(out.action.status, 'queued')
  assert.equal(out.action.os_id, '7')
  const busy = oxbill('servers', 'power', DEMO_SERVER_ID, '--action', 'reboot')
  assert.equal(busy.code, 1)
  assert.match(busy.stderr, /action_pending/)
  await withDb(async db => {
    const action = await db
      .selectFrom('server_actions')
      .selectAll()
      .where('id', '=', out.action.id)
      .executeTakeFirstOrThrow()
    assert.equal(action.requested_by, 'cli')
    const job = await db.selectFrom('jobs').selectAll().where('id', '=', action.job_id!).executeTakeFirstOrThrow()
    assert.equal(job.kind, 'server.rebuild')
    assert.equal(job.state, 'pending', 'left to the serving process')
    const secret = await db.selectFrom('job_secrets').selectAll().where('job_id', '=', job.id).execute()
    assert.equal(secret.length, 1)
    assert.ok(!secret[0]!.ciphertext.includes(out.root_password))
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'server.reinstall').execute()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.actor, 'cli')
    assert.ok(!JSON.stringify(audit).includes(out.root_password))
    // As if the worker had run it, so the next command is accepted.
    await db.updateTable('server_actions').set({ status: 'done' }).where('id', '=', action.id).execute()
  })
  const reset = oxbill('servers', 'reset-password', DEMO_SERVER_ID)
  assert.equal(reset.code, 0, reset.stderr)
  assert.equal(JSON.parse(reset.stdout).action.action, 'reset_password')
})

test('servers commands: bad input is refused and writes nothing', async () => {
  const before = await withDb(db => db.selectFrom('server_actions').select('id').execute())
  for (const args of [
    ['servers', 'power', DEMO_SERVER_ID, '--action', 'explode'],
    ['servers', 'power', DEMO_SERVER_ID],
    ['servers', 'reinstall', DEMO_SERVER_ID],
    ['servers', 'reinstall', DEMO_SERVER_ID, '--os', 'nope'],
    ['servers', 'reinstall', 'srv_missing', '--os', '7'],
    ['servers', 'explode', DEMO_SERVER_ID],
  ]) {
    const r = oxbill(...args)
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`)
  }
  assert.deepEqual(await withDb(db => db.selectFrom('server_actions').select('id').execute()), before)
})
