import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { applyAutoRenew } from './apply-auto-renew.ts'

export interface SetAutoRenewInput {
  principal: Principal
  requestId: string
  userId?: string
  serverId: string
  autoRenew: boolean
}

/**
 * Turns a server's auto-renew on or off (docs/0xhost-compat.md 3.4); the rule is shared with Plesk
 * subscriptions (`apply-auto-renew.ts`).
 */
export async function setServerAutoRenew(db: Db, input: SetAutoRenewInput, now: Date): Promise<void> {
  const { serverId, ...rest } = input
  await applyAutoRenew(db, { ...rest, table: 'servers', id: serverId }, now)
}
