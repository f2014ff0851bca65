import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { startTestEnv } from '../helper.ts'
import { loadConfig } from '../../src/config.ts'
import { startProviders } from '../../src/app/providers.ts'
import { openMailbox, startFakeSmtp } from '../../src/fakes/smtp/server.ts'
import { mailMessageId, type OutgoingMail } from '../../src/integrations/mail/mailer.ts'
import { checkWebhookUrl } from '../../src/integrations/webhooks/url-policy.ts'

const mailTo = (to: string, key: string): OutgoingMail => ({
  to,
  subject: `Order ${key} received`,
  text: `Hello,\n\nwe have your order ${key}.\n`,
  html: `<p>Hello, we have your order <b>${key}</b>.</p>`,
  messageId: mailMessageId(`evt_${key}`, to, 'noreply@oxbill.invalid'),
})

/** Whether something accepts TCP connections on 127.0.0.1:port. */
const listening = async (port: number): Promise<boolean> =>
  new Promise(resolve => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })

test('fake providers, no SMTP_URL: the real mailer delivers into the sink in DATA_DIR/mail/, closed with the app', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oxbill-mailwire-'))
  try {
    const env = await startTestEnv({ env: { DATA_DIR: dataDir }, seed: false })
    const sink = env.providers.fakes.smtp
    try {
      assert.ok(sink, 'the sink runs')
      assert.match(sink.url, /^smtp:\/\/127\.0\.0\.1:\d+$/)
      assert.ok(env.deps.mailer, 'deps.mailer is set')
      assert.ok(env.deps.devMail, 'the /dev/mail pages get the sink')

      const sent = await env.deps.mailer.send(mailTo('ann@example.com', 'OX-1'))
      assert.equal(sent.accepted, true)
      assert.match(sent.response, /stored as mail_/)

      // Another process's view: the files, not the sink's memory.
      const box = openMailbox(dataDir)
      const [record, ...more] = box.listMessages()
      assert.ok(record)
      assert.equal(more.length, 0)
      assert.deepEqual(record.to, ['ann@example.com'])
      assert.equal(record.subject, 'Order OX-1 received')
      assert.equal(record.message_id, sent.messageId)
      assert.match(record.from, /^"?oxbill"? <noreply@oxbill\.invalid>$/)
      const message = await box.readMessage(record.id)
      assert.ok(message)
      assert.match(message.text, /we have your order OX-1/)
      assert.match(message.html, /<b>OX-1<\/b>/)
      assert.equal(message.headers['auto-submitted'], 'auto-generated')
    } finally {
      await env.close()
    }
    assert.equal(await listening(sink.port), false, 'the sink is closed with the app')
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('SMTP_URL set: no sink and no /dev/mail; the mailer sends there; the webhook allow-list opens loopback', async () => {
  const operatorSmtp = await startFakeSmtp()
  const env = await startTestEnv({
    env: { SMTP_URL: operatorSmtp.url, WEBHOOK_ALLOW_CIDRS: '127.0.0.1', WEBHOOK_ALLOW_HTTP: 'true' },
    seed: false,
  })
  try {
    assert.equal(env.providers.fakes.smtp, undefined)
    assert.equal(env.deps.devMail, undefined)
    assert.ok(env.deps.mailer)
    await env.deps.mailer.send(mailTo('bob@example.com', 'OX-2'))
    assert.deepEqual(
      operatorSmtp.listMessages().map(m => [m.to, m.subject]),
      [[['bob@example.com'], 'Order OX-2 received']],
    )

    const policy = env.deps.webhookPolicy
    assert.deepEqual(await checkWebhookUrl('http://127.0.0.1:9000/hook', policy), {
      ok: true,
      url: 'http://127.0.0.1:9000/hook',
    })
    const other = await checkWebhookUrl('http://127.0.0.2:9000/hook', policy)
    assert.equal(other.ok, false, 'only the listed address, not all of loopback')
  } finally {
    await env.close()
    await operatorSmtp.close()
  }
})

test('zero-setup webhooks stay public-only: loopback, private and http are refused by default', async () => {
  const env = await startTestEnv({ seed: false })
  try {
    assert.ok(env.providers.fakes.smtp, 'zero-setup (memory data dir): the sink runs in memory')
    const policy = env.deps.webhookPolicy
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.0.0.1/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/',
    ]) {
      const r = await checkWebhookUrl(url, policy)
      assert.ok(!r.ok && r.code === 'url_not_allowed', `${url}: ${JSON.stringify(r)}`)
    }
    const http = await checkWebhookUrl('http://93.184.215.14/hook', policy)
    assert.ok(!http.ok && /https/.test(http.reason), JSON.stringify(http))
    assert.deepEqual(await checkWebhookUrl('https://93.184.215.14/hook', policy), {
      ok: true,
      url: 'https://93.184.215.14/hook',
    })
  } finally {
    await env.close()
  }
})

test('neither SMTP_URL nor fake providers: no mailer, no sink, and one warning at start', async () => {
  const lines: string[] = []
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) })
  const config = loadConfig([], { DATA_DIR: 'memory://', FAKE_PROVIDERS: 'false' })
  const providers = await startProviders(config, logger)
  try {
    assert.equal(providers.mailer, undefined)
    assert.equal(providers.fakes.smtp, undefined)
    const warnings = lines.map(l => JSON.parse(l) as { level: number; msg: string }).filter(l => l.level === 40)
    assert.equal(warnings.length, 1, lines.join(''))
    assert.match(warnings[0]!.msg, /no mail will be sent/)
  } finally {
    await providers.close()
  }
})
