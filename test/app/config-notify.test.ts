import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assertRunnable, ConfigError, loadConfig } from '../../src/config.ts'
import { assertMailTemplates } from '../../src/cli/serve.ts'
import { BUILTIN_TEMPLATES_DIR } from '../../src/domain/notifications/render-mail.ts'

/** The ConfigError `env` gives, asserting it names `name` first. */
function refusal(env: Record<string, string>, name: string): string {
  try {
    loadConfig([], env)
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err))
    assert.ok(err.message.startsWith(`${name} must `), err.message)
    return err.message
  }
  return assert.fail(`${JSON.stringify(env)} was accepted`)
}

test('mail and webhook settings: the defaults', () => {
  const c = loadConfig([], {})
  assert.deepEqual(c.mail, {
    smtpUrl: undefined,
    fromName: 'oxbill',
    fromAddress: 'noreply@oxbill.invalid',
    templatesDir: undefined,
    operatorAddress: undefined,
  })
  assert.deepEqual(c.webhooks, { allowCidrs: [], allowHttp: false, disableAfterHours: 120 })
  assert.equal(c.notifyPollMs, 1000)
  assert.ok(Object.isFrozen(c.webhooks.allowCidrs))
})

test('mail and webhook settings: every variable is read, trimmed and kept', () => {
  const c = loadConfig([], {
    SMTP_URL: 'smtps://billing:s3cret@mail.example.com:465',
    MAIL_FROM_NAME: '  Example Hosting ',
    MAIL_FROM_ADDRESS: ' billing@example.com ',
    MAIL_TEMPLATES_DIR: '/etc/oxbill/mail',
    MAIL_OPERATOR_ADDRESS: 'ops@example.com',
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1, 10.1.0.0/16,::1,fd00::/8',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_DISABLE_AFTER_HOURS: '24',
    NOTIFY_POLL_MS: '250',
  })
  assert.deepEqual(c.mail, {
    smtpUrl: 'smtps://billing:s3cret@mail.example.com:465',
    fromName: 'Example Hosting',
    fromAddress: 'billing@example.com',
    templatesDir: '/etc/oxbill/mail',
    operatorAddress: 'ops@example.com',
  })
  // A bare address is the one-address range, so the field holds only CIDRs.
  assert.deepEqual(c.webhooks, {
    allowCidrs: ['127.0.0.1/32', '10.1.0.0/16', '::1/128', 'fd00::/8'],
    allowHttp: true,
    disableAfterHours: 24,
  })
  assert.equal(c.notifyPollMs, 250)
  assert.equal(loadConfig([], { SMTP_URL: 'smtp://localhost:1025' }).mail.smtpUrl, 'smtp://localhost:1025')
})

