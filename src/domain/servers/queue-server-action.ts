import type { Deps } from '../../deps.ts'
import type { PasswordDelivery, ServerActionKind } from '../../db/states.ts'
import type { Db } from '../../db/connect.ts'
import type { Server } from '../../db/schema.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { isUniqueViolation } from '../admin/db-errors.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { checkInitial } from '../state/transition.ts'
import { SERVER_ACTION } from '../state/servers.ts'
import { viewServerAction, type ServerActionView } from './action-view.ts'

/** Who asks for an action on which server (every action route's common input). */
export interface ServerActionRequest {
  principal: Principal
  requestId: string
  userId?: string
  serverId: string
}

export interface QueueActionSpec {
  action: ServerActionKind
  jobKind: string
  /** The audit row's action (`server.power`, `server.reinstall`…); its details never carry a secret. */
  auditAction: string
  auditDetails?: Record<string, unknown>
  /** Sealed beside the job (a reinstall's root password); read by the job with `ctx.secret()`. */
  secret?: string
  osImageId?: string
  passwordDelivery?: PasswordDelivery
  /** Checks that need the locked server row (a reinstall's image against its plan); throws its error. */
  check?: (trx: Db, server: Server) => Promise<void>
}

/**
 * Refuses an action on a server that is not `active` with a VM: suspended, provisioning, being
 * resized or ended, the panel's buttons are off. 409 `invalid_state` with the status.
 */
export function assertActionable(s: Server): void {
  if (s.status !== 'active' || s.id_solusvm === null) {
    throw new AppError('invalid_state', `server '${s.id}' is ${s.status}; server actions need it active`, {
      details: { status: s.status },
    })
  }
}

/**
 * Queues one server action (power, reinstall, password reset, rescue): under the server row's lock
 * the server must be actionable and have no open action; the action row, its job (with a sealed
 * secret if any) and an audit row commit together, then the runner is poked. One action at a time
 * per server: an open one refuses with 409 `action_pending` naming it, and the partial unique index
 * `server_actions_one_open` refuses the same should two requests ever pass that check together.
 */
export async function queueServerAction(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'runner' | 'secretBox'>,
  input: ServerActionRequest,
  spec: QueueActionSpec,
): Promise<ServerActionView> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  let view: ServerActionView
  try {
    view = await deps.db.transaction().execute(async trx => {
      const server = await requireOwned(trx, input.principal, 'servers', input.serverId, {
        access: 'use',
        owner: user,
        forUpdate: true,
        usable: assertActionable,
      })
      await spec.check?.(trx, server)
      await refuseIfPending(trx, server.id)
      const now = deps.clock.now()
      const id = newId('serverAction')
      const jobId = await enqueueJob(trx, {
        kind: spec.jobKind,
        payload: { actionId: id, serverId: server.id },
        maxAttempts: deps.config.jobMaxAttempts,
        ...(spec.secret !== undefined ? { secret: { box: deps.secretBox, value: spec.secret } } : {}),
      })
      const row = await trx
        .insertInto('server_actions')
        .values({
          id,
          server_id: server.id,
          user_id: server.user_id,
          action: spec.action,
          status: checkInitial(SERVER_ACTION, 'queued'),
          job_id: jobId,
          requested_by: actorOf(input.principal),
          os_image_id: spec.osImageId ?? null,
          password_delivery: spec.passwordDelivery ?? null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await writeAudit(trx, {
        actor: actorOf(input.principal),
        requestId: input.requestId,
        action: spec.auditAction,
        targetType: 'server',
        targetId: server.id,
        details: { user_id: server.user_id, action: spec.action, server_action_id: id, ...spec.auditDetails },
      })
      return viewServerAction(row)
    })
  } catch (err) {
    // Two requests that both passed the check: the index let one through; name it to the other.
    if (isUniqueViolation(err)) await refuseIfPending(deps.db, input.serverId)
    throw err
  }
  deps.runner.poke()
  return view
}

/** 409 `action_pending` naming the server's queued or running action, if it has one. */
export async function refuseIfPending(db: Db, serverId: string): Promise<void> {
  const open = await db
    .selectFrom('server_actions')
    .select(['id', 'action', 'status'])
    .where('server_id', '=', serverId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst()
  if (open) {
    throw new AppError(
      'action_pending',
      `action ${open.id} (${open.action}) on this server is ${open.status}; ask again once it is done`,
      { details: { pending_action_id: open.id, pending_action: open.action, pending_action_status: open.status } },
    )
  }
}
