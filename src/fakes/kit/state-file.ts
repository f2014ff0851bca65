import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * The fake's optional state file: JSON `{format, version, state}` written atomically (`<file>.tmp`
 * then rename) after a short debounce, and at once on close. Shared by the three fakes.
 */
export interface StateFileOptions<T> {
  path: string
  /** Tag checked on load, e.g. `oxbill-fake-solusvm`, so one fake never reads another's file. */
  format: string
  /** Turns the `state` member of a read file into the fake's data; throws when it does not fit. */
  parse: (raw: unknown) => T
  /** Current state as plain JSON data. */
  dump: () => unknown
  warn: (msg: string) => void
  debounceMs?: number
}

const VERSION = 1

/** Default `onWarning` of the fakes: one line on stderr. */
export function warnToStderr(msg: string): void {
  process.stderr.write(`${msg}\n`)
}

export class StateFile<T> {
  private timer: NodeJS.Timeout | null = null
  private lastText: string | null = null
  private closed = false

  constructor(private readonly opts: StateFileOptions<T>) {}

  /**
   * Reads the file: null when there is none. An unreadable or invalid file is moved aside to
   * `<file>.corrupt-<ms>` with a warning, so a bad file costs the state but never the fake.
   */
  load(): T | null {
    let text: string
    try {
      text = readFileSync(this.opts.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      return this.quarantine(err)
    }
    try {
      const raw: unknown = JSON.parse(text)
      if (typeof raw !== 'object' || raw === null) throw new Error('not a JSON object')
      const file = raw as Record<string, unknown>
      if (file.format !== this.opts.format) throw new Error(`format is not ${this.opts.format}`)
      if (file.version !== VERSION) throw new Error(`unsupported version ${String(file.version)}`)
      const state = this.opts.parse(file.state)
      this.lastText = text
      return state
    } catch (err) {
      return this.quarantine(err)
    }
  }

  /** Schedules a write; cheap to call after anything that may have changed the state. */
  touch(): void {
    if (this.timer !== null || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush()
    }, this.opts.debounceMs ?? 50)
    // A pending write must not keep the process alive; close() flushes anyway.
    this.timer.unref()
  }

  /** Writes now if the state differs from what the file holds; a failed write is only a warning. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    const text = `${JSON.stringify({ format: this.opts.format, version: VERSION, state: this.opts.dump() })}\n`
    if (text === this.lastText) return
    const tmp = `${this.opts.path}.tmp`
    try {
      mkdirSync(dirname(this.opts.path), { recursive: true })
      writeFileSync(tmp, text, { mode: 0o600 })
      renameSync(tmp, this.opts.path)
      this.lastText = text
    } catch (err) {
      this.opts.warn(`cannot write state file ${this.opts.path}: ${(err as Error).message}`)
    }
  }

  /** Final write; later changes are not saved, so a closed fake never overwrites a newer one's file. */
  close(): void {
    if (this.closed) return
    this.flush()
    this.closed = true
  }

  private quarantine(err: unknown): null {
    const aside = `${this.opts.path}.corrupt-${Date.now()}`
    let where = `moved to ${aside}`
    try {
      renameSync(this.opts.path, aside)
    } catch (e) {
      where = `could not move it aside (${(e as Error).message})`
    }
    this.opts.warn(`state file ${this.opts.path} is unreadable (${(err as Error).message}); starting empty, ${where}`)
    return null
  }
}
