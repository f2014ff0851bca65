// What the browser tests seed through the API (never the database): a customer's server, Plesk
// subscription, webhook endpoint and top-up, each as the customer would make it.
import type { E2E, SessionLogin } from './harness.ts'

export interface Holdings {
  serverId: string
  orderId: string
  subscriptionId: string
  webhookId: string
  topUpTrackId: string
}

async function ok(
  what: string,
  p: Promise<{ status: number; body: Record<string, unknown> }>,
  ...codes: number[]
): Promise<Record<string, unknown>> {
  const r = await p
  if (!codes.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`)
  return r.body
}

export async function orderServer(e: E2E, c: SessionLogin, plan = '5'): Promise<{ serverId: string; orderId: string }> {
  const b = await ok(
    'order a server',
    e.api('POST', '/API/orders/create_order', {
      session: c,
      body: { user_id: c.userId, plan_id: plan, os_image_id: '13', location: 'Slovenia' },
    }),
    200,
  )
  return { serverId: (b.server_status as { new_id: string }).new_id, orderId: String(b.order_id) }
}

/** A server, a Plesk subscription and a webhook endpoint (on loopback: the harness allows only that). */
export async function seedHoldings(e: E2E, c: SessionLogin, tag: string): Promise<Holdings> {
  const { serverId, orderId } = await orderServer(e, c)
  const client = await ok(
    'create a Plesk client',
    e.api('POST', '/API/plesk/clients/create', {
      session: c,
      body: { name: 'Browser Test', login: `bt${tag}`, email: `bt${tag}@example.com`, password: 'Plesk1234xy' },
    }),
    200,
  )
  const clientId = (client.data as { id: string }).id
  const plesk = await ok(
    'order Plesk hosting',
    e.api('POST', '/API/orders/create_order_plesk', {
      session: c,
      body: {
        plan_id: 'plan123-4567-8901-2345-678901234567',
        client_id: clientId,
        domain_name: `bt-${tag}.com`,
        ftp_login: `ftp${tag}`,
        ftp_password: 'Ftp12345xy',
        subscription_duration: 1,
        type_payment: 'balance',
      },
    }),
    200,
  )
  const hook = await ok(
    'register a webhook',
    e.api('POST', '/API/webhooks', { session: c, body: { url: `http://127.0.0.1:9/hook-${tag}` } }),
    201,
  )
  const topUp = await ok(
    'ask for a top-up invoice',
    e.api('POST', '/API/invoice', { session: c, body: { user_id: c.userId, amount: '5.00' } }),
    200,
  )
  return {
    topUpTrackId: (topUp.data as { track_id: string }).track_id,
    serverId,
    orderId,
    subscriptionId: (plesk.subscription as { id: string }).id,
    webhookId: (hook.endpoint as { id: string }).id,
  }
}
