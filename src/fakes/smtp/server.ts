/**
 * The zero-setup mail sink: a real SMTP server (smtp-server) on loopback that accepts every
 * message and keeps it instead of delivering it — in `<dataDir>/mail/` (see store.ts) or in memory.
 * No TLS and no AUTH: it listens on 127.0.0.1 only, and oxbill's mailer sends to `url` as is.
 *
 * A message whose Message-ID the sink already has is answered 250 like any other, but recorded
 * once: its record's `duplicates` counts the copies (a mailer re-sending after a crash).
 * `rejectRecipient` answers RCPT TO with an error code instead, so tests can see a 5xx or 4xx.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'
import { simpleParser } from 'mailparser'
import { warnToStderr } from '../kit/state-file.ts'
import {
  dirMailStore,
  memoryMailStore,
  parseStoredMail,
  type MailStore,
  type ParsedStoredMail,
  type StoredMailRecord,
} from './store.ts'

export type { ParsedStoredMail, StoredMailRecord } from './store.ts'
export { openMailbox, type Mailbox } from './store.ts'

export interface SmtpRejection {
  /** SMTP reply code, e.g. 550 (permanent) or 450 (temporary). */
  code: number
  message: string
}

export interface FakeSmtpOptions {
  /** Keep messages in `<dataDir>/mail/`; without it they are kept in memory until close. */
  dataDir?: string
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: an ephemeral port, read it from `url`. */
  port?: number
  /** Largest message accepted, in bytes (default 10 MiB); a larger one is answered 552. */
  maxBytes?: number
  /** Answer RCPT TO for this address with an error instead of accepting it. */
  rejectRecipient?: (address: string) => SmtpRejection | null | undefined
  /** Problems with the mail directory's index (default: a line on stderr). */
  onWarning?: (msg: string) => void
  /** Clock of `received_at` (default the wall clock). */
  now?: () => Date
}

export interface FakeSmtpHandle {
  /** `smtp://127.0.0.1:<port>`: pass as SMTP_URL. */
  url: string
  port: number
  /** Every message recorded, oldest first. */
  listMessages(): StoredMailRecord[]
  /** A recorded message parsed; null when there is none with that id. */
  readMessage(id: string): Promise<ParsedStoredMail | null>
  /** How many received messages were copies of one already recorded. */
  duplicateCount(): number
  close(): Promise<void>
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024

/** An Error that smtp-server answers with its `responseCode`. */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code })
}

const newMailId = (): string => `mail_${randomBytes(8).toString('hex')}`

export async function startFakeSmtp(opts: FakeSmtpOptions = {}): Promise<FakeSmtpHandle> {
  const warn = opts.onWarning ?? warnToStderr
  const store: MailStore = opts.dataDir !== undefined ? dirMailStore(opts.dataDir, warn) : memoryMailStore()
  const now = opts.now ?? (() => new Date())
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES
  let duplicates = 0

  async function receive(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true })
    const messageId = parsed.messageId?.trim() ?? null
    const receivedAt = now().toISOString()
    // From here to the store's write nothing awaits, so two copies arriving together are one record.
    const known = messageId !== null ? store.byMessageId(messageId) : undefined
    if (known) {
      store.addDuplicate(known, receivedAt)
      duplicates += 1
      return `OK: duplicate of ${known.id}, not stored again`
    }
    const id = newMailId()
    store.add(
      {
        id,
        message_id: messageId,
        from: parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
        to: session.envelope.rcptTo.map(r => r.address),
        subject: parsed.subject ?? '',
        received_at: receivedAt,
      },
      raw,
    )
    return `OK: stored as ${id}`
  }

  const server = new SMTPServer({
    name: 'oxbill-mail-sink.localhost',
    banner: 'oxbill mail sink (zero-setup mode): messages are kept, not delivered',
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const rejection = opts.rejectRecipient?.(address.address)
      if (rejection) callback(smtpError(rejection.code, rejection.message))
      else callback()
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('error', err => callback(err))
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, `message exceeds the sink's limit of ${maxBytes} bytes`))
          return
        }
        receive(Buffer.concat(chunks), session).then(
          message => callback(null, message),
          (err: unknown) => {
            warn(`mail sink could not store a message: ${err instanceof Error ? err.message : String(err)}`)
            callback(smtpError(451, 'the sink could not store the message; try again'))
          },
        )
      })
    },
  })

  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err)
    server.once('error', onError)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  // Errors of single connections after start are not the sink's to die of.
  server.on('error', err => warn(`mail sink: ${err.message}`))
  const port = (server.server.address() as AddressInfo).port

  return {
    url: `smtp://${host}:${port}`,
    port,
    listMessages: () => store.list(),
    async readMessage(id: string): Promise<ParsedStoredMail | null> {
      const record = store.list().find(r => r.id === id)
      const raw = record ? await store.raw(id) : null
      return record && raw ? parseStoredMail(record, raw) : null
    },
    duplicateCount: () => duplicates,
    close: async () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}
