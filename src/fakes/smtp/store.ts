/**
 * Where the mail sink keeps what it received: in memory (tests), or in `<dataDir>/mail/` as one
 * `<timestamp>-<id>.eml` file per message plus `index.jsonl`, one JSON line per message
 * (`{id, message_id, from, to, subject, received_at, file}`) and one per re-sent copy
 * (`{duplicate_of, received_at}`), so a restarted sink — or `oxbill mail` in another process —
 * reads the same list and still drops copies.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'

export interface StoredMailRecord {
  id: string
  /** The Message-ID header as sent (`<…@…>`), null when the message had none. */
  message_id: string | null
  /** The From header as text, e.g. `Example Hosting <billing@example.net>`. */
  from: string
  /** The envelope recipients (RCPT TO). */
  to: string[]
  subject: string
  /** ISO-8601. */
  received_at: string
  /** The `.eml` file's name inside `<dataDir>/mail/`; null in memory. */
  file: string | null
  /** How many more times the same Message-ID arrived (recorded once). */
  duplicates: number
}

export interface ParsedStoredMail {
  record: StoredMailRecord
  subject: string
  text: string
  /** Empty when the message had no HTML part. */
  html: string
  /** Header names lower-cased, values as sent (unfolded). */
  headers: Record<string, string>
  /** The message as received. */
  raw: string
}

export interface MailStore {
  list(): StoredMailRecord[]
  byMessageId(messageId: string): StoredMailRecord | undefined
  add(record: Omit<StoredMailRecord, 'file' | 'duplicates'>, raw: Buffer): void
  addDuplicate(record: StoredMailRecord, receivedAt: string): void
  raw(id: string): Promise<Buffer | null>
}

export const MAIL_SUBDIR = 'mail'
export const MAIL_INDEX = 'index.jsonl'

class MemoryStore implements MailStore {
  protected readonly records: StoredMailRecord[] = []
  protected readonly byId = new Map<string, StoredMailRecord>()
  protected readonly byMid = new Map<string, StoredMailRecord>()
  private readonly raws = new Map<string, Buffer>()

  list(): StoredMailRecord[] {
    return this.records.map(r => ({ ...r, to: [...r.to] }))
  }

  byMessageId(messageId: string): StoredMailRecord | undefined {
    return this.byMid.get(messageId)
  }

  add(record: Omit<StoredMailRecord, 'file' | 'duplicates'>, raw: Buffer): void {
    this.remember({ ...record, file: null, duplicates: 0 })
    this.raws.set(record.id, raw)
  }

  addDuplicate(record: StoredMailRecord, _receivedAt: string): void {
    record.duplicates += 1
  }

  raw(id: string): Promise<Buffer | null> {
    return Promise.resolve(this.raws.get(id) ?? null)
  }

  protected remember(record: StoredMailRecord): void {
    this.records.push(record)
    this.byId.set(record.id, record)
    if (record.message_id !== null) this.byMid.set(record.message_id, record)
  }
}

/** `2026-12-01T14:02:54.794Z` → `20261201T140254794Z`, safe in any file system. */
const fileStamp = (iso: string): string => iso.replace(/[-:.]/g, '')

class DirStore extends MemoryStore {
  private readonly indexPath: string

  constructor(
    private readonly dir: string,
    warn: (msg: string) => void,
  ) {
    super()
    mkdirSync(dir, { recursive: true })
    this.indexPath = join(dir, MAIL_INDEX)
    for (const r of readIndex(dir, warn)) this.remember(r)
  }

  override add(record: Omit<StoredMailRecord, 'file' | 'duplicates'>, raw: Buffer): void {
    const file = `${fileStamp(record.received_at)}-${record.id}.eml`
    // The message first, then its index line: an index line always names a file that exists.
    writeFileSync(join(this.dir, file), raw)
    const full: StoredMailRecord = { ...record, file, duplicates: 0 }
    const { duplicates: _duplicates, ...line } = full
    appendFileSync(this.indexPath, `${JSON.stringify(line)}\n`)
    this.remember(full)
  }

