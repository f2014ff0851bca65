import { signBody } from '../../integrations/oxapay/signature.ts'

/**
 * Callback delivery of the fake, as OxaPay documents it: POST JSON with header `HMAC` (hex
 * HMAC-SHA512 of the exact bytes sent, merchant key); delivered only on HTTP 200 (OxaPay also asks
 * for the body `ok`: recorded as `ackOk`, and required when `strictAck`); otherwise retried with the
 * same bytes after each `retryScheduleMs` delay, at most `maxAttempts` tries in total.
 * First attempts of one invoice go out in order, so a receiver sees `Paying` before `Paid`.
 */
export interface DeliveryRecord {
  /** Same for every attempt of one callback. */
  callbackId: number
  trackId: string
  url: string
  /** Callback status as sent ("Paying", "Paid"…). */
  status: string
  attempt: number
  /** Clock (ms) of the fake when the attempt started. */
  at: number
  httpStatus: number | null
  /** Network error or timeout, when there was no HTTP answer. */
  error: string | null
  responseBody: string | null
  ackOk: boolean
  delivered: boolean
  body: string
  signature: string
}

export interface DelivererOptions {
  merchantKey: string
  retryScheduleMs: number[]
  maxAttempts: number
  timeoutMs: number
  strictAck: boolean
  now: () => number
  /** Runs `retry` after `delayMs` and returns its cancel (default a timer); see FakeOxaPayOptions. */
  scheduleRetry?: RetryScheduler
  /** First callback id (default 1); a reloaded fake continues its numbering. */
  firstId?: number
}

/** Runs `retry` after `delayMs`; the returned function cancels it. */
export type RetryScheduler = (retry: () => void, delayMs: number) => () => void

/** A timer that never keeps the process alive: a retry hours away must not hold up an exit. */
export const timerScheduler: RetryScheduler = (retry, delayMs) => {
  const timer = setTimeout(retry, delayMs)
  timer.unref()
  return () => clearTimeout(timer)
}

interface Job {
  id: number
  trackId: string
  url: string
  status: string
  body: string
  signature: string
}

export class CallbackDeliverer {
  private readonly log: DeliveryRecord[] = []
  private readonly chains = new Map<string, Promise<void>>()
  private readonly scheduled = new Set<() => void>()
  private readonly abort = new AbortController()
  private idleWaiters: Array<() => void> = []
  private pending = 0
  private nextId: number
  private closed = false

  constructor(private readonly opts: DelivererOptions) {
    this.nextId = opts.firstId ?? 1
  }

  /** The id the next callback gets. */
  nextCallbackId(): number {
    return this.nextId
  }

  /** Queues one callback: its first attempt follows the previous first attempt for the same invoice. */
  enqueue(trackId: string, url: string, status: string, body: string): void {
    if (this.closed) return
    // fetch encodes a string body as UTF-8, i.e. exactly the bytes signed here.
    const job: Job = {
      id: this.nextId++,
      trackId,
      url,
      status,
      body,
      signature: signBody(Buffer.from(body, 'utf8'), this.opts.merchantKey),
    }
    this.pending++
    const prev = this.chains.get(trackId) ?? Promise.resolve()
    const next = prev.then(() => this.attempt(job, 1))
    this.chains.set(trackId, next)
  }

  /** Every attempt so far, oldest first (copies). */
  records(): DeliveryRecord[] {
    return this.log.map(r => ({ ...r }))
  }

  /** Resolves once no callback is in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve()
    return new Promise(resolve => {
      this.idleWaiters.push(resolve)
    })
  }

  /** Aborts requests in flight and drops scheduled retries. */
  close(): void {
    this.closed = true
    this.abort.abort()
    for (const cancel of this.scheduled) cancel()
    this.scheduled.clear()
    this.pending = 0
    this.wakeIdle()
  }

  private async attempt(job: Job, attempt: number): Promise<void> {
    if (this.closed) return
    const rec: DeliveryRecord = {
      callbackId: job.id,
      trackId: job.trackId,
      url: job.url,
      status: job.status,
      attempt,
      at: this.opts.now(),
      httpStatus: null,
      error: null,
      responseBody: null,
      ackOk: false,
      delivered: false,
      body: job.body,
      signature: job.signature,
    }
    try {
      const res = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', HMAC: job.signature },
        body: job.body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.timeoutMs)]),
      })
      rec.httpStatus = res.status
      rec.responseBody = (await res.text()).slice(0, 1000)
      rec.ackOk = rec.responseBody.trim().toLowerCase() === 'ok'
      rec.delivered = res.status === 200 && (rec.ackOk || !this.opts.strictAck)
    } catch (err) {
      rec.error = err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out' : err.message) : String(err)
    }
    if (this.closed) return
    this.log.push(rec)
    if (rec.delivered || attempt >= this.opts.maxAttempts || this.opts.retryScheduleMs.length === 0) {
      this.done()
      return
    }
    const schedule = this.opts.retryScheduleMs
    const delay = schedule[Math.min(attempt - 1, schedule.length - 1)]!
    const cancel = (this.opts.scheduleRetry ?? timerScheduler)(() => {
      this.scheduled.delete(cancel)
      void this.attempt(job, attempt + 1)
    }, delay)
    this.scheduled.add(cancel)
  }

  private done(): void {
    this.pending = Math.max(0, this.pending - 1)
    if (this.pending === 0) this.wakeIdle()
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }
}
