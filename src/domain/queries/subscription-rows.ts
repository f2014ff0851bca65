import type { Db } from '../../db/connect.ts'
import { formatAmount } from '../../lib/money.ts'
import { formatTimestamp } from '../orders/render.ts'

/**
 * The documented subscription object (docs/0xhost-compat.md 3.27): price as a decimal string, `auto_renew` a
 * real boolean (unlike servers' 0/1), `ftp_username` — and never the FTP password, which oxbill
 * does not keep.
 */
export function subscriptionsQuery(db: Db) {
  return db
    .selectFrom('plesk_subscriptions')
    .innerJoin('plesk_plans', 'plesk_plans.id', 'plesk_subscriptions.plan_id')
    .innerJoin('plesk_clients', 'plesk_clients.id', 'plesk_subscriptions.client_id')
    .select([
      'plesk_subscriptions.id',
      'plesk_subscriptions.domain_name',
      'plesk_subscriptions.status',
      'plesk_subscriptions.auto_renew',
      'plesk_subscriptions.ftp_login',
      'plesk_subscriptions.created_at',
      'plesk_subscriptions.expires_at',
      'plesk_subscriptions.cancel_at',
      'plesk_subscriptions.operator_suspended_at',
      'plesk_subscriptions.user_id',
      'plesk_subscriptions.plan_id',
      'plesk_plans.name as plan_name',
      'plesk_plans.price_cents',
      'plesk_clients.id as client_id',
      'plesk_clients.name as client_name',
    ])
}

type SubscriptionJoinRow = NonNullable<Awaited<ReturnType<ReturnType<typeof subscriptionsQuery>['executeTakeFirst']>>>

export function subscriptionRow(s: SubscriptionJoinRow) {
  return {
    id: s.id,
    domain_name: s.domain_name,
    status: s.status,
    price: formatAmount(s.price_cents),
    plan_id: s.plan_id,
    plan_name: s.plan_name,
    client_id: s.client_id,
    client_name: s.client_name,
    created_at: formatTimestamp(s.created_at)!,
    expires_at: formatTimestamp(s.expires_at)!,
    auto_renew: s.auto_renew,
    ftp_username: s.ftp_login,
    // After the documented fields (as on servers): a pending end-of-term cancellation, and an
    // operator's hold, which the portal must show because they change what the customer may do.
    cancel_at: formatTimestamp(s.cancel_at),
    operator_suspended: s.operator_suspended_at !== null,
  }
}
