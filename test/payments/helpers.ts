import * as jsqr from 'jsqr'
import { PNG } from 'pngjs'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { assertAuditsClean } from '../audits.ts'
import type { FakeOxaPayHandle } from '../../src/fakes/oxapay/server.ts'

/**
 * Shared by the payment tests: an oxbill that listens on loopback, so the fake OxaPay's signed
 * callbacks travel over HTTP to the real route, with a 5 % under-paid coverage on every invoice.
 */
export async function startPaymentsEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  return startTestEnv({ listen: true, env: { OXAPAY_UNDERPAID_COVERAGE: '5', INVOICE_LIFETIME_MINUTES: '30', ...env } })
}

export const fakeOf = (env: TestEnv): FakeOxaPayHandle => env.providers.fakes.oxapay!

export const NEW_SERVER = (userId: string) => ({
  user_id: userId,
  plan_id: '5',
  os_image_id: '13',
  location: 'Slovenia',
  type_payment: 'crypto',
})

export async function balanceOf(env: TestEnv, userId: string): Promise<bigint> {
  return (
    await env.deps.db.selectFrom('users').select('balance_cents').where('id', '=', userId).executeTakeFirstOrThrow()
  ).balance_cents
}

export async function ledgerOf(env: TestEnv, userId: string) {
  return env.deps.db
    .selectFrom('ledger_entries')
    .select(['kind', 'delta_cents', 'order_id', 'payment_id'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export async function orderOf(env: TestEnv, id: string) {
  return env.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

export async function paymentByTrack(env: TestEnv, trackId: string) {
  return env.deps.db.selectFrom('payments').selectAll().where('track_id', '=', trackId).executeTakeFirstOrThrow()
}

export async function jobsOf(env: TestEnv, orderId: string) {
  return env.deps.db.selectFrom('jobs').select(['id', 'kind', 'state']).where('order_id', '=', orderId).execute()
}

/** Waits until the fake has delivered every callback (each one was answered, so processed), then runs due jobs. */
export async function settle(env: TestEnv): Promise<void> {
  await fakeOf(env).idle()
  await env.runner.drain()
}

/** Posts a callback body as OxaPay would: signed with the merchant key unless `signature` is given. */
export async function postCallback(env: TestEnv, body: string, signature?: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const sig = signature === undefined ? fakeOf(env).sign(body) : signature
  if (sig !== null) headers.hmac = sig
  return env.app.inject({ method: 'POST', url: '/API/on_payment_status', headers, payload: body })
}

/** Every audit `oxbill audit` runs (money and delivery) is clean. */
export const assertAuditClean = assertAuditsClean

/** What a `data:image/png;base64,…` QR code says, decoded from its pixels (jsqr over pngjs). */
export function decodeQr(dataUrl: string): string {
  const prefix = 'data:image/png;base64,'
  if (!dataUrl.startsWith(prefix)) throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}`)
  const png = PNG.sync.read(Buffer.from(dataUrl.slice(prefix.length), 'base64'))
  // jsqr is CommonJS with `exports.default`: under NodeNext that is the namespace's default.default.
  const code = jsqr.default.default(new Uint8ClampedArray(png.data), png.width, png.height)
  if (code === null) throw new Error('no QR code found in the image')
  return code.data
}

/** Rows of the tables a refused request must leave alone, as one comparable string. */
export async function paymentTables(env: TestEnv): Promise<string> {
  const db = env.deps.db
  const all = {
    payments: await db.selectFrom('payments').selectAll().orderBy('id').execute(),
    events: await db.selectFrom('payment_events').selectAll().orderBy('id').execute(),
    orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
    ledger: await db.selectFrom('ledger_entries').selectAll().orderBy('id').execute(),
  }
  return JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}
