import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, type Access } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { recordServiceEvent } from '../events/record-object-event.ts'
import { assertNoOpenOrder } from '../orders/open-orders.ts'
import { moveServerAddon } from '../state/servers.ts'

export interface CancelAddonInput {
  principal: Principal
  requestId: string
  /** Whose addon it must be; null: anyone's (an operator). */
  owner: string | null
  addonId: string
  when: 'end_of_term' | 'immediate'
  now: Date
  /** Whether a refund was asked for: an addon's answer then says "0.00" rather than null. */
  refundAsked: boolean
  jobMaxAttempts: number
  /** The audit action (`service.cancel`, `service.terminate`). */
  action: string
  /** 'read' lets an operator end a deactivated account's addon (CancelPolicy.ownerAccess). */
  ownerAccess: Access
}

export interface AddonCancellation {
  service_id: string
  service_kind: 'addon'
  when: 'end_of_term' | 'immediate'
  effective_at: string
  refund: string | null
  jobId: string | null
}

/**
 * Cancels an extra IPv4 of a server. Its price was charged whole once and it lives with its
 * server's term (`orderAddon`: no period of its own, renewals do not charge it), so:
 * - end_of_term: it ends at its server's expiry as it is now (`cancel_at`); the lifecycle then
 *   releases it. A renewal of the server afterwards does not keep it.
 * - immediate: `releasing` now with its `addon.release` job (the IP is removed at SolusVM, then
 *   `released`); it cannot be undone.
 * Nothing is refunded: there is no unused time of its own to prorate (the answer's `refund` is
 * "0.00" when one was asked for). Only an `assigned` addon can be cancelled; while any order on its
 * server is open, 409 (an addon order in flight may be this very IP's neighbour).
 */
export async function cancelAddon(trx: Db, input: CancelAddonInput): Promise<AddonCancellation> {
  const read = (forUpdate: boolean) =>
    requireOwned(trx, input.principal, 'server_addons', input.addonId, {
      access: input.ownerAccess,
      owner: input.owner,
      forUpdate,
    })
  // The server's row is locked before the addon's, the order every other writer takes (the
  // addon job's and the server terminate job's final transactions), so they cannot deadlock.
  const { server_id: serverId } = await read(false)
  const server = await trx
    .selectFrom('servers')
    .select(['id', 'expire_date', 'status'])
    .where('id', '=', serverId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  let a = await read(true)
  const refund = input.refundAsked ? '0.00' : null
  if (input.when === 'end_of_term' && a.status === 'assigned' && a.cancel_at !== null) {
    return answer(a.id, 'end_of_term', a.cancel_at, refund, null)
  }
  if (await assertNoOpenOrder(trx, { kind: 'server', id: server.id }, input.now)) a = await read(true)
  if (a.status !== 'assigned') {
    throw new AppError(
      'invalid_state',
      a.status === 'releasing' || a.status === 'released'
        ? `addon '${a.id}' is already ${a.status}; its cancellation cannot be undone`
        : `addon '${a.id}' is ${a.status}; only an assigned one can be cancelled`,
      { details: { status: a.status } },
    )
  }
  let jobId: string | null = null
  let at: Date
  if (input.when === 'end_of_term') {
    at = server.expire_date < input.now ? input.now : server.expire_date
    await trx
      .updateTable('server_addons')
      .set({ cancel_at: at, updated_at: input.now })
      .where('id', '=', a.id)
      .execute()
  } else {
    at = input.now
    await moveServerAddon(trx, a.id, {
      from: 'assigned',
      to: 'releasing',
      now: input.now,
      required: true,
      set: { cancel_at: at },
    })
    jobId = await enqueueJob(trx, {
      kind: JobKind.addonRelease,
      payload: { serverAddonId: a.id },
      maxAttempts: input.jobMaxAttempts,
    })
  }
  await recordServiceEvent(trx, 'service.cancelled', { kind: 'server_addon', id: a.id }, input.now, {
    effective: input.when === 'immediate' ? 'now' : 'end_of_term',
  })
  await writeAudit(trx, {
    actor: actorOf(input.principal),
    requestId: input.requestId,
    action: input.action,
    targetType: 'server_addon',
    targetId: a.id,
    details: { user_id: a.user_id, server_id: a.server_id, when: input.when, cancel_at: at.toISOString() },
  })
  return answer(a.id, input.when, at, refund, jobId)
}

function answer(
  id: string,
  when: 'end_of_term' | 'immediate',
  at: Date,
  refund: string | null,
  jobId: string | null,
): AddonCancellation {
  return { service_id: id, service_kind: 'addon', when, effective_at: at.toISOString(), refund, jobId }
}
