import type { Db } from '../db/connect.ts'
import type { SecretBox } from '../lib/secret-box.ts'
import { generatePassword } from '../lib/secret-box.ts'
import { parseAmount } from '../lib/money.ts'
import { credit } from '../domain/billing/ledger.ts'
import { issueApiKey } from '../domain/auth/api-keys.ts'
import { addMonths } from '../domain/billing/pricing.ts'
import { enqueueJob } from '../outbox/enqueue.ts'
import { JobKind } from '../outbox/kinds.ts'
import { DEMO_ADDONS, DEMO_LOCATIONS, DEMO_OS_IMAGES, DEMO_PLESK_PLANS, DEMO_VPS_PLANS } from './demo-catalog.ts'

export const DEMO_USER_ID = 'user12345-6789-0123-4567-890123456789'
export const DEMO_API_KEY = 'your_api_key_here'
export const DEMO_SERVER_ID = 'server12345-6789-0123-4567-890123456789'
export const DEMO_CLIENT_ID = 'client123-4567-8901-2345-678901234567'
export const DEMO_SUBSCRIPTION_ID = 'sub123-4567-8901-2345-678901234567'

/**
 * Seconds left on the demo server's term, chosen so that the docs' change of plan (5 → 7) costs
 * exactly 24.76 + 29.99 = 54.75 when tried within ~25 minutes of seeding (1700 × R / 2592000 cents
 * stays in (2475, 2476], which rounds up to 2476, for that long), as in docs/0xhost-compat.md 3.11 (change plan).
 */
const DEMO_SERVER_REMAINING_S = 3_775_171

const cents = (s: string): bigint => parseAmount(s)!

/** Puts the catalog in place (idempotent: existing rows are kept as the operator left them). */
export async function seedCatalog(db: Db): Promise<void> {
  for (const p of DEMO_VPS_PLANS) {
    await db
      .insertInto('vps_plans')
      .values({
        id: p.id,
        name: p.name,
        price_cents: cents(p.price),
        vcpu: p.vcpu,
        ram_bytes: p.ramBytes,
        disk_gb: p.diskGb,
        solusvm_plan_id: p.solusvmPlanId,
        os_image_ids: DEMO_OS_IMAGES.map(o => o.id),
      })
      .onConflict(oc => oc.doNothing())
      .execute()
  }
  for (const o of DEMO_OS_IMAGES) {
    await db
      .insertInto('os_images')
      .values({ id: o.id, name: o.name, version: o.version, solusvm_os_version_id: o.solusvmVersionId })
      .onConflict(oc => oc.doNothing())
      .execute()
  }
  for (const l of DEMO_LOCATIONS) {
    await db
      .insertInto('locations')
      .values({ id: l.id, name: l.name, solusvm_location_id: l.solusvmLocationId })
      .onConflict(oc => oc.doNothing())
      .execute()
  }
  for (const a of DEMO_ADDONS) {
    await db
      .insertInto('addons')
      .values({ id: a.id, name: a.name, kind: a.kind, price_cents: cents(a.price) })
      .onConflict(oc => oc.doNothing())
      .execute()
  }
  for (const p of DEMO_PLESK_PLANS) {
    await db
      .insertInto('plesk_plans')
      .values({ id: p.id, name: p.name, plesk_plan_name: p.pleskPlanName, price_cents: cents(p.price) })
      .onConflict(oc => oc.doNothing())
      .execute()
  }
}

/**
 * Seeds the docs' world once: the demo user (3396.52 EUR, as an opening-balance ledger entry),
 * its loopback-only key `your_api_key_here`, a server and a Plesk subscription. The server and
 * the subscription are provisioned through the normal job pipeline, by zero-amount demo orders.
 * Returns false when the demo user already exists.
 */
export async function seedDemo(db: Db, box: SecretBox, now: Date = new Date()): Promise<boolean> {
  await seedCatalog(db)
  const exists = await db.selectFrom('users').select('id').where('id', '=', DEMO_USER_ID).executeTakeFirst()
  if (exists) return false
  await db.transaction().execute(async trx => {
    await trx
      .insertInto('users')
      .values({ id: DEMO_USER_ID, username: 'demo', email: 'demo@oxbill.invalid', email_verified: true })
      .execute()
    await credit(trx, {
      userId: DEMO_USER_ID,
      amount: cents('3396.52'),
      kind: 'opening_balance',
      reason: 'demo data: opening balance',
      actor: 'seed',
    })
    await issueApiKey(trx, {
      userId: DEMO_USER_ID,
      key: DEMO_API_KEY,
      name: 'demo key (loopback only)',
      loopbackOnly: true,
    })

    const serverOrder = 'demo0000-0000-0000-0000-000000000001'
    await trx
      .insertInto('orders')
      .values({
        id: serverOrder,
        user_id: DEMO_USER_ID,
        order_number: 'DEMO_SERVER',
        order_type: 'new_server',
        status: 'processing',
        server_id: DEMO_SERVER_ID,
        plan_id: '5',
        amount_cents: 0n,
        hours: 720,
        metadata: JSON.stringify({ demo: true }),
        description: 'demo data',
      })
      .execute()
    await trx
      .insertInto('servers')
      .values({
        id: DEMO_SERVER_ID,
        user_id: DEMO_USER_ID,
        plan_id: '5',
        os_image_id: '13',
        location_id: 'slovenia',
        name: 'demo-server-001',
        status: 'provisioning',
        expire_date: new Date(now.getTime() + DEMO_SERVER_REMAINING_S * 1000),
      })
      .execute()
    await enqueueJob(trx, {
      kind: JobKind.serverCreate,
      payload: { serverId: DEMO_SERVER_ID, orderId: serverOrder },
      orderId: serverOrder,
      maxAttempts: 8,
      secret: { box, value: generatePassword() },
    })

    await trx
      .insertInto('plesk_clients')
      .values({
        id: DEMO_CLIENT_ID,
        user_id: DEMO_USER_ID,
        name: 'Demo Client',
        login: 'democlient',
        email: 'client@oxbill.invalid',
      })
      .execute()
    const subOrder = 'demo0000-0000-0000-0000-000000000002'
    await trx
      .insertInto('orders')
      .values({
        id: subOrder,
        user_id: DEMO_USER_ID,
        order_number: 'DEMO_PLESK',
        order_type: 'plesk',
        status: 'processing',
        subscription_id: DEMO_SUBSCRIPTION_ID,
        plan_id: DEMO_PLESK_PLANS[0].id,
        amount_cents: 0n,
        months: 1,
        metadata: JSON.stringify({ demo: true }),
        term_starts_at: now,
        description: 'demo data',
      })
      .execute()
    await trx
      .insertInto('plesk_subscriptions')
      .values({
        id: DEMO_SUBSCRIPTION_ID,
        user_id: DEMO_USER_ID,
        client_id: DEMO_CLIENT_ID,
        plan_id: DEMO_PLESK_PLANS[0].id,
        domain_name: 'example.net',
        ftp_login: 'demoftp',
        status: 'provisioning',
        expires_at: addMonths(now, 1),
      })
      .execute()
    await enqueueJob(trx, {
      kind: JobKind.pleskCreate,
      payload: { subscriptionId: DEMO_SUBSCRIPTION_ID, orderId: subOrder },
      orderId: subOrder,
      maxAttempts: 8,
      secret: { box, value: generatePassword() },
    })
  })
  return true
}
