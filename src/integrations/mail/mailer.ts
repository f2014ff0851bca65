/**
 * The e-mail adapter: one message at a time over SMTP through nodemailer, to the server named by
 * SMTP_URL (`smtp://user:pass@host:587`, STARTTLS when offered; `smtps://host:465`, TLS from the
 * start). One connection per message (no pool), so a worker holds nothing open between jobs.
 *
 * Failures are AppErrors: `provider_error` with `retryable: false` when the server answered 5xx
 * (the address or the message is refused; sending it again gets the same answer), and
 * `provider_unavailable` with `retryable: true` for everything that may pass later — connection
 * refused, DNS, TLS or socket failure, a timeout, a 4xx answer. `details.smtp` says which.
 *
 * The caller passes the Message-ID (see `mailMessageId`), derived from what the mail is about, so a
 * re-send after a crash carries the same one and a receiver can drop the copy.
 */
import { createHash } from 'node:crypto'
import nodemailer from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js'
import { AppError } from '../../lib/errors.ts'
import type { Logger } from '../../lib/logger.ts'

export interface MailAddress {
  name: string
  address: string
}

export interface MailerOptions {
  /** `smtp://[user:pass@]host[:port]` or `smtps://…` (SMTP_URL). Never logged with its password. */
  url: string
  /** The From of every message (MAIL_FROM_NAME, MAIL_FROM_ADDRESS). */
  from: MailAddress
  logger: Logger
  /** Connection, greeting and socket inactivity timeout each (default 15 000 ms). */
  timeoutMs?: number
}

export interface OutgoingMail {
  /** One recipient address. */
  to: string
  subject: string
  text: string
  html: string
  /** `<…@…>`, stable for the same (event, address); see `mailMessageId`. */
  messageId: string
  /** Extra headers; `Auto-Submitted: auto-generated` is added unless given. */
  headers?: Record<string, string>
}

export interface SendResult {
  /** The server accepted the message for the recipient. */
  accepted: boolean
  /** The Message-ID the message carried. */
  messageId: string
  /** The server's last answer, e.g. `250 OK: queued as …`. */
  response: string
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendResult>
  /** Connects, greets and (with credentials) logs in, then disconnects; throws like `send`. */
  verify(): Promise<void>
  close(): void
}

/** What an SMTP failure was, in `AppError.details.smtp`. */
export interface SmtpFailure {
  kind: 'permanent' | 'temporary'
  /** nodemailer's code: ECONNECTION, ETIMEDOUT, EENVELOPE, EAUTH, EMESSAGE, ESOCKET, EDNS, ETLS… */
  code: string | null
  /** The SMTP reply code when the server answered (550, 421…). */
  response_code: number | null
  /** The SMTP command that failed (RCPT TO, DATA, AUTH PLAIN…). */
  command: string | null
  response: string | null
}

const DEFAULT_TIMEOUT_MS = 15_000

/**
 * The Message-ID of the mail about `key` (an event id) to `address`: the same inputs always give
 * the same id, different recipients of one event different ones. The domain is the From address's.
 */
export function mailMessageId(key: string, address: string, fromAddress: string): string {
  const domain = fromAddress.includes('@') ? fromAddress.slice(fromAddress.lastIndexOf('@') + 1) : 'oxbill.invalid'
  const local = key.replace(/[^A-Za-z0-9._-]/g, '_')
  const rcpt = createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 16)
  return `<${local}.${rcpt}@${domain}>`
}

/** The URL without its password, for logs and error messages. */
export function redactSmtpUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return '(unparsable SMTP URL)'
  }
}

function parseSmtpUrl(url: string): URL {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new AppError('validation_error', 'the SMTP URL is not a URL (expected smtp://host:port or smtps://host:port)')
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    throw new AppError('validation_error', `the SMTP URL must start with smtp:// or smtps://, not ${u.protocol}//`)
  }
  if (u.hostname === '') throw new AppError('validation_error', 'the SMTP URL names no host')
  return u
}

interface NodemailerError extends Error {
  code?: string
  responseCode?: number
  command?: string
  response?: string
}

/** Classifies a nodemailer error: a 5xx answer is permanent; no answer or a 4xx is temporary. */
export function smtpFailure(err: unknown): SmtpFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodemailerError
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null
  return {
    kind: responseCode !== null && responseCode >= 500 && responseCode < 600 ? 'permanent' : 'temporary',
    code: typeof e.code === 'string' ? e.code : null,
    response_code: responseCode,
    command: typeof e.command === 'string' ? e.command : null,
    response: typeof e.response === 'string' ? e.response : null,
  }
}

function toAppError(err: unknown, what: string, safeUrl: string): AppError {
  const failure = smtpFailure(err)
  const reason =
    failure.response ?? (err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error')
  const message = `${what} via ${safeUrl} failed (${failure.kind}): ${reason}`
  return failure.kind === 'permanent'
    ? new AppError('provider_error', message, { retryable: false, details: { smtp: failure }, cause: err })
    : new AppError('provider_unavailable', message, { retryable: true, details: { smtp: failure }, cause: err })
}

export function createMailer(opts: MailerOptions): Mailer {
  const url = parseSmtpUrl(opts.url)
  const safeUrl = redactSmtpUrl(opts.url)
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const transportOptions: SMTPTransport.Options = {
    // Not pooled (SMTPTransport, not SMTPPool): one connection per message.
    url: url.toString(),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // nodemailer logs through its own logger when set; ours logs the outcome below.
    logger: false,
    debug: false,
  }
  const transport = nodemailer.createTransport(transportOptions)
  const log = opts.logger.child({ component: 'mailer' })

  return {
    async send(mail: OutgoingMail): Promise<SendResult> {
      const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated', ...mail.headers }
      try {
        const info = await transport.sendMail({
          from: { name: opts.from.name, address: opts.from.address },
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers,
        })
        const accepted = info.accepted.length > 0 && info.rejected.length === 0
        log.info({ message_id: info.messageId, accepted, response: info.response }, 'mail sent')
        return { accepted, messageId: info.messageId, response: info.response }
      } catch (err) {
        const error = toAppError(err, 'sending mail', safeUrl)
        log.warn({ message_id: mail.messageId, smtp: error.details.smtp }, error.message)
        throw error
      }
    },

    async verify(): Promise<void> {
      try {
        await transport.verify()
      } catch (err) {
        throw toAppError(err, 'connecting to the SMTP server', safeUrl)
      }
    },

    close(): void {
      transport.close()
    },
  }
}
