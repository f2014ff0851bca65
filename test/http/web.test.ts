import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { loadConfig } from '../../src/config.ts'
import { contentSecurityPolicy } from '../../src/http/web.ts'
import { consoleSocketOrigin } from '../../src/integrations/solusvm/client.ts'

// The portal as oxbill serves it (src/http/web.ts): a built web/dist stand-in with an index, a
// hashed asset and a root file, and a secret beside the directory that must never be reachable.
const base = mkdtempSync(join(tmpdir(), 'oxbill-web-'))
const dist = join(base, 'dist')
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>'
mkdirSync(join(dist, 'assets'), { recursive: true })
writeFileSync(join(dist, 'index.html'), INDEX)
writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("portal")\n')
writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET')

let env: TestEnv
let bare: TestEnv
before(async () => {
  env = await startTestEnv({
    seed: false,
    env: {
      WEB_DIST_DIR: dist,
      BRAND_NAME: '  Example Hosting ',
      BRAND_LOGO_URL: 'https://cdn.example.com/logo.svg',
      BRAND_PRIMARY_COLOR: '#112233',
      BRAND_ACCENT_COLOR: '#AABBCC',
    },
  })
  bare = await startTestEnv({ seed: false, env: { WEB_DIST_DIR: join(base, 'not-built') } })
})
after(async () => {
  await env.close()
  await bare.close()
  rmSync(base, { recursive: true, force: true })
})

const get = (e: TestEnv, url: string, method = 'GET') => e.request({ method, url })

function assertHtmlHeaders(res: { headers: Record<string, unknown> }) {
  const csp = String(res.headers['content-security-policy'])
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
  ]) {
    assert.ok(csp.includes(directive), `CSP has ${directive}: ${csp}`)
  }
  assert.ok(!/script-src[^;]*unsafe/.test(csp), 'no unsafe-inline or unsafe-eval for scripts')
  assert.equal(res.headers['x-frame-options'], 'DENY')
  assert.equal(res.headers['referrer-policy'], 'same-origin')
  assert.equal(res.headers['x-content-type-options'], 'nosniff')
  assert.equal(res.headers['cache-control'], 'no-cache')
}

test('/ serves the portal with its security headers, not cached', async () => {
  const res = await get(env, '/')
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['content-type']), /^text\/html/)
  assert.equal(res.body, INDEX)
  assertHtmlHeaders(res)
  // The logo's origin, and only it, joins img-src.
  assert.match(String(res.headers['content-security-policy']), /img-src 'self' data: https:\/\/cdn\.example\.com;/)
})

/** The sources of one CSP directive. */
const directive = (csp: string, name: string): string[] =>
  csp
    .split(';')
    .map(d => d.trim().split(/\s+/))
    .find(d => d[0] === name)
    ?.slice(1) ?? []

test("connect-src lets the console page reach the SolusVM master's websocket, and nothing else", async () => {
  // Zero-setup mode: the in-process fake's loopback address, where the adapter's console URL points.
  const res = await get(env, '/servers/srv_1/console')
  const fake = new URL(env.providers.fakes.solusvm!.url)
  assert.deepEqual(directive(String(res.headers['content-security-policy']), 'connect-src'), [
    "'self'",
    `ws://${fake.host}`,
  ])
  const console = await env.request({ method: 'POST', url: '/API/servers/console', body: {} })
  assert.equal(console.headers['content-security-policy'], undefined, 'the API sends no CSP of its own')
})