test('SMTP_URL: a bad one is refused by name, and its password is never echoed', () => {
  for (const bad of [
    'http://mailer:hunter2@mail.example.com',
    'smtp://mailer:hunter2@',
    'mailer:hunter2@mail.example.com:587',
    'smtp//mailer:hunter2@mail.example.com',
  ]) {
    const message = refusal({ SMTP_URL: bad }, 'SMTP_URL')
    assert.ok(!message.includes('hunter2'), message)
    assert.match(message, /smtp:\/\/ or smtps:\/\//)
  }
})

test('mail addresses and the From name: bad values are refused by name, with the value', () => {
  for (const bad of ['billing', 'billing@', '@example.com', 'bill ing@example.com', 'a@b@example.com', '<a@b.c>']) {
    assert.match(refusal({ MAIL_FROM_ADDRESS: bad }, 'MAIL_FROM_ADDRESS'), /be an e-mail address/)
    assert.ok(refusal({ MAIL_OPERATOR_ADDRESS: bad }, 'MAIL_OPERATOR_ADDRESS').includes(`got '${bad}'`))
  }
  // A line break would let the name write its own headers.
  for (const bad of ['Billing\r\nBcc: victim@example.com', 'a\tb', 'x'.repeat(101)]) {
    assert.match(refusal({ MAIL_FROM_NAME: bad }, 'MAIL_FROM_NAME'), /on one line/)
  }
  assert.equal(loadConfig([], { MAIL_FROM_ADDRESS: 'root@localhost' }).mail.fromAddress, 'root@localhost')
})

test('WEBHOOK_ALLOW_CIDRS: each entry checked with ipaddr.js in canonical form; the bad entry is named', () => {
  for (const bad of [
    '10.0.0.0/33',
    '::1/129',
    '0x7f.0.0.1',
    '127.1',
    '10/8',
    'fe80::1%eth0/64',
    'localhost',
    '1.2.3.4/',
  ]) {
    const message = refusal({ WEBHOOK_ALLOW_CIDRS: `127.0.0.0/8,${bad}` }, 'WEBHOOK_ALLOW_CIDRS')
    assert.ok(message.endsWith(`got '${bad}'`), message)
  }
})

test('webhook and poll integers: bounds, named', () => {
  assert.match(refusal({ WEBHOOK_DISABLE_AFTER_HOURS: '0' }, 'WEBHOOK_DISABLE_AFTER_HOURS'), /between 1 and 8760/)
  assert.match(refusal({ NOTIFY_POLL_MS: '5' }, 'NOTIFY_POLL_MS'), /between 10 and 60000/)
  assert.match(refusal({ WEBHOOK_ALLOW_HTTP: 'sometimes' }, 'WEBHOOK_ALLOW_HTTP'), /true or false/)
})

test('SMTP_URL needs a real From address to run; the error does not echo the URL', () => {
  const base = { SMTP_URL: 'smtp://mailer:hunter2@mail.example.com:587' }
  assert.throws(
    () => assertRunnable(loadConfig([], base)),
    (err: unknown) =>
      err instanceof ConfigError &&
      /^MAIL_FROM_ADDRESS is required with SMTP_URL/.test(err.message) &&
      !err.message.includes('hunter2'),
  )
  assert.doesNotThrow(() => assertRunnable(loadConfig([], { ...base, MAIL_FROM_ADDRESS: 'billing@example.com' })))
  assert.doesNotThrow(() => assertRunnable(loadConfig([], {})), 'zero-setup mode keeps the default')
})

test('MAIL_TEMPLATES_DIR is checked at start-up: every problem listed, or nothing said', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxbill-tpl-'))
  try {
    const config = (d: string) => loadConfig([], { MAIL_TEMPLATES_DIR: d })
    assert.doesNotThrow(() => assertMailTemplates(loadConfig([], {})), 'no directory, nothing to check')
    assert.doesNotThrow(() => assertMailTemplates(config(dir)), 'an empty directory: the built-in templates')
    // An override of a real template, written by copying one: it passes.
    writeFileSync(join(dir, 'order.created.txt'), 'Subject: Order {{order.number}}\n\nHello {{customer.email}}\n')
    assert.doesNotThrow(() => assertMailTemplates(config(dir)))
    // A placeholder that names nothing, and a file no mail reads.
    writeFileSync(join(dir, 'order.completed.txt'), 'Subject: Done {{order.numbr}}\n\nHi\n')
    writeFileSync(join(dir, 'order.complete.html'), '<p>typo</p>')
    assert.throws(
      () => assertMailTemplates(config(dir)),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err))
        assert.match(err.message, /^MAIL_TEMPLATES_DIR \(.+\) has 2 problems:\n/)
        assert.match(err.message, /order\.completed\.txt/)
        assert.match(err.message, /numbr/)
        assert.match(err.message, /order\.complete\.html is not a template oxbill reads/)
        return true
      },
    )
    assert.throws(() => assertMailTemplates(config(join(dir, 'missing'))), /MAIL_TEMPLATES_DIR .* has 1 problem:/)
    assert.doesNotThrow(
      () => assertMailTemplates(config(BUILTIN_TEMPLATES_DIR)),
      'the built-in set passes its own check',
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
