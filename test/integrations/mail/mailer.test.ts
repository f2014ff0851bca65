import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startFakeSmtp, openMailbox, type FakeSmtpHandle } from '../../../src/fakes/smtp/server.ts'
import { createMailer, mailMessageId, type OutgoingMail } from '../../../src/integrations/mail/index.ts'
import { AppError } from '../../../src/lib/errors.ts'
import { silentLogger } from '../../../src/lib/logger.ts'

const FROM = { name: 'Example Hosting', address: 'billing@example.net' }

async function rejectsWith(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a rejection')
}

function mail(to: string, key = 'evt_01'): OutgoingMail {
  return {
    to,
    subject: 'Your server web1.example.com is ready — ünïcode',
    text: 'Hello,\n\nyour server is ready.\n',
    html: '<p>Hello,</p><p>your server is <b>ready</b>.</p>',
    messageId: mailMessageId(key, to, FROM.address),
    headers: { 'X-Oxbill-Event': key },
  }
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  await new Promise<void>(resolve => srv.close(() => resolve()))
  return port
}

describe('mailMessageId', () => {
  it('is the same for the same event and address, different for another address, at the From domain', () => {
    const a = mailMessageId('evt_1', 'Ann@Example.com', 'billing@example.net')
    assert.equal(a, mailMessageId('evt_1', ' ann@example.com ', 'billing@example.net'))
    assert.notEqual(a, mailMessageId('evt_1', 'bob@example.com', 'billing@example.net'))
    assert.notEqual(a, mailMessageId('evt_2', 'ann@example.com', 'billing@example.net'))
    assert.match(a, /^<evt_1\.[0-9a-f]{16}@example\.net>$/)
    assert.ok(!a.includes('ann'), 'the address itself is not in the Message-ID')
  })
})

describe('mailer → fake SMTP sink (in memory)', () => {
  let sink: FakeSmtpHandle
  before(async () => {
    sink = await startFakeSmtp({
      rejectRecipient: address =>
        address.startsWith('gone@')
          ? { code: 550, message: '5.1.1 mailbox unavailable' }
          : address.startsWith('full@')
            ? { code: 452, message: '4.2.2 mailbox full, try later' }
            : null,
    })
  })
  after(async () => {
    await sink.close()
  })

  it('sends through nodemailer and the sink records subject, text, html, Message-ID and recipient', async () => {
    const mailer = createMailer({ url: sink.url, from: FROM, logger: silentLogger })
    const out = mail('ann@example.com', 'evt_send')
    const res = await mailer.send(out)
    mailer.close()
    assert.equal(res.accepted, true)
    assert.equal(res.messageId, out.messageId)
    assert.match(res.response, /^250 /)

    const rec = sink.listMessages().find(r => r.message_id === out.messageId)
    assert.ok(rec, 'the sink has the message once send() resolved')
    assert.deepEqual(rec.to, ['ann@example.com'])
    assert.equal(rec.subject, out.subject)
    assert.equal(rec.from, '"Example Hosting" <billing@example.net>')
    assert.equal(rec.duplicates, 0)

    const msg = await sink.readMessage(rec.id)
    assert.ok(msg)
    assert.equal(msg.subject, out.subject)
    assert.equal(msg.text.trim(), out.text.trim())
    assert.equal(msg.html.trim(), out.html)
    assert.equal(msg.headers['message-id'], out.messageId)
    assert.equal(msg.headers['auto-submitted'], 'auto-generated')
    assert.equal(msg.headers['x-oxbill-event'], 'evt_send')
    assert.equal(await sink.readMessage('mail_nope'), null)
  })

  it('records a re-send with the same Message-ID once and counts the copy', async () => {
    const mailer = createMailer({ url: sink.url, from: FROM, logger: silentLogger })
    const out = mail('bob@example.com', 'evt_dup')
    const first = await mailer.send(out)
    const second = await mailer.send(out)
    mailer.close()
    assert.equal(first.accepted, true)
    assert.equal(second.accepted, true, 'a copy is acknowledged like any message')
    const recs = sink.listMessages().filter(r => r.message_id === out.messageId)
    assert.equal(recs.length, 1)
    assert.equal(recs[0]?.duplicates, 1)
    assert.equal(sink.duplicateCount(), 1)
  })

  it('a 5xx answer is a permanent failure (not retryable) and nothing is stored', async () => {
    const before = sink.listMessages().length
    const mailer = createMailer({ url: sink.url, from: FROM, logger: silentLogger })
    const err = await rejectsWith(mailer.send(mail('gone@example.com', 'evt_550')))
    mailer.close()
    assert.equal(err.code, 'provider_error')
    assert.equal(err.retryable, false)
    assert.equal((err.details.smtp as { kind: string }).kind, 'permanent')
    assert.equal((err.details.smtp as { response_code: number }).response_code, 550)
    assert.match(err.message, /mailbox unavailable/)
    assert.equal(sink.listMessages().length, before)
  })

  it('a 4xx answer is a temporary failure (retryable)', async () => {
    const mailer = createMailer({ url: sink.url, from: FROM, logger: silentLogger })
    const err = await rejectsWith(mailer.send(mail('full@example.com', 'evt_452')))
    mailer.close()
    assert.equal(err.code, 'provider_unavailable')
    assert.equal(err.retryable, true)
    assert.equal((err.details.smtp as { response_code: number }).response_code, 452)
  })

  it('verify() succeeds against the sink', async () => {
    const mailer = createMailer({ url: sink.url, from: FROM, logger: silentLogger })
    await mailer.verify()
    mailer.close()
  })
})

