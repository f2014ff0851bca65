#!/usr/bin/env node
// Runs the whole suite on the embedded database (PGlite), then again on PostgreSQL, then the browser
// tests (test/e2e/, Chromium against a real oxbill on PGlite) once, in a pass of their own.
// PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); each test file
// creates its own database there and drops it. With CI=true the PostgreSQL run is required;
// elsewhere it is skipped, loudly, when no server answers.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'

const args = process.argv.slice(2)
const only = args.filter(a => !a.startsWith('--'))
const pgOnly = args.includes('--pg-only')
const pgliteOnly = args.includes('--pglite-only')

function findTests(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...findTests(p))
    else if (name.endsWith('.test.ts')) out.push(p)
  }
  return out.sort()
}

// The portal's unit tests (web/test/unit: lib/ and form schemas, no database) run with the rest.
const webUnit = 'web/test/unit'
const files = only.length > 0 ? only : [...findTests('test'), ...(existsSync(webUnit) ? findTests(webUnit) : [])]
// Browser tests run once, after the rest, on PGlite (their harness picks it): each file starts
// its own oxbill and Chromium, which would only compete with the database passes for the 2 cores.
const isBrowser = f => /(^|[\\/])test[\\/]e2e[\\/]/.test(f)
const browserFiles = files.filter(isBrowser)
const apiFiles = files.filter(f => !isBrowser(f))
// Files that start oxbill through test/helper.ts touch the database and run on both; the rest
// (provider adapters and fakes, pure money rules) do not, and run once.
const usesDb = f => /from '(\.\.\/)+helper\.ts'/.test(readFileSync(f, 'utf8'))
const dbFiles = apiFiles.filter(usesDb)

function run(label, env, list) {
  console.log(`\n=== ${label}: ${list.length} test files ===`)
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...list], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  return res.status ?? 1
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

let failed = 0
if (!pgOnly && apiFiles.length > 0) {
  failed += run('embedded database (PGlite) and database-free tests', { OXBILL_TEST_DB: 'pglite' }, apiFiles)
}

if (!pgliteOnly) {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  if (await postgresReachable(url)) {
    failed +=
      dbFiles.length > 0 ? run('PostgreSQL', { OXBILL_TEST_DB: 'postgres', TEST_DATABASE_URL: url }, dbFiles) : 0
  } else if (process.env.CI === 'true') {
    console.error(`\nPostgreSQL suite REQUIRED under CI but ${url} is unreachable`)
    failed += 1
  } else {
    console.log(`\n*** SKIPPED: the PostgreSQL suite (no server at ${url}); concurrency tests did not run ***`)
  }
}
if (!pgOnly && browserFiles.length > 0) {
  // Each file builds web/dist first when it is missing or stale (one build, under a lock), and
  // fails under CI=true when Chromium is missing; elsewhere it skips, and this says so up front.
  if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH && process.env.CI !== 'true') {
    console.log('\n*** SKIPPING the browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium) ***')
  }
  failed += run('browser tests (Chromium, PGlite)', { OXBILL_TEST_DB: 'pglite' }, browserFiles)
}
process.exit(failed === 0 ? 0 : 1)
