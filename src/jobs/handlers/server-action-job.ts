import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import type { ServerAction } from '../../db/schema.ts'
import { moveServerAction } from '../../domain/state/servers.ts'
import type { JobContext } from '../../outbox/types.ts'

/** The payload of every server action job (power and rebuild). */
export interface ServerActionPayload {
  actionId: string
  serverId: string
}

/**
 * The common start of a server action job: the action and the VM it acts on, or null when there
 * is nothing to do — the action already ended (an operator's retry of its job), or the lifecycle
 * suspended or ended the server since the request (the action fails before SolusVM is asked).
 */
export async function openServerAction(
  deps: Pick<Deps, 'db' | 'clock'>,
  ctx: JobContext<ServerActionPayload>,
): Promise<{ action: ServerAction; vmId: number } | null> {
  const { actionId, serverId } = ctx.payload
  const action = await deps.db
    .selectFrom('server_actions')
    .selectAll()
    .where('id', '=', actionId)
    .executeTakeFirstOrThrow()
  const server = await deps.db
    .selectFrom('servers')
    .select(['status', 'id_solusvm'])
    .where('id', '=', serverId)
    .executeTakeFirstOrThrow()
  if (action.status === 'done' || action.status === 'failed') {
    await ctx.finish(async () => {})
    return null
  }
  if (action.status === 'queued' && (server.status !== 'active' || server.id_solusvm === null)) {
    const reason = `the server became ${server.status} before SolusVM was asked`
    await ctx.finish(async trx => {
      await moveServerAction(trx, actionId, {
        from: 'queued',
        to: 'failed',
        set: { error: reason, finished_at: deps.clock.now(), password_sealed: null },
        now: deps.clock.now(),
      })
    })
    return null
  }
  return { action, vmId: server.id_solusvm! }
}

/** Marks the action `running` with the SolusVM task that carries it out (null: SolusVM answered at once). */
export async function markActionRunning(
  deps: Pick<Deps, 'db' | 'clock'>,
  actionId: string,
  taskId: number | null,
): Promise<void> {
  await moveServerAction(deps.db, actionId, {
    from: 'queued',
    to: 'running',
    set: { solusvm_task_id: taskId },
    now: deps.clock.now(),
  })
}

/** The final write of a successful action: `done`, with what the action changed besides. */
export async function finishAction(
  deps: Pick<Deps, 'clock'>,
  trx: Db,
  actionId: string,
  set: { password_delivery?: 'shown' | 'email' } = {},
): Promise<void> {
  await moveServerAction(trx, actionId, {
    from: 'running',
    to: 'done',
    set: { ...set, finished_at: deps.clock.now() },
    now: deps.clock.now(),
    required: true,
  })
}

/**
 * Giving up: the action is `failed` with the reason (and a password SolusVM may have answered is
 * erased: it belongs to an action that did not finish). The server's status is never touched, so
 * it stays usable.
 */
export async function failAction(deps: Pick<Deps, 'clock'>, trx: Db, actionId: string, reason: string): Promise<void> {
  await moveServerAction(trx, actionId, {
    from: ['queued', 'running'],
    to: 'failed',
    set: {
      error: reason.length > 500 ? `${reason.slice(0, 500)}…` : reason,
      finished_at: deps.clock.now(),
      password_sealed: null,
    },
    now: deps.clock.now(),
  })
}
