import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assertRunnable, ConfigError, loadConfig } from '../../src/config.ts'
import { lockDataDir } from '../../src/db/pglite-lock.ts'

test('defaults, environment, and flags that win over the environment', () => {
  const d = loadConfig([], {})
  assert.deepEqual(
    [d.host, d.port, d.dataDir, d.databaseUrl, d.seedDemo, d.fakeProviders],
    ['127.0.0.1', 8080, './data', undefined, true, true],
  )
  const e = loadConfig([], { PORT: '9001', HOST: '0.0.0.0', DATA_DIR: '/tmp/x' })
  assert.deepEqual([e.host, e.port, e.dataDir], ['0.0.0.0', 9001, '/tmp/x'])
  const f = loadConfig(['--port', '9000', '--host', '::1', '--data-dir', '/tmp/y'], {
    PORT: '9001',
    HOST: '0.0.0.0',
    DATA_DIR: '/tmp/x',
  })
  assert.deepEqual([f.host, f.port, f.dataDir], ['::1', 9000, '/tmp/y'])
  assert.ok(Object.isFrozen(f))
})

test('PostgreSQL mode: no demo data unless asked, and a secrets key and providers are required to run', () => {
  const pg = loadConfig([], { DATABASE_URL: 'postgres://u@h/db' })
  assert.equal(pg.seedDemo, false)
  assert.equal(loadConfig(['--seed-demo'], { DATABASE_URL: 'postgres://u@h/db' }).seedDemo, true)
  assert.throws(
    () => assertRunnable(pg),
    (err: unknown) => err instanceof ConfigError && /SOLUSVM_URL/.test(err.message),
  )
  const withProviders = loadConfig([], { DATABASE_URL: 'postgres://u@h/db', FAKE_PROVIDERS: 'true' })
  assert.throws(() => assertRunnable(withProviders), /SECRETS_KEY/)
})

test('every bad value is refused with the variable named', () => {
  for (const [env, name] of [
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SOLUSVM_URL: 'ftp://x' }, 'SOLUSVM_URL'],
    [{ SECRETS_KEY: 'short' }, 'SECRETS_KEY'],
    [{ FAKE_PROVIDERS: 'maybe' }, 'FAKE_PROVIDERS'],
    [{ PROVISION_DEADLINE_MS: '-1' }, 'PROVISION_DEADLINE_MS'],
    [{ RATE_LIMIT_PER_SECOND: 'x' }, 'RATE_LIMIT_PER_SECOND'],
  ] as const) {
    assert.throws(
      () => loadConfig([], env),
      (err: unknown) => err instanceof ConfigError && err.message.includes(name),
      name,
    )
  }
  assert.throws(() => assertRunnable(loadConfig([], { SOLUSVM_URL: 'https://solus.example/api/v1' })), /SOLUSVM_TOKEN/)
})

test('a second process cannot open a data directory that is in use; a stale lock is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxbill-lock-'))
  try {
    // Another live process holds the lock.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'])
    await new Promise(resolve => holder.once('spawn', resolve))
    writeFileSync(join(dir, 'oxbill.lock'), String(holder.pid))
    assert.throws(() => lockDataDir(dir), /in use by process/)
    holder.kill('SIGKILL')
    await new Promise(resolve => holder.once('exit', resolve))
    // Its pid is gone now: the lock is stale and is taken over, then released.
    const unlock = lockDataDir(dir)
    assert.ok(existsSync(join(dir, 'oxbill.lock')))
    unlock()
    assert.ok(!existsSync(join(dir, 'oxbill.lock')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
