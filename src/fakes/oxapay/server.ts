/**
 * Fake OxaPay v1 on loopback (node:http), for dev and tests.
 *
 * API (header `merchant_api_key` required; missing/wrong key → 401 envelope):
 *   POST /v1/payment/invoice      Generate Invoice (§1; validation → 400 envelope with error.key)
 *   POST /v1/payment/white-label  White-label payment (oxapay-white-label §1–2): a deposit address,
 *                                 pay_amount, pay_currency, network, memo; an unknown coin or a
 *                                 network the coin is not offered on → 400, key pay_currency/network
 *   GET  /v1/payment/:track_id    Payment Information (§2.2, lowercase status, `type` invoice or
 *                                 white_label). Unknown id → 404 envelope (OxaPay's OpenAPI only
 *                                 lists 400; the fake picks 404).
 *   GET  /v1/common/prices|fiats  USD price per coin | per fiat currency (public: no key needed)
 * Callbacks: signed POSTs to the invoice's callback_url; see fake-state.ts and fake-callbacks.ts.
 *
 * Test/dev controls (no auth; JSON or form-encoded body; answer with the §2.2 `data` of the invoice):
 *   POST /__fake/pay     {"track_id", "amount"?: decimal in the invoice currency (default: what is
 *                        still due), "coin"?: default "USDT" (a white-label payment: its own coin)}
 *                        or {"address", "amount"?: in the coin}: a wallet pays a white-label address
 *   POST /__fake/expire  {"track_id"}  → `expired`, or `underpaid` if partly paid
 *   POST /__fake/status  {"track_id", "status"}  → force any status, no callback
 *   GET  /__fake/invoices | GET /__fake/deliveries   state and every callback attempt, as JSON
 *   GET  /pay/:track_id  the "checkout" page (payment_url) of a hosted invoice, with a Pay button
 *   POST /pay/:track_id  pays what is still due in USDT, so `curl -X POST "<payment_url>"` pays an invoice
 *                        (white-label payments have no hosted page, as at OxaPay: 404)
 *   GET  /qr/:track_id   a PNG QR code of a white-label address (the `qr_code` link the fake answers)
 * Form posts (the page's buttons, or `curl -d track_id=…`) are answered with a 303 to /pay/:track_id.
 * Standalone: `npx tsx src/fakes/oxapay/main.ts --port 4030 --key KEY` (see main.ts).
 * `stateFile` keeps invoices across restarts; pending callback deliveries are dropped (fake-persist.ts).
 * e.g. curl -s localhost:4030/__fake/pay -H 'content-type: application/json' -d '{"track_id":"123456789","amount":"5"}'
 *      curl -s localhost:4030/__fake/expire -H 'content-type: application/json' -d '{"track_id":"123456789"}'
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import QRCode from 'qrcode'
import { decimalFromJson, formatDec } from '../../lib/money.ts'
import { CallbackDeliverer, type DeliveryRecord, type RetryScheduler } from './callbacks.ts'
import { paymentPage } from './page.ts'
import { errorEnvelope, fiatsData, paymentData, pricesData, successEnvelope, whiteLabelData } from './payloads.ts'
import { OXAPAY_STATE_FORMAT, parseOxaPayState, type FakeOxaPayDump } from './persist.ts'
import { FakeControlError, FakeStore, seededRandom, type FakeInvoice, type PayOptions } from './state.ts'
import { StateFile, warnToStderr } from './state-file.ts'
import { validateInvoiceRequest, validateWhiteLabelRequest } from './validate.ts'
import { isRecord, normalizeStatus, str } from '../../integrations/oxapay/map.ts'
import { signBody } from '../../integrations/oxapay/signature.ts'

export interface FakeOxaPayOptions {
  merchantKey: string
  host?: string
  /** 0 = any free port. */
  port?: number
  /** Delays before the 2nd, 3rd… attempt; the last entry repeats. Default: OxaPay's 1 m, 3 m, 30 m, 3 h. */
  retryScheduleMs?: number[]
  /** Attempts per callback in total; default 5. */
  maxAttempts?: number
  callbackTimeoutMs?: number
  /** Count a callback as delivered only when the receiver answered 200 with body `ok`. */
  strictAck?: boolean
  /** Also send `Expired` / `Underpaid` callbacks on expiry (v1 documents only paying and paid). */
  expiryCallbacks?: boolean
  /** Delay before every /v1 answer. */
  latencyMs?: number
  /** Share of /v1 requests answered with a 500 envelope (seeded, so repeatable). */
  failRate?: number
  seed?: number
  /** Clock in ms for dates, expiry and delivery records. */
  now?: () => number
  /**
   * Runs a callback retry after its delay (default a timer). Tests pass one they fire themselves,
   * together with `now`, to step through the schedule instead of waiting it out.
   */
  scheduleRetry?: RetryScheduler
  /** JSON file that keeps invoices across restarts: loaded on start, written after changes and on close. */
  stateFile?: string
  /** Receives problems with the state file (default: a line on stderr); they never stop the fake. */
  onWarning?: (msg: string) => void
}

