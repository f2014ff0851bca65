/**
 * Every documented 0xhost page that oxbill implements, called as each of the docs' samples calls
 * it — JavaScript fetch, Python requests, PHP cURL, the cURL command, and the bodies a form post
 * or a header-less fetch sends — over a raw socket, so the exact header list reaches the server
 * (the PHP samples of the .net server and addon pages send `Content-Type: <api key>` before
 * `Content-Type: application/json`). Each answer must be 200 with the documented keys and JSON
 * types at every level (fixtures.ts). The order pages' own examples keep their documented figures.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { startTestEnv, type TestEnv } from '../helper.ts'
import {
  DEMO_API_KEY as KEY,
  DEMO_CLIENT_ID,
  DEMO_SERVER_ID,
  DEMO_SUBSCRIPTION_ID,
  DEMO_USER_ID,
} from '../../src/seed/seed-demo.ts'
import { cancelUnpaidOrder } from '../../src/domain/orders/cancel-unpaid-order.ts'
import { DOCUMENTED, typeMismatches } from './fixtures.ts'

let env: TestEnv
let port = 0
before(async () => {
  env = await startTestEnv({ listen: true, env: { OXAPAY_UNDERPAID_COVERAGE: '5', MAX_OPEN_INVOICES_PER_USER: '100' } })
  const addr = env.app.server.address()
  port = typeof addr === 'object' && addr !== null ? addr.port : 0
})
after(async () => {
  await env.close()
})

type Body = Record<string, string | number>
type Sample = 'javascript' | 'python' | 'php' | 'curl' | 'curl -d form' | 'fetch without Content-Type'

interface Answer {
  status: number
  json: any
  text: string
}

/** One HTTP/1.1 request with exactly these header lines, in this order. */
async function raw(method: string, path: string, headers: Array<[string, string]>, body?: string): Promise<Answer> {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8')
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    ...headers.map(([k, v]) => `${k}: ${v}`),
    'Connection: close',
  ]
  if (body !== undefined) lines.push(`Content-Length: ${payload.length}`)
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]))
    })
    const chunks: Buffer[] = []
    socket.on('data', c => chunks.push(c))
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    socket.on('error', reject)
  })
  const [head = '', ...rest] = text.split('\r\n\r\n')
  const status = Number(head.split(' ')[1])
  const bodyText = rest.join('\r\n\r\n')
  let json: unknown = null
  try {
    json = JSON.parse(bodyText)
  } catch {
    json = null
  }
  return { status, json, text: bodyText }
}

