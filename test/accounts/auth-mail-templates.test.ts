/**
 * The account mails' templates (issue 12): the built-in ones render the link in both parts, and
 * an operator's override with a typo is reported at start-up like an event template's.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AUTH_MAIL_TEMPLATES, checkMailTemplates, renderAuthMail } from '../../src/domain/notifications/render-mail.ts'
import { SAMPLE_CONTEXTS } from '../../src/domain/notifications/sample-contexts.ts'

const operator = { name: 'Example Hosting', address: 'billing@example.com' }
const link = 'https://panel.example.com/reset-password?token=abc_DEF-123&x=<y>'

test('built-in account mails carry the link in text and (escaped) HTML, and no unrendered tag', () => {
  for (const name of AUTH_MAIL_TEMPLATES) {
    const mail = renderAuthMail(name, { customer: { email: 'a@example.com' }, link, valid_for: '1 hour' }, { operator })
    assert.ok(mail.subject.length > 0 && !mail.subject.includes('{{'), name)
    assert.ok(mail.text.includes(link), `${name}: text has the link`)
    assert.ok(mail.html.includes('token=abc_DEF-123&amp;x=&lt;y&gt;'), `${name}: html has the escaped link`)
    assert.ok(!mail.text.includes('{{') && !mail.html.includes('{{'), name)
  }
})

test('an override of an account mail with a typo is a start-up problem naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxbill-auth-tpl-'))
  try {
    writeFileSync(join(dir, 'auth.password_reset.txt'), 'Subject: Reset\n\nOpen {{lnk}}\n')
    const problems = checkMailTemplates({ overrideDir: dir, operator }, SAMPLE_CONTEXTS)
    assert.equal(problems.length, 1, JSON.stringify(problems))
    assert.match(problems[0]!, /auth\.password_reset\.txt/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
