import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { createAddressPolicy } from '../../../src/integrations/webhooks/address-policy.ts'
import type { ResolvedAddress, Resolver, WebhookPolicy } from '../../../src/integrations/webhooks/url-policy.ts'

/** One request as a customer's receiver saw it: the raw body, as a verifier must use it. */
export interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

export type Handler = (req: Received, res: ServerResponse) => void

export interface Receiver {
  /** `http://127.0.0.1:<port>/hook` */
  url: string
  port: number
  received: Received[]
  /** TCP connections accepted, whether or not a request followed. */
  connections: number
  handler: Handler
  close(): Promise<void>
}

/** A node:http server on 127.0.0.1, port 0, answering 204 unless a handler says otherwise. */
export async function startReceiver(handler?: Handler): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    port: 0,
    received: [],
    connections: 0,
    handler: handler ?? ((_req, res) => void res.writeHead(204).end()),
    close: async () => {},
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      receiver.received.push(r)
      receiver.handler(r, res)
    })
  })
  server.on('connection', () => {
    receiver.connections += 1
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  receiver.port = (server.address() as AddressInfo).port
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`
  receiver.close = async () => {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  return receiver
}

/** The three Standard Webhooks headers as the official library wants them (plain strings). */
export function webhookHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const one = (name: string): string => {
    const v = headers[name]
    return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
  }
  return {
    'webhook-id': one('webhook-id'),
    'webhook-timestamp': one('webhook-timestamp'),
    'webhook-signature': one('webhook-signature'),
  }
}

export interface Verdict {
  ok: boolean
  error?: unknown
}

/**
 * A handler that verifies with the official `standardwebhooks` package (not with oxbill's code),
 * holding `secrets` as a receiver would; 204 when one of them verifies, 401 otherwise.
 */
export function verifyingHandler(secrets: readonly string[], verdicts: Verdict[]): Handler {
  return (req, res) => {
    let error: unknown
    for (const secret of secrets) {
      try {
        new Webhook(secret).verify(req.body, webhookHeadersOf(req.headers))
        verdicts.push({ ok: true })
        return void res.writeHead(204).end()
      } catch (err) {
        error = err
      }
    }
    verdicts.push({ ok: false, error })
    res.writeHead(401).end('bad signature')
  }
}

/** Tests reach their receiver on loopback only because the operator allow-list says so. */
export const localPolicy: WebhookPolicy = {
  addresses: createAddressPolicy({ allow: ['127.0.0.0/8'] }),
  allowHttp: true,
}

/** A resolver answering from a fixed table, counting look-ups. */
export function fixedResolver(answers: Record<string, readonly string[]>): Resolver & { calls: string[] } {
  const calls: string[] = []
  const resolver = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host)
    const found = answers[host]
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
    return found.map(address => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return Object.assign(resolver, { calls })
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)