test('with SOLUSVM_URL, the console origin is its host over wss:// (ws:// only for an http master)', async () => {
  assert.equal(consoleSocketOrigin('https://solus.example.com/api/v1'), 'wss://solus.example.com')
  assert.equal(consoleSocketOrigin('https://solus.example.com:8443/api/v1'), 'wss://solus.example.com:8443')
  assert.equal(consoleSocketOrigin('http://10.0.0.5:8080/api/v1'), 'ws://10.0.0.5:8080')
  assert.deepEqual(directive(contentSecurityPolicy(undefined), 'connect-src'), ["'self'"])
  const configured = await startTestEnv({
    seed: false,
    env: { WEB_DIST_DIR: dist, SOLUSVM_URL: 'https://solus.example.com:8443/api/v1', SOLUSVM_TOKEN: 'tok' },
  })
  try {
    const res = await get(configured, '/servers/srv_1/console')
    const csp = String(res.headers['content-security-policy'])
    assert.deepEqual(directive(csp, 'connect-src'), ["'self'", 'wss://solus.example.com:8443'])
    assert.doesNotMatch(csp, /ws:\/\//, 'no plain websocket to a TLS master')
  } finally {
    await configured.close()
  }
})

test('deep links (any GET outside the API) fall back to index.html', async () => {
  for (const url of [
    '/servers',
    '/servers/srv_123?tab=usage',
    '/account/keys',
    '/login?next=%2Fbalance',
    '/a/b/c/d.e',
  ]) {
    const res = await get(env, url)
    assert.equal(res.statusCode, 200, url)
    assert.equal(res.body, INDEX, url)
    assertHtmlHeaders(res)
  }
  const head = await get(env, '/servers/x', 'HEAD')
  assert.equal(head.statusCode, 200)
})

test('hashed assets are cached for a year; other files for an hour', async () => {
  const js = await get(env, '/assets/index-abc123.js')
  assert.equal(js.statusCode, 200)
  assert.match(String(js.headers['content-type']), /javascript/)
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable')
  assert.equal(js.body, 'console.log("portal")\n')
  const icon = await get(env, '/favicon.svg')
  assert.equal(icon.statusCode, 200)
  assert.match(String(icon.headers['content-type']), /image\/svg\+xml/)
  assert.equal(icon.headers['cache-control'], 'public, max-age=3600')
})

test('a missing asset is a 404, never index.html served as a script', async () => {
  const res = await get(env, '/assets/index-gone99.js')
  assert.equal(res.statusCode, 404)
  assert.equal(res.json().error.code, 'route_not_found')
})

test('the API keeps its JSON 404s, methods other than GET are not the portal', async () => {
  for (const url of ['/API/nope', '/API', '/api/nope', '/API/orders/nope?x=1', '/dev/nothing', '/openapi.json/x']) {
    const res = await get(env, url)
    assert.equal(res.statusCode, 404, url)
    assert.match(String(res.headers['content-type']), /application\/json/, url)
    assert.equal(res.json().error.code, 'route_not_found', url)
    assert.equal(res.headers['content-security-policy'], undefined, url)
  }
  const post = await env.request({ method: 'POST', url: '/servers', body: {} })
  assert.equal(post.statusCode, 404)
  assert.equal(post.json().error.code, 'route_not_found')
  const doc = await get(env, '/openapi.json')
  assert.equal(doc.statusCode, 200)
  assert.ok(doc.json().paths['/API/branding'])
  // An existing route is untouched by the fallback: a key route still answers 401 JSON.
  const info = await get(env, '/API/info_user')
  assert.equal(info.statusCode, 401)
})

test('nothing outside the build directory is reachable', async () => {
  for (const url of [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%00',
    '/index.html%00.js',
  ]) {
    const res = await get(env, url)
    assert.ok(!res.body.includes('TOP-SECRET'), `${url} leaks the file beside dist`)
    assert.ok(res.statusCode === 200 || res.statusCode === 404 || res.statusCode === 400, `${url}: ${res.statusCode}`)
  }
})

test('GET /API/branding answers the configured brand without a key', async () => {
  const res = await get(env, '/API/branding')
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), {
    success: true,
    name: 'Example Hosting',
    logo_url: 'https://cdn.example.com/logo.svg',
    primary_color: '#112233',
    accent_color: '#aabbcc',
    signup_enabled: true,
  })
  const defaults = await get(bare, '/API/branding')
  assert.deepEqual(defaults.json(), {
    success: true,
    name: 'oxbill',
    logo_url: null,
    primary_color: '#1d4ed8',
    accent_color: '#0f766e',
    signup_enabled: true,
  })
})

test('without a build the API still runs and / says how to build the portal', async () => {
  const res = await get(bare, '/')
  assert.equal(res.statusCode, 503)
  assert.match(res.body, /npm run build:web/)
  assertHtmlHeaders(res)
  const deep = await get(bare, '/servers/x')
  assert.equal(deep.statusCode, 503)
  assert.equal((await get(bare, '/API/branding')).statusCode, 200)
  assert.equal((await get(bare, '/API/nope')).json().error.code, 'route_not_found')
})

test('brand settings are validated at start-up', () => {
  const load = (env: Record<string, string>) => () => loadConfig([], { DATA_DIR: 'memory://', ...env })
  assert.throws(load({ BRAND_PRIMARY_COLOR: 'red' }), /BRAND_PRIMARY_COLOR must be a colour written #rrggbb/)
  assert.throws(load({ BRAND_ACCENT_COLOR: '#12345' }), /BRAND_ACCENT_COLOR/)
  assert.throws(load({ BRAND_LOGO_URL: 'javascript:alert(1)' }), /BRAND_LOGO_URL/)
  assert.throws(load({ BRAND_LOGO_URL: '//evil.example/logo.png' }), /BRAND_LOGO_URL/)
  assert.throws(load({ BRAND_NAME: 'two\nlines' }), /BRAND_NAME/)
  assert.equal(load({ BRAND_LOGO_URL: '/brand/logo.svg' })().web.brandLogoUrl, '/brand/logo.svg')
})
