import type { UpdateObject } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { Database } from '../../db/schema.ts'
import type { ServerActionStatus, ServerAddonStatus, ServerStatus } from '../../db/states.ts'
import { moveRow, type Machine, type Move } from './transition.ts'
import { serviceMoved } from '../events/transition-events.ts'

/**
 * A VPS: paid (or awaiting its crypto payment), provisioned, then active; a plan change holds it
 * `resizing`, an expiry `suspending` → `suspended` until an extension resumes it. A failed
 * provisioning is retried by an operator; an unpaid order's server ends `cancelled`. A server
 * cancelled at the end of its term is `terminating` while its delete job runs, then `deleted`
 * (back to `active` when the job gives up: the next lifecycle run tries again). One cancelled
 * immediately, or by an operator, is `terminating` at once. A server still `suspended` (unpaid)
 * TERMINATE_SUSPENDED_AFTER_HOURS after its expiry is `terminating` too, and back to `suspended`
 * when its job gives up: the job's payload says where it came from. `renewing` is written by no
 * code (older rows may hold it).
 */
export const SERVER: Machine<ServerStatus> = {
  name: 'server',
  initial: ['pending_payment', 'provisioning'],
  moves: {
    pending_payment: ['provisioning', 'cancelled'],
    provisioning: ['active', 'provision_failed'],
    provision_failed: ['provisioning'],
    active: ['resizing', 'suspending', 'terminating'],
    resizing: ['active'],
    suspending: ['suspended', 'active'],
    suspended: ['active', 'terminating'],
    terminating: ['deleted', 'active', 'suspended'],
    renewing: [],
    cancelled: [],
    deleted: [],
  },
}

/**
 * A power action: written `queued` with its job, `running` once SolusVM accepted the call (its
 * task id is kept), then `done` or `failed`. A job that gives up before SolusVM accepted it fails
 * it from `queued`.
 */
export const SERVER_ACTION: Machine<ServerActionStatus> = {
  name: 'server action',
  initial: ['queued'],
  moves: {
    queued: ['running', 'failed'],
    running: ['done', 'failed'],
    done: [],
    failed: [],
  },
}

/**
 * An extra IPv4: bought (or awaiting payment), assigned by its job; a failure is retried by an
 * operator. A cancelled one is `releasing` while its job removes the IP at SolusVM (back to
 * `assigned` when the job gives up; its `cancel_at` stays, so the next lifecycle run tries again),
 * then `released`. When its server is terminated, the VM's deletion releases the IP: `assigned`
 * or `releasing` → `released` in the server's final transaction.
 */
export const SERVER_ADDON: Machine<ServerAddonStatus> = {
  name: 'server addon',
  initial: ['pending_payment', 'unassigned'],
  moves: {
    pending_payment: ['unassigned', 'cancelled'],
    unassigned: ['assigned', 'failed'],
    failed: ['unassigned'],
    provisioning: [],
    assigned: ['releasing', 'released'],
    releasing: ['released', 'assigned'],
    cancelled: [],
    released: [],
  },
}

type ServerExtra = Omit<UpdateObject<Database, 'servers'>, 'status' | 'updated_at'>
type AddonExtra = Omit<UpdateObject<Database, 'server_addons'>, 'status' | 'updated_at'>
type ActionExtra = Omit<UpdateObject<Database, 'server_actions'>, 'status' | 'updated_at'>

/** Moves server `id` (see `Move`). True when it moved. */
export async function moveServer(trx: Db, id: string, move: Move<ServerStatus, ServerExtra>): Promise<boolean> {
  const ok = await moveRow(trx, 'servers', SERVER, id, move)
  if (ok) await serviceMoved(trx, 'server', id, move)
  return ok
}

/** Moves server addon `id` (see `Move`). True when it moved. */
export async function moveServerAddon(
  trx: Db,
  id: string,
  move: Move<ServerAddonStatus, AddonExtra>,
): Promise<boolean> {
  const ok = await moveRow(trx, 'server_addons', SERVER_ADDON, id, move)
  if (ok) await serviceMoved(trx, 'server_addon', id, move)
  return ok
}

/** Moves power action `id` (see `Move`). True when it moved. Actions are not events: the list shows them. */
export async function moveServerAction(
  trx: Db,
  id: string,
  move: Move<ServerActionStatus, ActionExtra>,
): Promise<boolean> {
  return moveRow(trx, 'server_actions', SERVER_ACTION, id, move)
}