export interface FakeFault {
  /** Prefix of the /v1 path it applies to (e.g. "/v1/payment/invoice"); default: any /v1 request. */
  path?: string
  fault: 'http500' | 'drop' | 'timeout' | 'http401'
  /** How many matching requests it hits; default 1. */
  times?: number
}

export interface FakeRequestRecord {
  method: string
  path: string
  at: number
  /** Null when the request was dropped or left hanging by a fault. */
  status: number | null
  keyOk: boolean
  body: string
}

export type FakeInvoiceSnapshot = FakeInvoice & { credited: string }

export interface FakeOxaPayHandle {
  /** http://host:port of the fake (payment pages and controls). */
  url: string
  /** `${url}/v1`, the adapter's baseUrl. */
  apiBaseUrl: string
  port: number
  pay(trackId: string, opts?: PayOptions): FakeInvoiceSnapshot
  /** A wallet sends `amount` of the coin (default: what is still due) to a white-label deposit address. */
  payAddress(address: string, opts?: { amount?: string }): FakeInvoiceSnapshot
  expire(trackId: string): FakeInvoiceSnapshot
  setStatus(trackId: string, status: string): FakeInvoiceSnapshot
  invoice(trackId: string): FakeInvoiceSnapshot | undefined
  invoices(): FakeInvoiceSnapshot[]
  deliveries(): DeliveryRecord[]
  requests(): FakeRequestRecord[]
  injectFault(fault: FakeFault): void
  clearFaults(): void
  /** Resolves when no callback is in flight or scheduled for retry. */
  idle(): Promise<void>
  /** The `HMAC` header this fake's merchant key gives `body`: tests forge valid callbacks with it. */
  sign(body: string): string
  close(): Promise<void>
}

const DEFAULT_SCHEDULE = [60_000, 180_000, 1_800_000, 10_800_000]

