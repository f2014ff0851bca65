import assert from 'node:assert/strict'
import type { TestEnv } from '../helper.ts'
import { waitFor } from '../wait.ts'

/** An active Plesk subscription of `u`, made through the API (client, then a balance order). */
export async function activeSubscription(
  env: TestEnv,
  u: { id: string; key: string },
  tag: string,
): Promise<{ id: string; domain: string; ftpLogin: string; login: string; ftpPassword: string }> {
  const login = `cust${tag}`
  const client = await env.request({
    url: '/API/plesk/clients/create',
    key: u.key,
    body: { name: `Customer ${tag}`, login, email: `${login}@example.test`, password: 'Client1234x' },
  })
  assert.equal(client.statusCode, 200, client.body)
  const domain = `site-${tag}.example`
  const ftpLogin = `ftp${tag}`
  const ftpPassword = 'Original123x'
  const order = await env.request({
    url: '/API/orders/create_order_plesk',
    key: u.key,
    body: {
      plan_id: 'plan123-4567-8901-2345-678901234567',
      client_id: client.json().data.id,
      domain_name: domain,
      ftp_login: ftpLogin,
      ftp_password: ftpPassword,
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(order.statusCode, 200, order.body)
  const id = order.json().subscription.id as string
  await waitFor(async () => {
    await env.runner.drain()
    const s = await subscriptionRow(env, id)
    return s.status === 'active'
  })
  return { id, domain, ftpLogin, login, ftpPassword }
}

export const subscriptionRow = (env: TestEnv, id: string) =>
  env.deps.db.selectFrom('plesk_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

export const webspace = (env: TestEnv, domain: string) =>
  env.providers.fakes.plesk!.webspaces().find(w => w.name === domain)!

export async function listActions(env: TestEnv, key: string, subscriptionId: string) {
  const res = await env.request({ method: 'GET', url: `/API/plesk/actions?subscription_id=${subscriptionId}`, key })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().actions as Array<{ id: string; action: string; status: string; error: string | null }>
}

/** Runs due jobs until the action ended (retries with a backoff become due a little later). */
export async function settledAction(env: TestEnv, key: string, subscriptionId: string, actionId: string) {
  let found: { status: string; error: string | null } | undefined
  await waitFor(
    async () => {
      await env.runner.drain()
      found = (await listActions(env, key, subscriptionId)).find(a => a.id === actionId)
      return found?.status === 'done' || found?.status === 'failed'
    },
    { timeoutMs: 10_000, intervalMs: 20, what: `action ${actionId} to end` },
  )
  return found!
}
