import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { applyAutoRenew } from '../services/apply-auto-renew.ts'

export interface SetSubscriptionAutoRenewInput {
  principal: Principal
  requestId: string
  userId?: string
  subscriptionId: string
  autoRenew: boolean
}

/** Turns a Plesk subscription's auto-renew on or off: the servers' rule (`apply-auto-renew.ts`). */
export async function setSubscriptionAutoRenew(db: Db, input: SetSubscriptionAutoRenewInput, now: Date): Promise<void> {
  const { subscriptionId, ...rest } = input
  await applyAutoRenew(db, { ...rest, table: 'plesk_subscriptions', id: subscriptionId }, now)
}
