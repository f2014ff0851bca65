import type { Expression, ExpressionBuilder, SqlBool, UpdateObject } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { Database } from '../../db/schema.ts'
import type { PleskActionStatus, PleskClientStatus, PleskSubscriptionStatus } from '../../db/states.ts'
import { checkMove, moved, moveRow, type Machine, type Move } from './transition.ts'
import { serviceMoved } from '../events/transition-events.ts'

/**
 * The Plesk customer account behind a user's subscriptions: created by its own job, or by the
 * first hosting order's job when that gets there first (then it may already be `active`, or
 * marked `provision_failed` by the client job that gave up).
 */
export const PLESK_CLIENT: Machine<PleskClientStatus> = {
  name: 'Plesk client',
  initial: ['pending'],
  moves: {
    pending: ['active', 'provision_failed'],
    provision_failed: ['pending', 'active'],
    // A hosting order's job links the customer it found: the row is written again, unchanged in status.
    active: ['active'],
  },
}

/**
 * A Plesk webspace: like a server's lifecycle, with renewals (`renewing` from active, suspended or
 * expired, and back there when the renewal fails). One cancelled at the end of its term is
 * `terminating` while its delete job runs, then `deleted` (back to `active` when the job gives up).
 * One cancelled immediately or by an operator is `terminating` at once; one still `suspended`
 * (unpaid) TERMINATE_SUSPENDED_AFTER_HOURS after its expiry too, back to `suspended` when its job
 * gives up. `expired` is written by no code.
 */
export const PLESK_SUBSCRIPTION: Machine<PleskSubscriptionStatus> = {
  name: 'Plesk subscription',
  initial: ['pending_payment', 'provisioning'],
  moves: {
    pending_payment: ['provisioning', 'cancelled'],
    provisioning: ['active', 'provision_failed'],
    provision_failed: ['provisioning'],
    active: ['renewing', 'suspending', 'terminating'],
    renewing: ['active', 'suspended', 'expired'],
    suspending: ['suspended', 'active'],
    suspended: ['renewing', 'terminating'],
    expired: ['renewing'],
    terminating: ['deleted', 'active', 'suspended'],
    cancelled: [],
    deleted: [],
  },
}

/** The statuses a subscription may be renewed from (and returns to when its renewal fails or goes unpaid). */
export const RENEWABLE: readonly PleskSubscriptionStatus[] = ['active', 'suspended', 'expired']

/**
 * A Plesk action (FTP password, operator suspend or resume): written `queued` with its job,
 * `running` once the job has started on it, then `done` or `failed`. A job that gives up before it
 * started fails it from `queued`. Like power actions, actions are not events: the list shows them.
 */
export const PLESK_ACTION: Machine<PleskActionStatus> = {
  name: 'Plesk action',
  initial: ['queued'],
  moves: {
    queued: ['running', 'failed'],
    running: ['done', 'failed'],
    done: [],
    failed: [],
  },
}

type ClientExtra = Omit<UpdateObject<Database, 'plesk_clients'>, 'status' | 'updated_at'>
type SubscriptionExtra = Omit<UpdateObject<Database, 'plesk_subscriptions'>, 'status' | 'updated_at'>
type ActionExtra = Omit<UpdateObject<Database, 'plesk_actions'>, 'status' | 'updated_at'>

/** Moves Plesk client `id` (see `Move`); `where` adds a condition. True when it moved. */
export async function movePleskClient(
  trx: Db,
  id: string,
  move: Move<PleskClientStatus, ClientExtra> & {
    where?: (eb: ExpressionBuilder<Database, 'plesk_clients'>) => Expression<SqlBool>
  },
): Promise<boolean> {
  const from = checkMove(PLESK_CLIENT, move)
  let q = trx
    .updateTable('plesk_clients')
    .set({ ...move.set, status: move.to, updated_at: move.now })
    .where('id', '=', id)
    .where('status', 'in', from)
  if (move.where) q = q.where(move.where)
  const res = await q.executeTakeFirst()
  return moved(PLESK_CLIENT, id, move, res.numUpdatedRows)
}

/** Moves Plesk subscription `id` (see `Move`). True when it moved. */
export async function movePleskSubscription(
  trx: Db,
  id: string,
  move: Move<PleskSubscriptionStatus, SubscriptionExtra>,
): Promise<boolean> {
  const ok = await moveRow(trx, 'plesk_subscriptions', PLESK_SUBSCRIPTION, id, move)
  if (ok) await serviceMoved(trx, 'plesk_subscription', id, move)
  return ok
}

/** Moves Plesk action `id` (see `Move`). True when it moved. */
export async function movePleskAction(
  trx: Db,
  id: string,
  move: Move<PleskActionStatus, ActionExtra>,
): Promise<boolean> {
  return moveRow(trx, 'plesk_actions', PLESK_ACTION, id, move)
}
