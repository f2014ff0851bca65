import { readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { waitFor as waitUntil } from '../../wait.ts'

/** One request as oxbill's callback endpoint would see it: raw bytes kept for signature checks. */
export interface Received {
  headers: IncomingHttpHeaders
  raw: Buffer
  json: Record<string, unknown>
}

export interface Receiver {
  url: string
  received: Received[]
  /** Decides each answer; default 200 `ok`. */
  respond: (n: number, r: Received) => { status: number; body: string }
  close(): Promise<void>
}

/** A tiny node:http server on port 0 standing in for oxbill's OxaPay callback route. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = []
  const receiver: Receiver = {
    url: '',
    received,
    respond: () => ({ status: 200, body: 'ok' }),
    close: async () => {},
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const r: Received = {
        headers: req.headers,
        raw,
        json: JSON.parse(raw.toString('utf8')) as Record<string, unknown>,
      }
      received.push(r)
      const { status, body } = receiver.respond(received.length, r)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oxapay/callback`
  receiver.close = async () => {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  return receiver
}

/** Waits until the fake or the receiver shows `what` (both work on their own sockets and timers). */
export const waitFor = (pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> =>
  waitUntil(pred, { what, timeoutMs, intervalMs: 5 })

/** Reads `fixtures/<name>` next to this file as raw bytes. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url))
}

export const MERCHANT_KEY = 'TEST-MERCH-KEY-0001'
