import type { Deps } from '../../../deps.ts'

type DevMail = NonNullable<Deps['devMail']>
type Record_ = ReturnType<DevMail['listMessages']>[number]
type Message = NonNullable<Awaited<ReturnType<DevMail['readMessage']>>>

/**
 * The HTML of the `/dev/mail` pages. Everything shown comes from a mail, so everything is escaped;
 * the mail's own HTML is shown only inside `<iframe sandbox srcdoc>` (no scripts, no same-origin
 * access to this page, no forms), which also inherits this page's CSP: no remote images or fonts.
 */

/** Escapes text for an HTML text node or a quoted attribute value (srcdoc included). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/**
 * No scripts anywhere, nothing fetched but the page itself; links opened from a mail (target
 * _blank) escape the sandbox as a normal tab, which `allow-popups-to-escape-sandbox` permits.
 */
export const DEV_MAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{font-weight:600}.muted{color:#666}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem;border-radius:4px}
iframe{width:100%;height:36rem;border:1px solid #ccc;border-radius:4px}`

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body>
${body}
</body></html>
`
}

const mailHref = (id: string): string => `/dev/mail/${encodeURIComponent(id)}`

/** The list, newest first: when, to, subject (a link to the message), from. */
export function mailListPage(records: Record_[]): string {
  const rows = [...records].reverse().map(
    r => `<tr><td class="muted">${esc(r.received_at)}</td><td>${esc(r.to.join(', '))}</td>
<td><a href="${esc(mailHref(r.id))}">${esc(r.subject === '' ? '(no subject)' : r.subject)}</a></td><td class="muted">${esc(r.from)}</td></tr>`,
  )
  const table =
    rows.length === 0
      ? '<p>No mail yet. Mail oxbill sends appears here.</p>'
      : `<table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th>From</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`
  return page(
    'oxbill mail',
    `<h1>Mail (${records.length})</h1>
<p class="muted">Zero-setup mode: mail is kept here, not delivered. <code>npx oxbill mail</code> lists the same.</p>
${table}`,
  )
}

/** One message: its main headers, the text part, and the HTML part in a sandboxed frame. */
export function mailMessagePage(id: string, m: Message): string {
  const shown: Array<[string, string | undefined]> = [
    ['From', m.record.from],
    ['To', m.record.to.join(', ')],
    ['Subject', m.subject],
    ['Date', m.headers.date],
    ['Message-ID', m.headers['message-id']],
    ['Received', m.record.received_at],
  ]
  const headers = shown
    .filter((h): h is [string, string] => h[1] !== undefined)
    .map(([name, value]) => `<tr><th>${esc(name)}</th><td>${esc(value)}</td></tr>`)
    .join('\n')
  const html =
    m.html === ''
      ? '<p class="muted">No HTML part.</p>'
      : `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="HTML part" srcdoc="${esc(m.html)}"></iframe>`
  return page(
    m.subject === '' ? id : m.subject,
    `<p><a href="/dev/mail">← all mail</a> · <a href="${esc(`${mailHref(id)}.eml`)}">raw message</a></p>
<table>${headers}</table>
<h2>Text</h2>
<pre>${esc(m.text)}</pre>
<h2>HTML</h2>
${html}`,
  )
}
