import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { startFakeSmtp } from '../../src/fakes/smtp/server.ts'
import { mailMessageId } from '../../src/integrations/mail/mailer.ts'

// The loopback-only /dev/mail pages of zero-setup mode, on the sink the test env runs (memory),
// behind a reverse proxy on the same host (TRUST_PROXY=loopback): the client is whom it forwards for.
let env: TestEnv
const HOSTILE_SUBJECT = `<script>alert(1)</script> & "quotes" 'too'`
const HOSTILE_HTML = `<p>Hi <b>Ann</b></p><script>parent.document.title='pwned'</script><img src=x onerror="alert(2)">`
const HOSTILE_TEXT = 'a < b && c > d\n</pre><script>alert(3)</script>\n'
let hostileId: string
let plainId: string

before(async () => {
  env = await startTestEnv({ seed: false, env: { TRUST_PROXY: 'loopback' } })
  const send = async (to: string, subject: string, text: string, html: string, key: string) =>
    env.deps.mailer!.send({ to, subject, text, html, messageId: mailMessageId(key, to, env.config.mail.fromAddress) })
  await send('ann@example.com', HOSTILE_SUBJECT, HOSTILE_TEXT, HOSTILE_HTML, 'evt_hostile')
  await send('bob@example.com', 'Order OX-7 completed', 'Done.\n', '<p>Done.</p>', 'evt_plain')
  const list = env.deps.devMail!.listMessages()
  hostileId = list[0]!.id
  plainId = list[1]!.id
})
after(async () => {
  await env.close()
})

const get = async (url: string, opts: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
  env.request({ method: 'GET', url, ...opts })

/** The document's one iframe srcdoc, unescaped as a browser would. */
function srcdocOf(html: string): string {
  const frames = html.match(/<iframe\b[^>]*>/g) ?? []
  assert.equal(frames.length, 1, html)
  const [frame = ''] = frames
  const value = /\ssrcdoc="([^"]*)"/.exec(frame)?.[1]
  assert.ok(value !== undefined, frame)
  return value.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
}

function assertHtmlPage(res: Awaited<ReturnType<typeof get>>): void {
  assert.equal(res.statusCode, 200, res.body)
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/)
  assert.match(String(res.headers['content-security-policy']), /default-src 'none'/)
  assert.doesNotMatch(String(res.headers['content-security-policy']), /script-src/)
  assert.equal(res.headers['x-content-type-options'], 'nosniff')
  assert.equal(res.headers['cache-control'], 'no-store')
  // Outside the iframe's attribute nothing of the mail is markup.
  const outside = res.body.replace(/\ssrcdoc="[^"]*"/, '')
  assert.doesNotMatch(outside, /<script|onerror=|<img/i)
}

test('GET /dev/mail: the list, newest first, escaped, a link per message, no API key needed', async () => {
  const res = await get('/dev/mail')
  assertHtmlPage(res)
  const links = [...res.body.matchAll(/href="\/dev\/mail\/(mail_[0-9a-f]+)"/g)].map(m => m[1])
  assert.deepEqual(links, [plainId, hostileId], 'newest first')
  assert.ok(
    res.body.includes('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34; &#39;too&#39;'),
    res.body,
  )
  assert.ok(res.body.includes('ann@example.com') && res.body.includes('Order OX-7 completed'))
  const withBadKey = await get('/dev/mail', { headers: { 'x-api-key': 'oxb_wrong' } })
  assert.equal(withBadKey.statusCode, 200, 'the page takes no key, so a wrong one changes nothing')
})

test('GET /dev/mail/:id: headers and text escaped, the HTML only inside a sandboxed srcdoc iframe', async () => {
  const res = await get(`/dev/mail/${hostileId}`)
  assertHtmlPage(res)
  const frame = (res.body.match(/<iframe\b[^>]*>/) ?? [''])[0]
  const sandbox = /\ssandbox="([^"]*)"/.exec(frame)?.[1]
  assert.ok(sandbox !== undefined, `the iframe is sandboxed: ${frame}`)
  assert.doesNotMatch(sandbox, /allow-scripts|allow-same-origin|allow-forms|allow-top-navigation/)
  assert.doesNotMatch(
    frame.replace(/\ssrcdoc="[^"]*"/, ''),
    /\ssrc=/,
    'the mail is inline (srcdoc), never fetched from our origin',
  )
  assert.equal(srcdocOf(res.body), HOSTILE_HTML, 'the frame shows the mail as sent')
  assert.ok(
    res.body.includes(
      '<pre>a &#60; b &#38;&#38; c &#62; d\n&#60;/pre&#62;&#60;script&#62;alert(3)&#60;/script&#62;\n</pre>',
    ),
  )
  assert.ok(res.body.includes('<title>&#60;script&#62;alert(1)'), 'the title is escaped too')
  assert.ok(res.body.includes('ann@example.com'))
  assert.match(res.body, /Message-ID<\/th><td>&#60;evt_hostile\.[0-9a-f]{16}@oxbill\.invalid&#62;/)

  const raw = await get(`/dev/mail/${plainId}.eml`)
  assert.equal(raw.statusCode, 200)
  assert.match(String(raw.headers['content-type']), /^text\/plain; charset=utf-8/)
  assert.match(raw.body, /^Subject: Order OX-7 completed\r?$/m)
  assert.match(raw.body, /^Message-ID: <evt_plain\./m)
})

test('GET /dev/mail/:id of no message: 404 not_found', async () => {
  for (const id of ['mail_0000000000000000', 'mail_0000000000000000.eml', '..%2Findex.jsonl']) {
    const res = await get(`/dev/mail/${id}`)
    assert.equal(res.statusCode, 404, `${id}: ${res.body}`)
    assert.equal(res.json().error.code, 'not_found')
  }
})

test('a client that is not loopback is refused (403): direct, forwarded by the proxy, or faking X-Forwarded-For', async () => {
  for (const url of ['/dev/mail', `/dev/mail/${hostileId}`, `/dev/mail/${hostileId}.eml`]) {
    for (const opts of [
      { remoteAddress: '203.0.113.7' },
      { remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '127.0.0.1' } },
      { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7' } },
    ]) {
      const res = await get(url, opts)
      assert.equal(res.statusCode, 403, `${url} ${JSON.stringify(opts)}: ${res.body}`)
      assert.equal(res.json().error.code, 'forbidden')
      assert.ok(!res.body.includes('ann@example.com'))
    }
  }
  assert.equal((await get('/dev/mail', { remoteAddress: '::1' })).statusCode, 200, 'IPv6 loopback is loopback')
})

test('the /dev/mail pages are not in the OpenAPI document', async () => {
  const doc = (await get('/openapi.json')).json<{ paths: Record<string, unknown> }>()
  assert.deepEqual(
    Object.keys(doc.paths).filter(p => p.startsWith('/dev')),
    [],
  )
})

test('with SMTP_URL (no sink) the /dev/mail pages do not exist: 404', async () => {
  const operatorSmtp = await startFakeSmtp()
  const other = await startTestEnv({ seed: false, env: { SMTP_URL: operatorSmtp.url } })
  try {
    for (const url of ['/dev/mail', '/dev/mail/mail_0000000000000000']) {
      const res = await other.request({ method: 'GET', url })
      assert.equal(res.statusCode, 404, `${url}: ${res.body}`)
      assert.equal(res.json().error.code, 'route_not_found', 'as for any path oxbill does not serve')
    }
  } finally {
    await other.close()
    await operatorSmtp.close()
  }
})