/** Starts the fake; resolves once it listens. */
export async function startFakeOxaPay(opts: FakeOxaPayOptions): Promise<FakeOxaPayHandle> {
  const now = opts.now ?? Date.now
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31)
  const failRandom = seededRandom(seed ^ 0x5bd1e995)
  const stop = new AbortController()
  const warn = (msg: string): void => (opts.onWarning ?? warnToStderr)(`fake OxaPay: ${msg}`)
  const file =
    opts.stateFile === undefined
      ? null
      : new StateFile<FakeOxaPayDump>({
          path: opts.stateFile,
          format: OXAPAY_STATE_FORMAT,
          parse: parseOxaPayState,
          warn,
          dump: (): FakeOxaPayDump => ({
            invoices: store.dump(),
            random: random.state(),
            nextCallbackId: deliverer.nextCallbackId(),
          }),
        })
  const saved = file?.load() ?? null
  // A reloaded generator continues its sequence, so new track ids and hashes differ from stored ones.
  const random = seededRandom(saved?.random ?? seed)
  const deliverer = new CallbackDeliverer({
    merchantKey: opts.merchantKey,
    retryScheduleMs: opts.retryScheduleMs ?? DEFAULT_SCHEDULE,
    maxAttempts: opts.maxAttempts ?? 5,
    timeoutMs: opts.callbackTimeoutMs ?? 10_000,
    strictAck: opts.strictAck ?? false,
    now,
    scheduleRetry: opts.scheduleRetry,
    firstId: saved?.nextCallbackId,
  })
  const store = new FakeStore({
    now,
    random,
    expiryCallbacks: opts.expiryCallbacks ?? false,
    raise: r => {
      if (r.invoice.callbackUrl) deliverer.enqueue(r.invoice.trackId, r.invoice.callbackUrl, r.label, r.body)
    },
    changed: () => file?.touch(),
  })
  if (saved) store.restore(saved.invoices)
  const faults: Array<Required<Pick<FakeFault, 'fault' | 'times'>> & { path?: string }> = []
  const requests: FakeRequestRecord[] = []
  let baseUrl = ''

  const snapshot = (inv: FakeInvoice): FakeInvoiceSnapshot => ({
    ...structuredClone(inv),
    credited: formatDec(store.credited(inv)),
  })

  async function api(req: IncomingMessage, res: ServerResponse, path: string, raw: string): Promise<void> {
    const key = req.headers.merchant_api_key
    const rec: FakeRequestRecord = {
      method: req.method ?? '',
      path,
      at: now(),
      status: null,
      keyOk: key === opts.merchantKey,
      body: raw,
    }
    requests.push(rec)
    const send = (status: number, body: unknown): void => {
      rec.status = status
      json(res, status, body)
    }
    if (opts.latencyMs) await sleep(opts.latencyMs, undefined, { signal: stop.signal })
    const idx = faults.findIndex(f => f.path === undefined || path.startsWith(f.path))
    if (idx >= 0) {
      const f = faults[idx]!
      if (--f.times <= 0) faults.splice(idx, 1)
      if (f.fault === 'drop') {
        req.socket.destroy()
        return
      }
      if (f.fault === 'timeout') return // never answered; close() or the client's timeout ends it
      if (f.fault === 'http401') return send(401, unauthorized())
      return send(500, errorEnvelope(500, 'server', '', 'Internal Server Error'))
    }
    if (opts.failRate && failRandom() < opts.failRate) {
      return send(500, errorEnvelope(500, 'server', '', 'Internal Server Error'))
    }
    if (req.method === 'GET' && path === '/v1/common/prices') return send(200, successEnvelope(pricesData()))
    if (req.method === 'GET' && path === '/v1/common/fiats') return send(200, successEnvelope(fiatsData()))
    if (!rec.keyOk) return send(401, unauthorized())

    if (req.method === 'POST' && path === '/v1/payment/invoice') {
      let body: unknown
      try {
        body = raw === '' ? {} : JSON.parse(raw)
      } catch {
        return send(
          400,
          errorEnvelope(400, 'validation', 'body', 'The request body must be valid JSON.', 'Bad Request'),
        )
      }
      const v = validateInvoiceRequest(body)
      if (!v.ok) return send(400, errorEnvelope(400, 'validation', v.key, v.message, 'Bad Request'))
      const inv = store.create(v.value)
      return send(
        200,
        successEnvelope({
          track_id: inv.trackId,
          payment_url: `${baseUrl}/pay/${inv.trackId}`,
          expired_at: inv.expiredAt,
          date: inv.date,
        }),
      )
    }
    if (req.method === 'POST' && path === '/v1/payment/white-label') {
      let body: unknown
      try {
        body = raw === '' ? {} : JSON.parse(raw)
      } catch {
        return send(
          400,
          errorEnvelope(400, 'validation', 'body', 'The request body must be valid JSON.', 'Bad Request'),
        )
      }
      const v = validateWhiteLabelRequest(body)
      if (!v.ok) return send(400, errorEnvelope(400, 'validation', v.key, v.message, 'Bad Request'))
      return send(200, successEnvelope(whiteLabelData(store.createWhiteLabel(v.value), baseUrl)))
    }
    const m = /^\/v1\/payment\/([^/]+)$/.exec(path)
    if (req.method === 'GET' && m) {
      const inv = store.get(decodeURIComponent(m[1]!))
      if (!inv) return send(404, errorEnvelope(404, 'not_found', 'track_id', 'Payment not found.', 'Not Found'))
      return send(200, successEnvelope(paymentData(inv)))
    }
    return send(404, errorEnvelope(404, 'not_found', 'path', 'Route not found.', 'Not Found'))
  }

  function control(req: IncomingMessage, res: ServerResponse, path: string, raw: string): void {
    if (req.method === 'GET' && path === '/__fake/invoices') return json(res, 200, store.all().map(snapshot))
    if (req.method === 'GET' && path === '/__fake/deliveries') return json(res, 200, deliverer.records())
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    let body: Record<string, unknown>
    try {
      const parsed: unknown = form ? Object.fromEntries(new URLSearchParams(raw)) : raw === '' ? {} : JSON.parse(raw)
      if (!isRecord(parsed)) throw new Error('not an object')
      body = parsed
    } catch {
      return json(res, 400, { error: 'body must be a JSON object or a form' })
    }
    const trackId = str(body.track_id) ?? ''
    let inv: FakeInvoice
    if (req.method === 'POST' && path === '/__fake/pay') {
      const amount =
        body.amount === undefined || body.amount === '' ? undefined : (decimalFromJson(body.amount) ?? 'invalid')
      const address = str(body.address)
      inv =
        address !== null
          ? store.payAddress(address, amount === undefined ? {} : { amount })
          : store.pay(trackId, { amount, coin: str(body.coin) ?? undefined })
    } else if (req.method === 'POST' && path === '/__fake/expire') {
      inv = store.expire(trackId)
    } else if (req.method === 'POST' && path === '/__fake/status') {
      inv = store.setStatus(trackId, statusOf(body.status))
    } else {
      return json(res, 404, { error: 'unknown control' })
    }
    if (form && inv.type === 'invoice') {
      res.writeHead(303, { location: `/pay/${encodeURIComponent(inv.trackId)}` }).end()
      return
    }
    json(res, 200, paymentData(inv))
  }

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname
      const raw = await readBody(req)
      if (path === '/v1' || path.startsWith('/v1/')) return api(req, res, path, raw)
      if (path.startsWith('/__fake/')) return control(req, res, path, raw)
      const qr = /^\/qr\/([^/]+)$/.exec(path)
      const wl = qr && req.method === 'GET' ? store.get(decodeURIComponent(qr[1]!))?.whiteLabel : undefined
      if (wl) {
        res.writeHead(200, { 'content-type': 'image/png' }).end(await QRCode.toBuffer(wl.address, { margin: 2 }))
        return
      }
      const page = /^\/pay\/([^/]+)$/.exec(path)
      // Hosted invoices only: OxaPay shows no page for a white-label payment.
      const hosted = page ? store.get(decodeURIComponent(page[1]!)) : undefined
      const inv = hosted?.type === 'invoice' ? hosted : undefined
      // The one-command local payment: POST the payment_url, get the invoice's §2.2 data back.
      if (inv && req.method === 'POST') return json(res, 200, paymentData(store.pay(inv.trackId)))
      if (inv && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(paymentPage(inv, store.credited(inv)))
        return
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    })().catch(err => {
      if (stop.signal.aborted || res.headersSent) return
      if (err instanceof FakeControlError) return json(res, err.status, { error: err.message })
      json(res, 500, { error: err instanceof Error ? err.message : String(err) })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address() as AddressInfo
  const host =
    addr.address === '0.0.0.0' || addr.address === '::'
      ? '127.0.0.1'
      : addr.address.includes(':')
        ? `[${addr.address}]`
        : addr.address
  baseUrl = `http://${host}:${addr.port}`
  // Expiry is applied lazily on access; this sweep only makes `expiryCallbacks` fire on their own.
  const sweep = setInterval(() => store.all(), 1000)
  sweep.unref()

  return {
    url: baseUrl,
    apiBaseUrl: `${baseUrl}/v1`,
    port: addr.port,
    pay: (trackId, payOpts) => snapshot(store.pay(trackId, payOpts)),
    payAddress: (address, payOpts) => snapshot(store.payAddress(address, payOpts)),
    expire: trackId => snapshot(store.expire(trackId)),
    setStatus: (trackId, status) => snapshot(store.setStatus(trackId, statusOf(status))),
    invoice: trackId => {
      const inv = store.get(trackId)
      return inv ? snapshot(inv) : undefined
    },
    invoices: () => store.all().map(snapshot),
    deliveries: () => deliverer.records(),
    requests: () => requests.map(r => ({ ...r })),
    injectFault: f => {
      faults.push({ path: f.path, fault: f.fault, times: f.times ?? 1 })
    },
    clearFaults: () => {
      faults.length = 0
    },
    idle: () => deliverer.idle(),
    sign: body => signBody(Buffer.from(body, 'utf8'), opts.merchantKey),
    close: async () => {
      clearInterval(sweep)
      stop.abort()
      deliverer.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
      file?.close()
    },
  }
}

function statusOf(v: unknown): NonNullable<ReturnType<typeof normalizeStatus>> {
  const s = typeof v === 'string' ? normalizeStatus(v) : null
  if (!s) throw new FakeControlError(400, `unknown status '${String(v)}'`)
  return s
}

function unauthorized(): Record<string, unknown> {
  return errorEnvelope(401, 'authentication', 'merchant_api_key', 'Invalid merchant API key.', 'Unauthorized')
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 1_000_000) throw new FakeControlError(413, 'body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
