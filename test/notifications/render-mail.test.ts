import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { EVENT_TYPES, type EventType } from '../../src/domain/events/catalog.ts'
import {
  BUILTIN_TEMPLATES_DIR,
  checkMailTemplates,
  MailTemplateError,
  renderMail,
  type MailContext,
  type MailOperator,
} from '../../src/domain/notifications/render-mail.ts'
import { SAMPLE_CONTEXTS, SAMPLE_CONTEXTS_SPARSE } from '../../src/domain/notifications/sample-contexts.ts'

const OPERATOR: MailOperator = {
  name: 'Example Hosting & Co',
  address: 'billing@example.net',
  url: 'https://panel.example.net',
}
const BARE_OPERATOR: MailOperator = { name: 'Example Hosting', address: 'billing@example.net' }

function assertFilled(type: string, label: string, out: string): void {
  assert.ok(!out.includes('{{') && !out.includes('}}'), `${type} ${label} has an unfilled placeholder:\n${out}`)
  for (const bad of ['undefined', 'null', '[object Object]', 'NaN']) {
    assert.ok(!out.includes(bad), `${type} ${label} shows "${bad}":\n${out}`)
  }
}

describe('built-in mail templates', () => {
  for (const [label, samples, operator] of [
    ['sample context', SAMPLE_CONTEXTS, OPERATOR],
    ['sparse context, operator without url', SAMPLE_CONTEXTS_SPARSE, BARE_OPERATOR],
  ] as const) {
    for (const type of EVENT_TYPES) {
      it(`${type} renders subject, text and HTML with the ${label}`, () => {
        const ctx = samples[type] as MailContext<EventType>
        const mail = renderMail(type, ctx, { operator })
        assert.ok(mail.subject.length > 0 && mail.subject.length < 120, mail.subject)
        assert.ok(!/[\r\n]/.test(mail.subject))
        assertFilled(type, 'subject', mail.subject)
        assertFilled(type, 'text', mail.text)
        assertFilled(type, 'html', mail.html)
        assert.ok(!mail.text.startsWith('Subject:'), 'the subject line is not part of the body')
        assert.match(mail.html, /^<!doctype html>/i)
        assert.ok(mail.html.includes(`<title>${mail.subject.replace(/&/g, '&amp;')}</title>`))
        // The operator's name and address are in the footer of both.
        for (const body of [mail.text, mail.html]) {
          assert.ok(body.includes(operator.address), `${type}: operator address missing`)
          assert.ok(body.includes(ctx.customer.email), `${type}: recipient missing`)
        }
        assert.ok(mail.text.includes(operator.name))
        assert.ok(mail.html.includes(operator.name.replace(/&/g, '&amp;')), 'the name is HTML-escaped in the HTML')
        if (operator.url) assert.ok(mail.text.includes(operator.url) && mail.html.includes(operator.url))
      })
    }
  }

  it('service.expiring says the days left, the price, the balance and how much to top up', () => {
    const mail = renderMail('service.expiring', SAMPLE_CONTEXTS['service.expiring'], { operator: OPERATOR })
    assert.equal(mail.subject, 'Your server web1.example.com expires in 3 days')
    for (const s of ['3 days', '2026-12-08', '12.99 EUR', '5.00 EUR', '7.99 EUR', 'https://panel.example.net']) {
      assert.ok(mail.text.includes(s), `text lacks ${s}`)
      assert.ok(mail.html.includes(s), `html lacks ${s}`)
    }
    const covered = renderMail('service.expiring', SAMPLE_CONTEXTS_SPARSE['service.expiring'], { operator: OPERATOR })
    assert.match(covered.subject, /in 1 day$/)
    assert.match(covered.text, /renews automatically/)
    assert.match(covered.text, /nothing you need to do/)
    assert.doesNotMatch(covered.text, /top up/)
  })

  it('escapes values in the HTML and keeps them as they are in the text', () => {
    const ctx = SAMPLE_CONTEXTS['order.failed']
    const evil = { ...ctx, data: { ...ctx.data, reason: '<script>alert("x")</script> & more' } }
    const mail = renderMail('order.failed', evil, { operator: OPERATOR })
    assert.ok(mail.text.includes('<script>alert("x")</script> & more'))
    assert.ok(!mail.html.includes('<script>'))
    assert.ok(mail.html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more'))
  })

  it('keeps line breaks of a value out of the subject', () => {
    const ctx = SAMPLE_CONTEXTS['webhook_endpoint.disabled']
    const odd = {
      ...ctx,
      data: { ...ctx.data, endpoint: { ...ctx.data.endpoint, url: 'https://a.example\r\nBcc: x@y' } },
    }
    const mail = renderMail('webhook_endpoint.disabled', odd, { operator: OPERATOR })
    assert.ok(!/[\r\n]/.test(mail.subject), mail.subject)
  })

  it('wraps every HTML mail in the one layout: a single document with the styled container', () => {
    for (const [samples, operator] of [
      [SAMPLE_CONTEXTS, OPERATOR],
      [SAMPLE_CONTEXTS_SPARSE, BARE_OPERATOR],
    ] as const) {
      for (const type of EVENT_TYPES) {
        const { html } = renderMail(type, samples[type] as MailContext<EventType>, { operator })
        assert.equal(html.match(/<html[\s>]/gi)?.length, 1, `${type}: one <html>`)
        assert.equal(html.match(/<!doctype html>/gi)?.length, 1, `${type}: one doctype`)
        assert.equal(html.match(/max-width: 560px;/g)?.length, 1, `${type}: the layout's container`)
        assert.ok(html.includes('<p>Hello,</p>'), `${type}: the content is inside`)
      }
    }
  })

  it('checkMailTemplates finds no problem in the built-in set', () => {
    assert.deepEqual(checkMailTemplates({ operator: OPERATOR }, SAMPLE_CONTEXTS), [])
    assert.deepEqual(checkMailTemplates({ operator: BARE_OPERATOR }, SAMPLE_CONTEXTS_SPARSE), [])
  })
})

describe('operator override directory', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oxbill-templates-'))
  })
  after(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  const fresh = (): string => mkdtempSync(join(dir, 'set-'))

  it('replaces one template file and leaves the others built-in', () => {
    const d = fresh()
    writeFileSync(
      join(d, 'service.suspended.txt'),
      'Subject: {{operator.name}}: {{service.name}} is on hold\n\nDear customer, {{service.name}} is on hold ({{reason}}).\n',
    )
    const ctx = SAMPLE_CONTEXTS['service.suspended']
    const mail = renderMail('service.suspended', ctx, { overrideDir: d, operator: OPERATOR })
    assert.equal(mail.subject, 'Example Hosting & Co: web1.example.com is on hold')
    assert.equal(mail.text, 'Dear customer, web1.example.com is on hold (The renewal was not paid.).\n')
    // Its HTML and the other types still come from the built-in files.
    const builtin = renderMail('service.suspended', ctx, { operator: OPERATOR })
    assert.equal(
      mail.html,
      builtin.html.replace(builtin.subject.replace(/&/g, '&amp;'), mail.subject.replace(/&/g, '&amp;')),
    )
    const other = renderMail('service.resumed', SAMPLE_CONTEXTS['service.resumed'], {
      overrideDir: d,
      operator: OPERATOR,
    })
    assert.deepEqual(other, renderMail('service.resumed', SAMPLE_CONTEXTS['service.resumed'], { operator: OPERATOR }))
    assert.deepEqual(checkMailTemplates({ overrideDir: d, operator: OPERATOR }, SAMPLE_CONTEXTS), [])
  })

  it('an overridden partial (the footer) is used by every template', () => {
    const d = fresh()
    writeFileSync(join(d, '_footer.txt'), '-- \n{{operator.name}}, 1 Example Street, Example City\n')
    const mail = renderMail('balance.low', SAMPLE_CONTEXTS['balance.low'], { overrideDir: d, operator: OPERATOR })
    assert.ok(mail.text.endsWith('-- \nExample Hosting & Co, 1 Example Street, Example City\n'), mail.text)
  })

  it('an overridden _layout.html wraps every HTML mail; a whole-document <type>.html is used on its own', () => {
    const d = fresh()
    writeFileSync(
      join(d, '_layout.html'),
      '<!doctype html>\n<html>\n<head><title>{{subject}}</title></head>\n<body class="custom-layout">\n  {{> content}}\n</body>\n</html>\n',
    )
    for (const type of EVENT_TYPES) {
      const { html } = renderMail(type, SAMPLE_CONTEXTS[type] as MailContext<EventType>, {
        overrideDir: d,
        operator: OPERATOR,
      })
      assert.ok(html.includes('<body class="custom-layout">\n  <p>Hello,</p>'), `${type}:\n${html}`)
      assert.equal(html.match(/<html[\s>]/gi)?.length, 1)
      assert.ok(!html.includes('max-width: 560px'), 'the built-in layout is not used')
    }
    assert.deepEqual(checkMailTemplates({ overrideDir: d, operator: OPERATOR }, SAMPLE_CONTEXTS), [])
    // An override written before the layout existed is a whole document: it is not wrapped again.
    writeFileSync(join(d, 'order.created.html'), '<!doctype html>\n<html><body>{{order.number}}</body></html>\n')
    const mail = renderMail('order.created', SAMPLE_CONTEXTS['order.created'], { overrideDir: d, operator: OPERATOR })
    assert.equal(
      mail.html,
      `<!doctype html>\n<html><body>${SAMPLE_CONTEXTS['order.created'].data.order.number}</body></html>\n`,
    )
  })

  it('refuses a layout without the content exactly once, a typo in the layout, and {{> content}} elsewhere', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['_layout.html', '<html><body></body></html>', /_layout\.html must include the mail's content exactly once/],
      ['_layout.html', '<html>{{> content}}{{> content}}</html>', /must include the mail's content exactly once/],
      ['_layout.html', '<html>{{#operator.url}}{{> content}}{{/operator.url}}</html>', /outside any section/],
      ['_layout.html', '<html><title>{{subjet}}</title>{{> content}}</html>', /_layout\.html, line 1: \{\{subjet\}\}/],
      ['order.created.html', '<p>{{> content}}</p>', /\{\{> content\}\} belongs in _layout\.html only/],
      ['_footer.html', '<p>{{> content}}</p>', /\{\{> content\}\} belongs in _layout\.html only/],
    ]
    for (const [file, body, expected] of cases) {
      const d = fresh()
      writeFileSync(join(d, file), body)
      const render = (): unknown =>
        renderMail('order.created', SAMPLE_CONTEXTS['order.created'], { overrideDir: d, operator: OPERATOR })
      assert.throws(render, (err: unknown) => err instanceof MailTemplateError && expected.test(err.message), body)
    }
  })

  it('refuses a placeholder the context does not have, naming the file, line and placeholder', () => {
    const d = fresh()
    copyFileSync(join(BUILTIN_TEMPLATES_DIR, 'service.expiring.html'), join(d, 'service.expiring.html'))
    writeFileSync(join(d, 'service.expiring.txt'), 'Subject: Expiring\n\nHello,\n\n{{service.nmae}} expires soon.\n')
    assert.throws(
      () => renderMail('service.expiring', SAMPLE_CONTEXTS['service.expiring'], { overrideDir: d, operator: OPERATOR }),
      (err: unknown) => {
        assert.ok(err instanceof MailTemplateError)
        assert.equal(err.retryable, false)
        assert.equal(err.details.placeholder, 'service.nmae')
        assert.ok(err.message.includes(join(d, 'service.expiring.txt')), err.message)
        assert.match(err.message, /line 5: \{\{service\.nmae\}\} names nothing/)
        return true
      },
    )
    const problems = checkMailTemplates({ overrideDir: d, operator: OPERATOR }, SAMPLE_CONTEXTS)
    assert.equal(problems.length, 1)
    assert.match(problems[0] ?? '', /service\.nmae/)
  })

  it('refuses a typo in a section name, a value that may be empty outside a section, and delimiter changes', () => {
    const cases: Array<[string, RegExp]> = [
      ['{{#servise}}x{{/servise}}', /\{\{#servise\}\} names nothing/],
      ['{{payment.track_id}}', /is empty here; show it inside \{\{#payment\.track_id\}\}/],
      ['{{payment}}', /is object, not text/],
      ['{{=<% %>=}}<% payment.id %>', /changing the delimiters is not supported/],
      ['{{> nosuch}}', /there is no mail template _nosuch\.txt/],
    ]
    for (const [body, expected] of cases) {
      const d = fresh()
      writeFileSync(join(d, 'payment.received.txt'), `Subject: Paid\n\n${body}\n`)
      const ctx = SAMPLE_CONTEXTS_SPARSE['payment.received']
      assert.throws(
        () => renderMail('payment.received', ctx, { overrideDir: d, operator: OPERATOR }),
        (err: unknown) => err instanceof MailTemplateError && expected.test(err.message),
        body,
      )
    }
  })

  it('refuses a .txt without its Subject line, a missing directory, and reports a file no mail reads', () => {
    const d = fresh()
    writeFileSync(join(d, 'order.created.txt'), 'Hello {{order.number}}\n')
    writeFileSync(join(d, 'order.craeted.html'), '<p>typo</p>\n')
    assert.throws(
      () => renderMail('order.created', SAMPLE_CONTEXTS['order.created'], { overrideDir: d, operator: OPERATOR }),
      /must start with a line "Subject: …"/,
    )
    const problems = checkMailTemplates({ overrideDir: d, operator: OPERATOR }, SAMPLE_CONTEXTS)
    assert.equal(problems.length, 2, problems.join('\n'))
    assert.ok(problems.some(p => p.includes('order.craeted.html') && p.includes('not a template oxbill reads')))
    assert.throws(
      () =>
        renderMail('order.created', SAMPLE_CONTEXTS['order.created'], {
          overrideDir: join(d, 'missing'),
          operator: OPERATOR,
        }),
      /mail template directory .* does not exist/,
    )
  })
})
