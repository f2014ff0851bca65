import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../config.ts'
import { AppError, notFound, validation } from '../lib/errors.ts'
import { MAIL_SUBDIR, openMailbox, type Mailbox, type StoredMailRecord } from '../fakes/smtp/store.ts'
import { flags, required } from './context.ts'

const USAGE = 'usage: oxbill mail [list] [--data-dir D] [--limit N] [--json] | oxbill mail show ID [--html]'

/**
 * `oxbill mail [list|show]`: what zero-setup mode's mail sink kept in `<dataDir>/mail/`, read from
 * the files (no server needed, and safe while `npm start` writes to them). Bare `oxbill mail` lists.
 */
export async function mail(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === undefined || sub.startsWith('-')) return mailList(argv)
  if (sub === 'list') return mailList(rest)
  if (sub === 'show') return mailShow(rest)
  process.stderr.write(`unknown mail command '${sub}'\n${USAGE}\n`)
  return 1
}

/** `oxbill mail list [--limit 20] [--json]`: newest first, one line each (time, to, subject, id). */
export async function mailList(argv: string[]): Promise<number> {
  const { values } = flags(argv, { limit: { type: 'string' }, json: { type: 'boolean' } })
  const limit = values.limit === undefined ? 20 : Number(values.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw validation('--limit must be an integer between 1 and 10000', 'limit')
  }
  const records = mailboxOf(argv).listMessages().reverse().slice(0, limit)
  if (values.json === true) {
    process.stdout.write(records.map(r => `${JSON.stringify(r)}\n`).join(''))
    return 0
  }
  if (records.length === 0) {
    process.stderr.write('no mail yet\n')
    return 0
  }
  const to = (r: StoredMailRecord): string => clip(r.to.join(', '), 40)
  const width = Math.max(2, ...records.map(r => to(r).length))
  const lines = records.map(
    r => `${r.received_at.slice(0, 19).replace('T', ' ')}  ${to(r).padEnd(width)}  ${clip(r.subject, 72)}  ${r.id}`,
  )
  process.stdout.write(`${lines.join('\n')}\n`)
  return 0
}

/** `oxbill mail show ID [--html]`: the headers that matter, then the text body (or the HTML). */
export async function mailShow(argv: string[]): Promise<number> {
  const { values, positionals } = flags(argv, { html: { type: 'boolean' } })
  const id = required(positionals[0], 'mail id (positional)')
  const message = await mailboxOf(argv).readMessage(id)
  if (!message) throw notFound('mail', id)
  if (values.html === true) {
    if (message.html === '') throw new AppError('not_found', `mail '${id}' has no HTML part`)
    process.stdout.write(message.html.endsWith('\n') ? message.html : `${message.html}\n`)
    return 0
  }
  const h = message.headers
  const head = [
    `To: ${clip(message.record.to.join(', '), 998)}`,
    `From: ${clip(message.record.from, 998)}`,
    `Subject: ${clip(message.subject, 998)}`,
    `Message-ID: ${clip(h['message-id'] ?? '(none)', 998)}`,
    `Date: ${clip(h.date ?? message.record.received_at, 998)}`,
  ]
  process.stdout.write(`${head.join('\n')}\n\n${message.text.endsWith('\n') ? message.text : `${message.text}\n`}`)
  return 0
}

/** The mailbox of the configured data directory, or an error saying why there is none. */
function mailboxOf(argv: string[]): Mailbox {
  const config = loadConfig(argv)
  if (config.dataDir.startsWith('memory://')) {
    throw validation('DATA_DIR is in memory: its mail lives only inside that process (see /dev/mail there)', 'data-dir')
  }
  const dir = join(config.dataDir, MAIL_SUBDIR)
  if (!existsSync(dir)) {
    const why =
      config.mail.smtpUrl !== undefined
        ? 'SMTP_URL is set, so mail goes to that server and is not kept here'
        : 'the mail sink keeps mail there once oxbill has run in zero-setup mode (is --data-dir right?)'
    throw new AppError('not_found', `there is no mail directory ${dir}: ${why}`)
  }
  return openMailbox(config.dataDir, msg => process.stderr.write(`warning: ${msg}\n`))
}

/** One line of at most `max` characters, control characters (a terminal escape in a subject) shown as `?`. */
function clip(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const line = s.replace(/[\x00-\x1f\x7f]/g, '?')
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