  override addDuplicate(record: StoredMailRecord, receivedAt: string): void {
    appendFileSync(this.indexPath, `${JSON.stringify({ duplicate_of: record.id, received_at: receivedAt })}\n`)
    record.duplicates += 1
  }

  override async raw(id: string): Promise<Buffer | null> {
    const file = this.byId.get(id)?.file
    return file ? readFile(join(this.dir, file)) : null
  }
}

function isRecordLine(v: Record<string, unknown>): boolean {
  return (
    typeof v.id === 'string' &&
    typeof v.file === 'string' &&
    typeof v.subject === 'string' &&
    typeof v.from === 'string' &&
    typeof v.received_at === 'string' &&
    Array.isArray(v.to) &&
    (v.message_id === null || typeof v.message_id === 'string')
  )
}

/** The records of `<dir>/index.jsonl` in the order received; an unreadable line is skipped with a warning. */
function readIndex(dir: string, warn: (msg: string) => void): StoredMailRecord[] {
  let text: string
  try {
    text = readFileSync(join(dir, MAIL_INDEX), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const records: StoredMailRecord[] = []
  const byId = new Map<string, StoredMailRecord>()
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    let v: Record<string, unknown>
    try {
      v = JSON.parse(line) as Record<string, unknown>
    } catch {
      warn(`mail index ${join(dir, MAIL_INDEX)} line ${i + 1} is not JSON; skipped`)
      return
    }
    if (typeof v.duplicate_of === 'string') {
      const r = byId.get(v.duplicate_of)
      if (r) r.duplicates += 1
    } else if (isRecordLine(v)) {
      const r: StoredMailRecord = {
        id: v.id as string,
        message_id: v.message_id as string | null,
        from: v.from as string,
        to: (v.to as unknown[]).map(String),
        subject: v.subject as string,
        received_at: v.received_at as string,
        file: v.file as string,
        duplicates: 0,
      }
      records.push(r)
      byId.set(r.id, r)
    } else {
      warn(`mail index ${join(dir, MAIL_INDEX)} line ${i + 1} is not a mail record; skipped`)
    }
  })
  return records
}

export function memoryMailStore(): MailStore {
  return new MemoryStore()
}

/** The store in `<dataDir>/mail/` (created when missing). */
export function dirMailStore(dataDir: string, warn: (msg: string) => void): MailStore {
  return new DirStore(join(dataDir, MAIL_SUBDIR), warn)
}

/** Parses a stored message. */
export async function parseStoredMail(record: StoredMailRecord, raw: Buffer): Promise<ParsedStoredMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true })
  const headers: Record<string, string> = {}
  for (const { key, line } of parsed.headerLines) {
    const colon = line.indexOf(':')
    const value = (colon >= 0 ? line.slice(colon + 1) : line).replace(/\r?\n[ \t]+/g, ' ').trim()
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value
  }
  return {
    record: { ...record, to: [...record.to] },
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headers,
    raw: raw.toString('utf8'),
  }
}

export interface Mailbox {
  /** Every message received, oldest first. */
  listMessages(): StoredMailRecord[]
  readMessage(id: string): Promise<ParsedStoredMail | null>
}

/**
 * Reads `<dataDir>/mail/` without starting a sink (`oxbill mail`, the /dev/mail page): each call
 * reads the index again, so it sees what a running sink in another process has received since.
 */
export function openMailbox(dataDir: string, warn: (msg: string) => void = () => {}): Mailbox {
  const dir = join(dataDir, MAIL_SUBDIR)
  return {
    listMessages: () => readIndex(dir, warn),
    async readMessage(id: string): Promise<ParsedStoredMail | null> {
      const record = readIndex(dir, warn).find(r => r.id === id)
      if (!record?.file) return null
      try {
        return await parseStoredMail(record, await readFile(join(dir, record.file)))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw err
      }
    },
  }
}
