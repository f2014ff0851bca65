import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Type } from 'typebox'
import Value from 'typebox/value'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { flagOf, shownDefault, withConfigTable } from '../../src/config/docs.ts'
import { boundsOf, type EnvVar } from '../../src/config/define.ts'
import { VARS, type VarName } from '../../src/config/schema.ts'

const ENTRIES = Object.entries(VARS) as Array<[VarName, EnvVar]>
const NAMES = new Set<string>(Object.keys(VARS))

/** An environment that records every name asked for, whichever way it is asked. */
function recordingEnv(values: Record<string, string>, seen: Set<string>): NodeJS.ProcessEnv {
  return new Proxy(values, {
    get: (t, k) => (typeof k === 'string' ? (seen.add(k), t[k]) : undefined),
    has: (t, k) => (typeof k === 'string' ? (seen.add(k), k in t) : false),
    ownKeys: () => assert.fail('the parser must ask for variables by name, not list the environment'),
  })
}

test('the parser reads every variable of the schema and nothing else', () => {
  const runs: Array<[string[], Record<string, string>]> = [
    [[], {}],
    [[], { DATABASE_URL: 'postgres://u@h/db', OXAPAY_UNDERPAID_COVERAGE: '5' }],
    [['--port', '9000', '--seed-demo', '--no-worker', '--database-url', 'postgres://u@h/db'], {}],
  ]
  for (const [argv, values] of runs) {
    const seen = new Set<string>()
    loadConfig(argv, recordingEnv(values, seen))
    const unknown = [...seen].filter(n => !NAMES.has(n))
    assert.deepEqual(unknown, [], `read but missing from src/config/schema.ts: ${unknown.join(', ')}`)
  }
  const seen = new Set<string>()
  loadConfig([], recordingEnv({}, seen))
  const unread = [...NAMES].filter(n => !seen.has(n))
  assert.deepEqual(unread, [], `in the schema but never read: ${unread.join(', ')}`)
})

test('nothing outside src/config reads process.env (the fakes are programs of their own)', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap(n => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]))
  const readers = files('src')
    .filter(
      f => f.endsWith('.ts') && !/^src\/(config\.ts$|config\/|fakes\/)|\/fake-[^/]*\.ts$/.test(f.replaceAll('\\', '/')),
    )
    .filter(f => /process\.env/.test(readFileSync(f, 'utf8')))
  assert.deepEqual(readers, [], 'read the setting through Config: add a variable to src/config/schema.ts')
})

test('every variable fills its own Config field, and an empty environment gives each its default', () => {
  const fields = ENTRIES.map(([, v]) => v.field)
  assert.equal(new Set(fields).size, fields.length, 'two variables fill one field')
  const zeroSetup = loadConfig([], {}) as unknown as Record<string, unknown>
  for (const [name, spec] of ENTRIES) {
    const [head, leaf] = spec.field.split('.') as [string, string | undefined]
    const got = leaf === undefined ? zeroSetup[head] : (zeroSetup[head] as Record<string, unknown>)[leaf]
    const want = typeof spec.default === 'function' ? spec.default({ zeroSetup: true }) : spec.default
    assert.deepEqual(got, want, name)
    if (want !== undefined) assert.ok(Value.Check(spec.type, want), `${name}'s default is outside its own schema`)
    assert.doesNotThrow(() => shownDefault(name, spec), name)
  }
})

// A value each checked string variable refuses; integers and booleans get theirs from the schema.
const BAD: Partial<Record<VarName, string>> = {
  PUBLIC_URL: 'ftp://billing.example.com',
  BRAND_NAME: 'Example\nHosting',
  BRAND_LOGO_URL: '//evil.example/logo.png',
  BRAND_PRIMARY_COLOR: 'blue',
  BRAND_ACCENT_COLOR: '#12345g',
  SESSION_COOKIE_SECURE: 'yes',
  SOLUSVM_URL: 'solus.example',
  PLESK_URL: 'javascript:alert(1)',
  PLESK_PANEL_URL: 'ftp://plesk.example.net',
  OXAPAY_URL: 'not a url',
  TRUST_PROXY: '10.0.0.0/33',
  DATABASE_URL: 'mysql://u:hunter2@h/db',
  SECRETS_KEY: 'c2hvcnQ=',
  OXAPAY_DEFAULT_PAY_CURRENCY: 'U$DT',
  OXAPAY_DEFAULT_NETWORK: '-Tron',
  SMTP_URL: 'https://mailer:hunter2@mail.example.com',
  MAIL_FROM_NAME: 'Billing\r\nBcc: victim@example.com',
  MAIL_FROM_ADDRESS: 'billing at example.com',
  MAIL_OPERATOR_ADDRESS: 'ops@',
  WEBHOOK_ALLOW_CIDRS: '0x7f.0.0.1',
}

function badValues(name: VarName, spec: EnvVar): string[] {
  const bounds = boundsOf(spec.type)
  if (bounds) {
    const { minimum, maximum } = bounds
    return ['x', '1.5', '-1', String(maximum + 1), ...(minimum > 0 ? [String(minimum - 1)] : [])]
  }
  if (Type.IsBoolean(spec.type)) return ['maybe', 'TRUE ']
  const bad = BAD[name]
  if (bad !== undefined) return [bad]
  const plain = Type.IsString(spec.type) && !Type.IsRefine(spec.type) && !('pattern' in spec.type)
  assert.ok(plain && spec.normalize === undefined, `${name} refuses values: add one to BAD in this test`)
  return []
}

test('every bad value is refused with a message naming the variable (and never echoing a secret)', () => {
  for (const [name, spec] of ENTRIES) {
    const flag = typeof spec.flag === 'string' ? flagOf(spec) : undefined
    for (const bad of badValues(name, spec)) {
      for (const [argv, env] of [[[], { [name]: bad }], ...(flag ? [[[flag, bad], {}]] : [])] as Array<
        [string[], NodeJS.ProcessEnv]
      >) {
        assert.throws(
          () => loadConfig(argv, env),
          (err: unknown) => {
            assert.ok(err instanceof ConfigError, `${name}=${bad}: ${String(err)}`)
            assert.ok(err.message.startsWith(`${name} must `), err.message)
            if (spec.secret) assert.ok(!err.message.includes(bad), `${name} echoes its secret value: ${err.message}`)
            else assert.ok(err.message.includes(`got '${bad}'`), err.message)
            return true
          },
          `${name}=${bad}${argv.length > 0 ? ' (flag)' : ''}`,
        )
      }
    }
  }
})

test("README.md's configuration tables are the schema's", () => {
  const readme = readFileSync('README.md', 'utf8')
  assert.ok(
    withConfigTable(readme) === readme,
    "README.md's configuration section (between <!-- config:start --> and <!-- config:end -->) differs from src/config/schema.ts: run `npm run docs:config`",
  )
  for (const name of NAMES) assert.ok(readme.includes(`| \`${name}\``), `README.md lacks ${name}`)
})

test('oxbill --help lists every variable, its flag and its default', () => {
  const r = spawnSync(process.execPath, ['bin/oxbill.mjs', '--help'], { encoding: 'utf8', timeout: 60_000 })
  assert.equal(r.status, 0, r.stderr)
  const lines = r.stdout.split('\n')
  for (const [name, spec] of ENTRIES) {
    const flag = flagOf(spec)
    const line = lines.find(l => l.startsWith(`  ${name}${flag ? `, ${flag}` : ''} `))
    assert.ok(line, `--help lacks ${name}${flag ? ` (${flag})` : ''}`)
    assert.ok(line.endsWith(`default: ${shownDefault(name, spec)}`), line)
  }
})