/** What each sample puts on the wire for a body (the .net PHP samples' double Content-Type included). */
function wire(
  sample: Sample,
  host: 'net' | 'com',
  body: Body | undefined,
): { headers: Array<[string, string]>; body?: string } {
  const json = body === undefined ? undefined : JSON.stringify(body)
  switch (sample) {
    case 'javascript':
      return {
        headers: [
          ['x-api-key', KEY],
          ['Content-Type', 'application/json'],
        ],
        body: json,
      }
    case 'python':
      return {
        headers: [
          ['User-Agent', 'python-requests/2.31.0'],
          ['Accept-Encoding', 'gzip, deflate'],
          ['Accept', '*/*'],
          ['x-api-key', KEY],
          ['Content-Type', 'application/json'],
        ],
        body:
          body === undefined
            ? undefined
            : `{${Object.entries(body)
                .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
                .join(', ')}}`,
      }
    case 'php':
      return {
        headers:
          host === 'net'
            ? [
                ['x-api-key', KEY],
                ['Content-Type', KEY],
                ['Content-Type', 'application/json'],
              ]
            : [
                ['x-api-key', KEY],
                ['Content-Type', 'application/json'],
              ],
        body: json?.replaceAll('/', '\\/'),
      }
    case 'curl':
      return {
        headers: [
          ['User-Agent', 'curl/7.88.1'],
          ['Accept', '*/*'],
          ['x-api-key', KEY],
          ['Content-Type', 'application/json'],
        ],
        body: body === undefined ? undefined : JSON.stringify(body, null, 2),
      }
    case 'curl -d form':
      return {
        headers: [
          ['User-Agent', 'curl/7.88.1'],
          ['Accept', '*/*'],
          ['x-api-key', KEY],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        body:
          body === undefined
            ? undefined
            : new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString(),
      }
    case 'fetch without Content-Type':
      return {
        headers: [
          ['x-api-key', KEY],
          ['Content-Type', 'text/plain;charset=UTF-8'],
        ],
        body: json,
      }
  }
}

const JSON_SAMPLES: Sample[] = ['javascript', 'python', 'php', 'curl']
const POST_SAMPLES: Sample[] = [...JSON_SAMPLES, 'curl -d form', 'fetch without Content-Type']

interface Page {
  title: string
  host: 'net' | 'com'
  method: 'GET' | 'POST'
  path: string
  /** The request's parameters (query for GET, body for POST), made fresh for each sample. */
  params: (sample: Sample, i: number) => Promise<Body> | Body
  doc: unknown
  /** Puts the demo world back where a sample expects it. */
  reset?: () => Promise<void>
  check?: (json: any, i: number) => void
}

const db = () => env.deps.db
const DEMO_REMAINING_S = 3_775_171

/** Cancels what an earlier sample left unpaid on the demo server (one open order per service). */
async function freeDemoServer(): Promise<void> {
  const open = await db()
    .selectFrom('orders')
    .select('id')
    .where('server_id', '=', DEMO_SERVER_ID)
    .where('status', '=', 'pending_payment')
    .execute()
  for (const o of open) {
    await db()
      .transaction()
      .execute(trx => cancelUnpaidOrder(trx, o.id, 'test reset', env.clock.now()))
  }
}

async function pendingCryptoOrder(): Promise<string> {
  const res = await env.request({
    url: '/API/orders/create_order',
    key: KEY,
    body: { user_id: DEMO_USER_ID, plan_id: '5', os_image_id: '13', location: 'Slovenia', type_payment: 'crypto' },
  })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().order_id
}

const PAGES: Page[] = [
  {
    title: '3.9 create new order server',
    host: 'net',
    method: 'POST',
    path: '/API/orders/create_order',
    doc: DOCUMENTED.new_server,
    params: () => ({
      user_id: DEMO_USER_ID,
      plan_id: '5',
      os_image_id: '13',
      location: 'Slovenia',
      name_server: 'testServerAPI',
    }),
    check: (b, i) => {
      if (i === 0) {
        assert.equal(b.balance_before, '3396.52')
        assert.equal(b.amount, 12.99)
      }
      assert.match(b.server_status.metadata, /^password=/)
    },
  },
  {
    title: '3.11 change plan',
    host: 'net',
    method: 'POST',
    path: '/API/orders/create_order',
    doc: DOCUMENTED.change_plan,
    reset: async () => {
      await freeDemoServer()
      await db()
        .updateTable('servers')
        .set({ plan_id: '5', expire_date: new Date(Date.now() + DEMO_REMAINING_S * 1000) })
        .where('id', '=', DEMO_SERVER_ID)
        .execute()
    },
    params: () => ({ user_id: DEMO_USER_ID, server_id: DEMO_SERVER_ID, plan_id: '7' }),
    check: b => {
      assert.equal(b.amount, 54.75)
      assert.equal(b.upgrade_difference, 24.76)
      assert.equal(b.server_status.metadata, '')
    },
  },
  {
    title: '3.10 extend hours',
    host: 'net',
    method: 'POST',
    path: '/API/orders/create_order',
    doc: DOCUMENTED.extend_hours,
    params: () => ({ user_id: DEMO_USER_ID, server_id: DEMO_SERVER_ID, hours: 1 }),
  },
  {
    title: '3.14 create new order addon',
    host: 'net',
    method: 'POST',
    path: '/API/orders/create_order_addon',
    doc: DOCUMENTED.addon,
    params: () => ({
      user_id: DEMO_USER_ID,
      addon_id: 'addon12345-6789-0123-4567-890123456789',
      server_id: DEMO_SERVER_ID,
    }),
    check: b => {
      assert.equal(b.order.amount, '3.99')
      assert.notEqual(b.order.metadata, 'Array')
    },
  },
  {
    title: '3.4 update autorenew ("0" as a string, as the sample sends it)',
    host: 'net',
    method: 'POST',
    path: '/API/services/auto_renew',
    doc: DOCUMENTED.auto_renew,
    params: () => ({ user_id: DEMO_USER_ID, server_id: DEMO_SERVER_ID, auto_renew: '0' }),
  },
  {
    title: '3.1 detail user',
    host: 'net',
    method: 'GET',
    path: '/API/info_user',
    doc: DOCUMENTED.info_user,
    params: () => ({ user_id: DEMO_USER_ID }),
  },
  {
    title: '3.2 list plan',
    host: 'net',
    method: 'GET',
    path: '/API/plans/list_plan',
    doc: DOCUMENTED.list_plan,
    params: () => ({ type: 'vps' }),
    check: b => {
      for (const p of b.data) assert.equal(typeof JSON.parse(p.params).vcpu, 'number')
    },
  },
  {
    title: '3.3 usage stats',
    host: 'net',
    method: 'GET',
    path: '/API/services/usage_server',
    doc: DOCUMENTED.usage_server,
    params: () => ({ server_id: DEMO_SERVER_ID, specification: 'cpu' }),
  },
  {
    title: '3.5 list addons server',
    host: 'net',
    method: 'GET',
    path: '/API/servers/list_addon_server',
    doc: DOCUMENTED.list_addon_server,
    params: () => ({ server_id: DEMO_SERVER_ID, user_id: DEMO_USER_ID }),
    check: b => assert.ok(b.data.length >= 1),
  },
  {
    title: '3.6 list order',
    host: 'net',
    method: 'GET',
    path: '/API/orders/list_order',
    doc: DOCUMENTED.list_order,
    params: () => ({ user_id: DEMO_USER_ID, page: '1' }),
    check: b => assert.ok(b.data.length >= 1),
  },
  {
    title: '3.7 list order network (order_type)',
    host: 'net',
    method: 'GET',
    path: '/API/orders/list_order',
    doc: DOCUMENTED.list_order,
    params: () => ({ user_id: DEMO_USER_ID, page: '1', order_type: 'network' }),
  },
  {
    title: '3.8 order by id',
    host: 'net',
    method: 'GET',
    path: '/API/orders/list_order',
    doc: DOCUMENTED.list_order,
    params: async () => ({
      order_id: (
        await db()
          .selectFrom('orders')
          .select('id')
          .where('user_id', '=', DEMO_USER_ID)
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow()
      ).id,
    }),
    check: b => assert.equal(b.data.length, 1),
  },
  {
    title: '3.18 invoice (.net): user_id + server_id',
    host: 'net',
    method: 'POST',
    path: '/API/invoice',
    doc: DOCUMENTED.invoice,
    reset: freeDemoServer,
    params: () => ({ user_id: DEMO_USER_ID, server_id: DEMO_SERVER_ID }),
  },
  {
    title: '3.19 invoice (.com): order_id, currency, coin and network',
    host: 'com',
    method: 'POST',
    path: '/API/invoice',
    doc: DOCUMENTED.invoice,
    params: async () => ({
      user_id: DEMO_USER_ID,
      order_id: await pendingCryptoOrder(),
      currency: 'EUR',
      pay_currency: 'ETH',
      network: 'Ethereum',
    }),
    check: b => {
      assert.equal(b.data.pay_currency, 'ETH')
      assert.ok(b.data.address.length > 0)
      assert.match(b.data.qr_code, /^data:image\//)
    },
  },
  {
    title: '3.21 transactions by track id',
    host: 'net',
    method: 'GET',
    path: '/API/get_transation_by_track_id',
    doc: DOCUMENTED.transaction,
    params: async () => ({
      track_id: (
        await db()
          .selectFrom('payments')
          .select('track_id')
          .where('user_id', '=', DEMO_USER_ID)
          .where('track_id', 'is not', null)
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow()
      ).track_id!,
    }),
  },
  {
    title: '3.22 lists transaction',
    host: 'net',
    method: 'GET',
    path: '/API/list_transactions',
    doc: DOCUMENTED.list_transactions,
    params: () => ({ per_page: '10', page: '1' }),
    check: b => assert.ok(b.data.length >= 1),
  },
  {
    title: '3.24 plesk create client',
    host: 'com',
    method: 'POST',
    path: '/API/plesk/clients/create',
    doc: DOCUMENTED.plesk_client,
    params: (_s, i) => ({
      name: 'John Doe',
      login: `johndoe${i}${Date.now() % 100000}`,
      email: 'john@example.com',
      password: 'SecurePass123!',
      company: 'Example Corp',
    }),
  },
  {
    title: '3.25 plesk create order',
    host: 'com',
    method: 'POST',
    path: '/API/orders/create_order_plesk',
    doc: DOCUMENTED.plesk_order,
    params: (_s, i) => ({
      plan_id: 'plan123-4567-8901-2345-678901234567',
      client_id: DEMO_CLIENT_ID,
      domain_name: i === 0 ? 'example.com' : `example${i}.com`,
      ftp_login: 'ftp_user',
      ftp_password: 'FtpPass123',
      subscription_duration: '1',
      type_payment: 'balance',
    }),
    check: (b, i) => {
      if (i === 0) assert.equal(b.order.amount, '9.99')
    },
  },
  {
    title: '3.26 plesk scale order',
    host: 'com',
    method: 'POST',
    path: '/API/orders/create_order_scale_plesk',
    doc: DOCUMENTED.plesk_scale,
    params: () => ({
      subscription_id: DEMO_SUBSCRIPTION_ID,
      new_plan_id: 'plan234-5678-9012-3456-789012345678',
      months: '3',
      type_payment: 'balance',
    }),
    check: b => assert.equal(b.subscription.months_added, 3),
  },
  {
    title: '3.27 plesk subscription detail',
    host: 'com',
    method: 'GET',
    path: '/API/plesk/subscriptions/detail',
    doc: DOCUMENTED.subscription_detail,
    params: () => ({ id: DEMO_SUBSCRIPTION_ID }),
  },
]

for (const page of PAGES) {
  const samples = page.method === 'POST' ? POST_SAMPLES : JSON_SAMPLES
  test(`${page.title}: ${page.method} ${page.path} as ${samples.join(', ')}`, async () => {
    for (const [i, sample] of samples.entries()) {
      await page.reset?.()
      const params = await page.params(sample, i)
      const query =
        page.method === 'GET'
          ? `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`
          : ''
      const w = wire(sample, page.host, page.method === 'POST' ? params : undefined)
      const res = await raw(page.method, `${page.path}${query}`, w.headers, w.body)
      assert.equal(res.status, 200, `${sample}: ${res.text}`)
      assert.deepEqual(typeMismatches(page.doc, res.json), [], `${sample}: ${res.text.slice(0, 2000)}`)
      page.check?.(res.json, i)
    }
  })
}

test('3.20 payment status: the documented request (an API key, no signature) is refused with the error envelope', async () => {
  const body = JSON.stringify({
    track_id: '110816020',
    status: 'Paid',
    type: 'invoice',
    amount: 12,
    currency: 'USD',
    order_id: 'RECHARGE-12345',
  })
  const res = await raw(
    'POST',
    '/API/on_payment_status',
    [
      ['x-api-key', KEY],
      ['Content-Type', 'application/json'],
    ],
    body,
  )
  assert.equal(res.status, 401)
  assert.equal(res.json.success, false)
  assert.equal(res.json.error.code, 'unauthorized')
})