describe('mailer against an SMTP server that is down', () => {
  it('is a temporary failure (retryable), and the password is not in the error', async () => {
    const port = await closedPort()
    const mailer = createMailer({
      url: `smtp://mailer:s3cret-pw@127.0.0.1:${port}`,
      from: FROM,
      logger: silentLogger,
    })
    const err = await rejectsWith(mailer.send(mail('ann@example.com')))
    assert.equal(err.code, 'provider_unavailable')
    assert.equal(err.retryable, true)
    assert.equal((err.details.smtp as { kind: string }).kind, 'temporary')
    assert.ok(!err.message.includes('s3cret-pw'), err.message)
    assert.ok(!JSON.stringify(err.details).includes('s3cret-pw'))
    const verr = await rejectsWith(mailer.verify())
    assert.equal(verr.retryable, true)
    mailer.close()
  })

  it('refuses a URL that is not smtp:// or smtps://', () => {
    assert.throws(
      () => createMailer({ url: 'http://127.0.0.1:25', from: FROM, logger: silentLogger }),
      (err: unknown) => err instanceof AppError && err.code === 'validation_error' && /smtp:\/\//.test(err.message),
    )
  })
})

describe('fake SMTP sink with a data directory', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oxbill-mail-'))
  })
  after(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores <timestamp>-<id>.eml plus an index, readable by openMailbox, and still de-duplicates after a restart', async () => {
    const at = new Date('2026-12-01T14:02:54.794Z')
    const sink = await startFakeSmtp({ dataDir: dir, now: () => at })
    const out = mail('ann@example.com', 'evt_dir')
    const mailer = createMailer({ url: sink.url, from: FROM, logger: silentLogger })
    await mailer.send(out)
    mailer.close()
    await sink.close()

    const files = readdirSync(join(dir, 'mail')).sort()
    const eml = files.filter(f => f.endsWith('.eml'))
    assert.equal(eml.length, 1)
    assert.match(eml[0] ?? '', /^20261201T140254794Z-mail_[0-9a-f]{16}\.eml$/)
    assert.ok(files.includes('index.jsonl'))
    const line = JSON.parse(readFileSync(join(dir, 'mail', 'index.jsonl'), 'utf8').trim()) as Record<string, unknown>
    assert.deepEqual(Object.keys(line).sort(), ['file', 'from', 'id', 'message_id', 'received_at', 'subject', 'to'])
    assert.equal(line.message_id, out.messageId)
    assert.deepEqual(line.to, ['ann@example.com'])
    assert.equal(line.received_at, at.toISOString())
    assert.ok(existsSync(join(dir, 'mail', String(line.file))))

    // The same directory, read by another process (`oxbill mail`), without a sink running.
    const box = openMailbox(dir)
    const [rec] = box.listMessages()
    assert.ok(rec)
    const msg = await box.readMessage(rec.id)
    assert.equal(msg?.subject, out.subject)
    assert.equal(msg.headers['message-id'], out.messageId)
    assert.equal(await box.readMessage('mail_nope'), null)

    // A restarted sink knows the Message-IDs it has and records the re-send once.
    const again = await startFakeSmtp({ dataDir: dir })
    const mailer2 = createMailer({ url: again.url, from: FROM, logger: silentLogger })
    await mailer2.send(out)
    mailer2.close()
    assert.equal(again.listMessages().length, 1)
    assert.equal(again.listMessages()[0]?.duplicates, 1)
    await again.close()
    assert.equal(openMailbox(dir).listMessages()[0]?.duplicates, 1)
    assert.equal(readdirSync(join(dir, 'mail')).filter(f => f.endsWith('.eml')).length, 1)
  })
})
