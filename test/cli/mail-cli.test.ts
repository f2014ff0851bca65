import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeSmtp, type FakeSmtpHandle } from '../../src/fakes/smtp/server.ts'
import { createMailer, mailMessageId } from '../../src/integrations/mail/mailer.ts'
import { silentLogger } from '../../src/lib/logger.ts'

// `oxbill mail` as an operator runs it: the real CLI (bin/oxbill.mjs) in a child process, reading
// the directory a running sink writes to (the sink stays up: the command must not need it down).
let root: string
let dataDir: string
let sink: FakeSmtpHandle
const ids: string[] = []

function oxbill(args: string[], env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' }
  for (const name of ['DATABASE_URL', 'SMTP_URL', 'DATA_DIR']) delete childEnv[name]
  Object.assign(childEnv, env)
  const res = spawnSync(process.execPath, ['bin/oxbill.mjs', ...args], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: res.status, stdout: res.stdout, stderr: res.stderr }
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'oxbill-mailcli-'))
  dataDir = join(root, 'data')
  sink = await startFakeSmtp({ dataDir })
  const from = { name: 'Example Hosting', address: 'billing@example.net' }
  const mailer = createMailer({ url: sink.url, from, logger: silentLogger })
  for (const [to, n] of [
    ['ann@example.com', 1],
    ['bob@example.com', 2],
  ] as const) {
    await mailer.send({
      to,
      subject: `Order OX-${n} received`,
      text: `Hello,\n\nwe have received your order OX-${n}.\n`,
      html: `<p>Order <b>OX-${n}</b></p>`,
      messageId: mailMessageId(`evt_${n}`, to, from.address),
    })
  }
  mailer.close()
  ids.push(...sink.listMessages().map(r => r.id))
})
after(async () => {
  await sink.close()
  rmSync(root, { recursive: true, force: true })
})

test('oxbill mail list: newest first, one line each with time, to, subject and id; bare `oxbill mail` is the same', () => {
  const r = oxbill(['mail', 'list', '--data-dir', dataDir])
  assert.equal(r.code, 0, r.stderr)
  const lines = r.stdout.trimEnd().split('\n')
  assert.equal(lines.length, 2, r.stdout)
  assert.match(
    lines[0]!,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}bob@example\.com {2}Order OX-2 received {2}mail_[0-9a-f]{16}$/,
  )
  assert.ok(lines[0]!.endsWith(ids[1]!))
  assert.ok(lines[1]!.includes('ann@example.com') && lines[1]!.endsWith(ids[0]!))

  const bare = oxbill(['mail'], { DATA_DIR: dataDir })
  assert.equal(bare.code, 0, bare.stderr)
  assert.equal(bare.stdout, r.stdout)
  assert.equal(oxbill(['mail', '--data-dir', dataDir, '--limit', '1']).stdout, `${lines[0]}\n`)
})

test('oxbill mail list --json: JSON lines, newest first', () => {
  const r = oxbill(['mail', 'list', '--json', '--data-dir', dataDir])
  assert.equal(r.code, 0, r.stderr)
  const records = r.stdout
    .trimEnd()
    .split('\n')
    .map(l => JSON.parse(l) as { id: string; to: string[]; subject: string; message_id: string })
  assert.deepEqual(
    records.map(m => [m.id, m.to, m.subject]),
    [
      [ids[1], ['bob@example.com'], 'Order OX-2 received'],
      [ids[0], ['ann@example.com'], 'Order OX-1 received'],
    ],
  )
  assert.match(records[0]!.message_id, /^<evt_2\.[0-9a-f]{16}@example\.net>$/)
})

test('oxbill mail show ID: the headers, then the text; --html the HTML part', () => {
  const r = oxbill(['mail', 'show', ids[0]!, '--data-dir', dataDir])
  assert.equal(r.code, 0, r.stderr)
  const [head, body] = r.stdout.split('\n\n', 2) as [string, string]
  const headers = Object.fromEntries(
    head.split('\n').map(l => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
  )
  assert.deepEqual(Object.keys(headers), ['To', 'From', 'Subject', 'Message-ID', 'Date'])
  assert.equal(headers.To, 'ann@example.com')
  assert.match(headers.From!, /Example Hosting"? <billing@example\.net>/)
  assert.equal(headers.Subject, 'Order OX-1 received')
  assert.match(headers['Message-ID']!, /^<evt_1\.[0-9a-f]{16}@example\.net>$/)
  assert.ok(!Number.isNaN(Date.parse(headers.Date!)), headers.Date)
  assert.match(r.stdout.slice(head.length), /we have received your order OX-1\./)
  assert.ok(body.startsWith('Hello,'))

  const html = oxbill(['mail', 'show', ids[0]!, '--html', '--data-dir', dataDir])
  assert.equal(html.code, 0, html.stderr)
  assert.equal(html.stdout.trim(), '<p>Order <b>OX-1</b></p>')
})

test('oxbill mail: an unknown id, no mail directory, or SMTP_URL set are clear errors', () => {
  const unknown = oxbill(['mail', 'show', 'mail_0000000000000000', '--data-dir', dataDir])
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /not_found.*mail 'mail_0000000000000000' was not found/)
  assert.equal(unknown.stdout, '')

  const empty = join(root, 'never-ran')
  const none = oxbill(['mail', 'list', '--data-dir', empty])
  assert.equal(none.code, 1)
  assert.ok(none.stderr.includes(`there is no mail directory ${join(empty, 'mail')}`), none.stderr)

  const smtp = oxbill(['mail', '--data-dir', empty], { SMTP_URL: 'smtp://mailer:hunter2@mail.example.com:587' })
  assert.equal(smtp.code, 1)
  assert.match(smtp.stderr, /SMTP_URL is set, so mail goes to that server/)
  assert.ok(!smtp.stderr.includes('hunter2'), smtp.stderr)

  const usage = oxbill(['mail', 'delete', '--data-dir', dataDir])
  assert.equal(usage.code, 1)
  assert.match(usage.stderr, /unknown mail command 'delete'\nusage: oxbill mail/)
})

test('oxbill --help lists the mail commands', () => {
  const r = oxbill(['--help'])
  assert.equal(r.code, 0)
  assert.match(r.stdout, /^ {2}mail \[list\]/m)
  assert.match(r.stdout, /^ {2}mail show ID \[--html\]/m)
})
