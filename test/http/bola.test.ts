import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { createSession } from '../../src/domain/auth/sessions.ts'

/**
 * OWASP API1 (BOLA) sweep: every customer route is called by user A naming user B's objects
 * (user_id, server, addon, order, Plesk client, subscription, payment). Each answer must be 403
 * (a user_id that is not the caller's) or 404 (another user's object), and no table may change.
 * A route that is added later without a row here fails the coverage check. The same table, called
 * with the victim's own ids after the victim is deactivated, must answer 401 everywhere
 * (src/domain/access/authorize.ts states the rule).
 */
let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

interface Victim {
  userId: string
  keyId: string
  sessionId: string
  serverId: string
  orderId: string
  clientId: string
  subscriptionId: string
  trackId: string
  endpointId: string
}
type Case = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  /** The route's pattern, for the coverage check, when the URL carries ids in its path. */
  route?: string
  body?: Record<string, unknown>
  expect: 403 | 404
}

/** Routes that name no object of a user (catalogs), so there is nothing to leak. */
const NO_OBJECTS = new Set([
  'GET /API/plans/list_plan',
  'GET /API/catalog/os_images',
  'GET /API/catalog/locations',
  'GET /API/catalog/addons',
  'GET /API/catalog/plesk_plans',
])

function cases(me: string, v: Victim): Case[] {
  const q = (path: string, params: Record<string, string>) => `${path}?${new URLSearchParams(params).toString()}`
  return [
    {
      method: 'POST',
      url: '/API/orders/create_order',
      body: { user_id: v.userId, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/orders/create_order',
      body: { user_id: me, server_id: v.serverId, plan_id: '7' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/orders/create_order',
      body: { user_id: me, server_id: v.serverId, hours: 5 },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/orders/create_order_addon',
      body: { user_id: v.userId, addon_id: 'addon12345-6789-0123-4567-890123456789', server_id: v.serverId },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/orders/create_order_addon',
      body: { user_id: me, addon_id: 'addon12345-6789-0123-4567-890123456789', server_id: v.serverId },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/orders/create_order_plesk',
      body: {
        plan_id: 'plan123-4567-8901-2345-678901234567',
        client_id: v.clientId,
        domain_name: 'bola-test.com',
        ftp_login: 'bolaftp',
        ftp_password: 'Sec9retPass',
        subscription_duration: 1,
        type_payment: 'balance',
      },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/orders/create_order_scale_plesk',
      body: { subscription_id: v.subscriptionId, months: 1, type_payment: 'balance' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/orders/quote',
      body: { endpoint: 'create_order', order: { user_id: me, server_id: v.serverId, plan_id: '7' } },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/orders/quote',
      body: { endpoint: 'create_order_addon', order: { user_id: v.userId, addon_id: ADDON, server_id: v.serverId } },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/orders/quote',
      body: {
        endpoint: 'create_order_scale_plesk',
        order: { subscription_id: v.subscriptionId, new_plan_id: PLESK_PRO, months: 1, type_payment: 'balance' },
      },
      expect: 404,
    },
    { method: 'GET', url: q('/API/info_user', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/balance', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/events', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/balance/ledger', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/servers/list', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/servers/detail', { server_id: v.serverId }), expect: 404 },
    { method: 'GET', url: q('/API/servers/detail', { user_id: v.userId, server_id: v.serverId }), expect: 403 },
    { method: 'GET', url: q('/API/servers/list_addon_server', { user_id: me, server_id: v.serverId }), expect: 404 },
    {
      method: 'GET',
      url: q('/API/services/usage_server', { server_id: v.serverId, specification: 'cpu' }),
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/services/auto_renew',
      body: { user_id: me, server_id: v.serverId, auto_renew: 1 },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/services/auto_renew',
      body: { user_id: v.userId, server_id: v.serverId, auto_renew: 1 },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/servers/power',
      body: { user_id: me, server_id: v.serverId, action: 'stop' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/servers/power',
      body: { user_id: v.userId, server_id: v.serverId, action: 'stop' },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/servers/reinstall',
      body: { user_id: me, server_id: v.serverId, os_id: '7' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/servers/reinstall',
      body: { user_id: v.userId, server_id: v.serverId, os_id: '7' },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/servers/reset_password',
      body: { user_id: me, server_id: v.serverId },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/servers/reset_password',
      body: { user_id: v.userId, server_id: v.serverId },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/servers/actions/reveal_password',
      body: { user_id: me, server_id: v.serverId, action_id: 'act_x' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/servers/actions/reveal_password',
      body: { user_id: v.userId, server_id: v.serverId, action_id: 'act_x' },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/servers/console',
      body: { user_id: me, server_id: v.serverId },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/servers/console',
      body: { user_id: v.userId, server_id: v.serverId },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/servers/rescue',
      body: { user_id: me, server_id: v.serverId, enabled: true },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/servers/rescue',
      body: { user_id: v.userId, server_id: v.serverId, enabled: true },
      expect: 403,
    },
    { method: 'GET', url: q('/API/servers/actions', { server_id: v.serverId }), expect: 404 },
    { method: 'GET', url: q('/API/servers/actions', { user_id: v.userId, server_id: v.serverId }), expect: 403 },
    {
      method: 'POST',
      url: '/API/services/cancel',
      body: { user_id: me, service_id: v.serverId, when: 'end_of_term' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/services/cancel',
      body: { user_id: v.userId, service_id: v.serverId, when: 'end_of_term' },
      expect: 403,
    },
    { method: 'POST', url: '/API/services/cancel/undo', body: { user_id: me, service_id: v.serverId }, expect: 404 },
    // Issue 13, part C: cancelling now (terminating) and its preview, on a server and a subscription.
    {
      method: 'POST',
      url: '/API/services/cancel',
      body: { user_id: me, service_id: v.serverId, when: 'immediate' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/services/cancel',
      body: { user_id: me, service_id: v.subscriptionId, when: 'immediate' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/services/cancel',
      body: { user_id: v.userId, service_id: v.subscriptionId, when: 'immediate' },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/services/cancel/quote',
      body: { user_id: me, service_id: v.serverId, when: 'immediate' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/services/cancel/quote',
      body: { user_id: me, service_id: v.subscriptionId, when: 'end_of_term' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/services/cancel/quote',
      body: { user_id: v.userId, service_id: v.serverId, when: 'immediate' },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/services/cancel/undo',
      body: { user_id: me, service_id: v.subscriptionId },
      expect: 404,
    },
    { method: 'GET', url: q('/API/orders/list_order', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/orders/list_order', { order_id: v.orderId }), expect: 404 },
    {
      method: 'POST',
      url: '/API/plesk/clients/create',
      body: {
        name: 'Evil',
        login: 'evilclient',
        email: 'evil@example.test',
        password: 'Evil12345x',
        user_id: v.userId,
      },
      expect: 403,
    },
    { method: 'GET', url: q('/API/plesk/clients/list', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/plesk/subscriptions/list', { user_id: v.userId }), expect: 403 },
    { method: 'GET', url: q('/API/plesk/subscriptions/detail', { id: v.subscriptionId }), expect: 404 },
    {
      method: 'POST',
      url: '/API/plesk/auto_renew',
      body: { user_id: me, subscription_id: v.subscriptionId, auto_renew: 0 },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/plesk/auto_renew',
      body: { user_id: v.userId, subscription_id: v.subscriptionId, auto_renew: 0 },
      expect: 403,
    },
    {
      method: 'POST',
      url: '/API/plesk/ftp_password',
      body: { user_id: me, subscription_id: v.subscriptionId, password: 'Attacker123x' },
      expect: 404,
    },
    {
      method: 'POST',
      url: '/API/plesk/ftp_password',
      body: { user_id: v.userId, subscription_id: v.subscriptionId, password: 'Attacker123x' },
      expect: 403,
    },
    { method: 'GET', url: q('/API/plesk/actions', { subscription_id: v.subscriptionId }), expect: 404 },
    {
      method: 'GET',
      url: q('/API/plesk/actions', { user_id: v.userId, subscription_id: v.subscriptionId }),
      expect: 403,
    },
    { method: 'POST', url: '/API/plesk/login', body: { user_id: me, subscription_id: v.subscriptionId }, expect: 404 },
    {
      method: 'POST',
      url: '/API/plesk/login',
      body: { user_id: v.userId, subscription_id: v.subscriptionId },
      expect: 403,
    },
    { method: 'POST', url: '/API/invoice', body: { user_id: v.userId, amount: '5.00' }, expect: 403 },
    { method: 'POST', url: '/API/invoice', body: { user_id: me, server_id: v.serverId }, expect: 404 },
    {
      method: 'POST',
      url: '/API/invoice',
      body: { user_id: me, order_id: v.orderId, currency: 'EUR', pay_currency: 'ETH', network: 'Ethereum' },
      expect: 404,
    },
    { method: 'GET', url: q('/API/get_transation_by_track_id', { track_id: v.trackId }), expect: 404 },
    { method: 'GET', url: q('/API/list_transactions', { user_id: v.userId }), expect: 403 },
    { method: 'POST', url: q('/API/webhooks', { user_id: v.userId }), body: { url: HOOK_URL }, expect: 403 },
    { method: 'GET', url: q('/API/webhooks', { user_id: v.userId }), expect: 403 },
    ...endpointCases(v.endpointId),
    { method: 'GET', url: q('/API/notifications/mail', { user_id: v.userId }), expect: 403 },
    { method: 'PUT', url: q('/API/notifications/mail', { user_id: v.userId }), body: { enabled: false }, expect: 403 },
    { method: 'GET', url: q('/API/notifications/mail/deliveries', { user_id: v.userId }), expect: 403 },
    {
      method: 'DELETE',
      url: `/API/auth/sessions/${v.sessionId}`,
      route: '/API/auth/sessions/:session_id',
      expect: 404,
    },
    {
      method: 'POST',
      url: `/API/account/keys/${v.keyId}/revoke`,
      route: '/API/account/keys/:key_id/revoke',
      expect: 404,
    },
  ]
}

const ADDON = 'addon12345-6789-0123-4567-890123456789'
const PLESK_PRO = 'plan345-6789-0123-4567-890123456789'

/**
 * Account routes that act on the caller only: they take no id, so there is nothing of another user
 * to name; a deactivated user's key must still get 401 on each.
 */
const SELF_ONLY: Array<{ method: 'GET' | 'POST' | 'PATCH'; url: string; body?: Record<string, unknown> }> = [
  { method: 'GET', url: '/API/auth/session' },
  { method: 'POST', url: '/API/auth/logout' },
  { method: 'GET', url: '/API/auth/sessions' },
  { method: 'POST', url: '/API/auth/sessions/revoke_all', body: {} },
  { method: 'GET', url: '/API/account/profile' },
  { method: 'PATCH', url: '/API/account/profile', body: { username: 'x' } },
  { method: 'POST', url: '/API/account/password', body: { current_password: 'a', new_password: 'b' } },
  { method: 'POST', url: '/API/account/2fa/setup' },
  { method: 'POST', url: '/API/account/2fa/enable', body: { code: '123456' } },
  { method: 'POST', url: '/API/account/2fa/disable', body: { password: 'a', code: '123456' } },
  { method: 'POST', url: '/API/account/2fa/recovery_codes', body: { code: '123456' } },
  { method: 'GET', url: '/API/account/keys' },
  { method: 'POST', url: '/API/account/keys', body: { name: 'x' } },
]
const SELF_ONLY_KEYS = new Set(SELF_ONLY.map(c => `${c.method} ${c.url}`))

/** A public address: the default SSRF policy of these tests refuses loopback receivers. */
const HOOK_URL = 'https://93.184.215.14/hook'

/** Every route under one webhook endpoint, naming another user's endpoint: 404. */
function endpointCases(id: string): Case[] {
  const e = '/API/webhooks/:endpoint_id'
  const d = `${e}/deliveries/:delivery_id`
  const delivery = `/API/webhooks/${id}/deliveries/whd_000000000000000000000000`
  return [
    { method: 'GET', url: `/API/webhooks/${id}`, route: e, expect: 404 },
    { method: 'PATCH', url: `/API/webhooks/${id}`, route: e, body: { enabled: false }, expect: 404 },
    { method: 'DELETE', url: `/API/webhooks/${id}`, route: e, expect: 404 },
    { method: 'POST', url: `/API/webhooks/${id}/rotate-secret`, route: `${e}/rotate-secret`, body: {}, expect: 404 },
    { method: 'GET', url: `/API/webhooks/${id}/deliveries`, route: `${e}/deliveries`, expect: 404 },
    { method: 'GET', url: delivery, route: d, expect: 404 },
    { method: 'POST', url: `${delivery}/replay`, route: `${d}/replay`, expect: 404 },
  ]
}

async function snapshot(): Promise<string> {
  const tables = [
    'users',
    'ledger_entries',
    'orders',
    'servers',
    'server_actions',
    'server_addons',
    'plesk_clients',
    'plesk_subscriptions',
    'plesk_actions',
    'jobs',
    'idempotency_keys',
    'audit_log',
    'payments',
    'webhook_endpoints',
    'mail_preferences',
    'sessions',
  ] as const
  const all: Record<string, unknown> = {}
  for (const t of tables) all[t] = await env.deps.db.selectFrom(t).selectAll().execute()
  return JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}

/** A user holding one of each object: a server (and its order), a Plesk client and subscription, a top-up payment. */
async function victimWithObjects(tag: string) {
  const victim = await env.user('100.00')
  const created = await env.request({
    url: '/API/orders/create_order',
    key: victim.key,
    body: { user_id: victim.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' },
  })
  assert.equal(created.statusCode, 200, created.body)
  const client = await env.request({
    url: '/API/plesk/clients/create',
    key: victim.key,
    body: { name: 'Victim', login: `victim${tag}`, email: `victim${tag}@example.test`, password: 'Victim1234x' },
  })
  assert.equal(client.statusCode, 200, client.body)
  const clientId = client.json().data.id as string
  const plesk = await env.request({
    url: '/API/orders/create_order_plesk',
    key: victim.key,
    body: {
      plan_id: 'plan123-4567-8901-2345-678901234567',
      client_id: clientId,
      domain_name: `victim-${tag}.com`,
      ftp_login: `ftp${tag}`,
      ftp_password: 'Ftp12345xy',
      subscription_duration: 1,
      type_payment: 'balance',
    },
  })
  assert.equal(plesk.statusCode, 200, plesk.body)
  const topUp = await env.request({
    url: '/API/invoice',
    key: victim.key,
    body: { user_id: victim.id, amount: '5.00' },
  })
  assert.equal(topUp.statusCode, 200, topUp.body)
  const hook = await env.request({ url: '/API/webhooks', key: victim.key, body: { url: `${HOOK_URL}/${tag}` } })
  assert.equal(hook.statusCode, 201, hook.body)
  const session = await createSession(env.deps.db, env.config.accounts, { userId: victim.id, now: env.clock.now() })
  const v: Victim = {
    userId: victim.id,
    keyId: victim.keyId,
    sessionId: session.id,
    serverId: created.json().server_status.new_id,
    orderId: created.json().order_id,
    clientId,
    subscriptionId: plesk.json().subscription.id,
    trackId: topUp.json().data.track_id,
    endpointId: hook.json().endpoint.id,
  }
  await env.runner.drain()
  return { victim, v }
}

/** Customer routes (auth "key") without a row in `table` that name user objects. */
function uncovered(table: Case[]): string[] {
  const covered = new Set(table.map(c => `${c.method} ${c.route ?? c.url.split('?')[0]}`))
  return env.app.routeList
    .filter(r => r.auth === 'key' && r.url.startsWith('/API/') && !r.url.startsWith('/API/admin/'))
    .map(r => `${r.method} ${r.url}`)
    .filter(k => !covered.has(k) && !NO_OBJECTS.has(k) && !SELF_ONLY_KEYS.has(k))
}

test("another user's ids on every customer route: 403/404 and no state change", async () => {
  const { v } = await victimWithObjects('a')
  const attacker = await env.user('100.00')
  const table = cases(attacker.id, v)
  const before = await snapshot()
  for (const c of table) {
    const res = await env.request({ method: c.method, url: c.url, key: attacker.key, body: c.body })
    assert.equal(res.statusCode, c.expect, `${c.method} ${c.url} ${JSON.stringify(c.body ?? {})}: ${res.body}`)
    assert.equal(res.json().error.code, c.expect === 403 ? 'forbidden' : 'not_found')
    assert.ok(
      !res.body.includes(v.serverId) || c.url.includes(v.serverId) || JSON.stringify(c.body ?? {}).includes(v.serverId),
      'nothing about the victim leaks',
    )
  }
  assert.equal(await snapshot(), before, 'no state changed')

  // Coverage: every customer route (auth "key") has a row, or names no user object.
  assert.deepEqual(uncovered(table), [], 'customer routes without a BOLA case')
})

test("a deactivated user's key on every customer route, its own ids included: 401 and no state change", async () => {
  const { victim, v } = await victimWithObjects('b')
  await env.deps.db.updateTable('users').set({ is_active: false }).where('id', '=', victim.id).execute()
  const table = cases(victim.id, v)
  const catalogs = [...NO_OBJECTS].map(k => ({ method: 'GET' as const, url: k.slice('GET '.length) }))
  const before = await snapshot()
  for (const c of [...table, ...catalogs, ...SELF_ONLY]) {
    const res = await env.request({
      method: c.method,
      url: c.url,
      key: victim.key,
      body: 'body' in c ? c.body : undefined,
    })
    assert.equal(res.statusCode, 401, `${c.method} ${c.url}: ${res.body}`)
    assert.equal(res.json().error.code, 'unauthorized')
  }
  assert.equal(await snapshot(), before, 'no state changed')
  assert.deepEqual(uncovered(table), [], 'customer routes without a BOLA case')
})

test('an admin key and a deactivated owner: every write is the same 404, reads still answer', async () => {
  const { victim, v } = await victimWithObjects('c')
  const admin = await env.user('0.00', true)
  await env.deps.db.updateTable('users').set({ is_active: false }).where('id', '=', victim.id).execute()
  const as = (c: Omit<Case, 'expect'>) => env.request({ method: c.method, url: c.url, key: admin.key, body: c.body })
  const before = await snapshot()
  // Before the one rule, the Plesk paths (client, subscription) let an admin key place an order for a
  // deactivated user, while the server paths (user_id) answered 404: now every use is refused alike.
  const writes: Omit<Case, 'expect'>[] = [
    { method: 'POST', url: '/API/orders/create_order', body: { user_id: v.userId, server_id: v.serverId, hours: 5 } },
    {
      method: 'POST',
      url: '/API/orders/create_order_scale_plesk',
      body: { subscription_id: v.subscriptionId, months: 1, type_payment: 'balance' },
    },
    {
      method: 'POST',
      url: '/API/orders/create_order_plesk',
      body: {
        plan_id: 'plan123-4567-8901-2345-678901234567',
        client_id: v.clientId,
        domain_name: 'inactive-owner.com',
        ftp_login: 'inactiveftp',
        ftp_password: 'Sec9retPass',
        subscription_duration: 1,
        type_payment: 'balance',
      },
    },
    {
      method: 'POST',
      url: '/API/services/auto_renew',
      body: { user_id: v.userId, server_id: v.serverId, auto_renew: 0 },
    },
    { method: 'POST', url: '/API/invoice', body: { user_id: v.userId, amount: '5.00' } },
    { method: 'POST', url: '/API/servers/power', body: { user_id: v.userId, server_id: v.serverId, action: 'stop' } },
    { method: 'POST', url: '/API/servers/reinstall', body: { user_id: v.userId, server_id: v.serverId, os_id: '7' } },
    { method: 'POST', url: '/API/servers/reset_password', body: { user_id: v.userId, server_id: v.serverId } },
    {
      method: 'POST',
      url: '/API/servers/actions/reveal_password',
      body: { user_id: v.userId, server_id: v.serverId, action_id: 'act_x' },
    },
    { method: 'POST', url: '/API/servers/console', body: { user_id: v.userId, server_id: v.serverId } },
    { method: 'POST', url: '/API/servers/rescue', body: { user_id: v.userId, server_id: v.serverId, enabled: true } },
    {
      method: 'POST',
      url: '/API/services/cancel',
      body: { user_id: v.userId, service_id: v.serverId, when: 'end_of_term' },
    },
    { method: 'POST', url: '/API/services/cancel/undo', body: { user_id: v.userId, service_id: v.serverId } },
    {
      method: 'POST',
      url: '/API/plesk/auto_renew',
      body: { user_id: v.userId, subscription_id: v.subscriptionId, auto_renew: 0 },
    },
    {
      method: 'POST',
      url: '/API/plesk/ftp_password',
      body: { user_id: v.userId, subscription_id: v.subscriptionId, password: 'Inactive123x' },
    },
    { method: 'POST', url: '/API/plesk/login', body: { user_id: v.userId, subscription_id: v.subscriptionId } },
    {
      method: 'POST',
      url: '/API/services/cancel',
      body: { user_id: v.userId, service_id: v.serverId, when: 'immediate' },
    },
    {
      method: 'POST',
      url: '/API/services/cancel/quote',
      body: { user_id: v.userId, service_id: v.serverId, when: 'immediate' },
    },
    {
      method: 'POST',
      url: '/API/orders/quote',
      body: { endpoint: 'create_order', order: { user_id: v.userId, server_id: v.serverId, hours: 5 } },
    },
    {
      method: 'POST',
      url: '/API/orders/quote',
      body: {
        endpoint: 'create_order_scale_plesk',
        order: { subscription_id: v.subscriptionId, months: 1, type_payment: 'balance' },
      },
    },
  ]
  for (const c of writes) {
    const res = await as(c)
    assert.equal(res.statusCode, 404, `${c.url} ${JSON.stringify(c.body)}: ${res.body}`)
    const { code, resource, id } = res.json().error
    assert.deepEqual({ code, resource, id }, { code: 'not_found', resource: 'user', id: victim.id }, c.url)
  }
  assert.equal(await snapshot(), before, 'no state changed')
  const q = (path: string, params: Record<string, string>) => `${path}?${new URLSearchParams(params).toString()}`
  for (const url of [
    q('/API/info_user', { user_id: v.userId }),
    q('/API/servers/detail', { server_id: v.serverId }),
    q('/API/plesk/subscriptions/detail', { id: v.subscriptionId }),
    q('/API/get_transation_by_track_id', { track_id: v.trackId }),
  ]) {
    const res = await as({ method: 'GET', url })
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`)
  }
})
