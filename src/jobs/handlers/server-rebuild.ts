import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobContext, JobDefinition } from '../../outbox/types.ts'
import type { ServerAction } from '../../db/schema.ts'
import {
  failAction,
  finishAction,
  markActionRunning,
  openServerAction,
  type ServerActionPayload,
} from './server-action-job.ts'

type RebuildDeps = Pick<Deps, 'db' | 'solusvm' | 'clock'> & { taskTimeoutMs: number }

/**
 * Runs a reinstall, a root password reset or a rescue mode switch at SolusVM (issue 13). Each
 * SolusVM call is a memoized step, so a retry after a timeout or a 5xx polls the task it already
 * has instead of reinstalling (or restarting) twice; only a crash between SolusVM's answer and the
 * memo repeats a call. Unreachable, 5xx or busy is retried with the runner's backoff; a refusal or
 * a task that ends failed is permanent. Giving up records `failed` and leaves the server `active`.
 *
 * - reinstall: `POST servers/{id}/reinstall {os, password}` with the job's sealed secret (the
 *   password the customer was shown), then the server's `os_image_id` becomes the new image.
 * - reset_password: `POST servers/{id}/reset_password`; a password in the answer is sealed on the
 *   action row at once (never in a step memo, which outlives the reveal), else SolusVM e-mailed it.
 * - rescue_on / rescue_off: `PATCH servers/{id} {boot_mode}`, then `POST servers/{id}/restart`.
 */
export function serverRebuildJob(deps: RebuildDeps): JobDefinition<ServerActionPayload> {
  return {
    kind: JobKind.serverRebuild,
    version: 1,
    parse: p => requireStrings(p, ['actionId', 'serverId']),
    async handler(ctx) {
      const opened = await openServerAction(deps, ctx)
      if (opened === null) return
      const { action, vmId } = opened
      switch (action.action) {
        case 'reinstall':
          return reinstall(deps, ctx, action, vmId)
        case 'reset_password':
          return resetPassword(deps, ctx, vmId)
        case 'rescue_on':
        case 'rescue_off':
          return rescue(deps, ctx, vmId, action.action === 'rescue_on' ? 'rescue' : 'disk')
        case 'start':
        case 'stop':
        case 'shutdown':
        case 'reboot':
          throw new AppError('internal_error', `server.rebuild cannot run a ${action.action} action`)
      }
    },
    onFailure: (trx, _job, payload, reason) => failAction(deps, trx, payload.actionId, reason),
    // As for power: an operator's retry changes nothing; the customer asks again.
    async onRetry() {},
  }
}

async function reinstall(
  deps: RebuildDeps,
  ctx: JobContext<ServerActionPayload>,
  action: ServerAction,
  vmId: number,
): Promise<void> {
  const osImageId = action.os_image_id
  if (osImageId === null) throw new AppError('internal_error', `reinstall ${action.id} names no image`)
  const os = await deps.db
    .selectFrom('os_images')
    .select('solusvm_os_version_id')
    .where('id', '=', osImageId)
    .executeTakeFirstOrThrow()
  const taskId = await ctx.step('task', async () => {
    const password = await ctx.secret()
    // Never a silent new one: the customer holds the password the request answered.
    if (password === null) throw new AppError('internal_error', 'the root password of this reinstall is gone')
    return (await deps.solusvm.reinstallServer(vmId, { osVersionId: os.solusvm_os_version_id, password })).id
  })
  await markActionRunning(deps, action.id, taskId)
  await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
  await ctx.finish(async trx => {
    await finishAction(deps, trx, action.id)
    await trx
      .updateTable('servers')
      .set({ os_image_id: osImageId, updated_at: deps.clock.now() })
      .where('id', '=', ctx.payload.serverId)
      .execute()
  })
}

async function resetPassword(deps: RebuildDeps, ctx: JobContext<ServerActionPayload>, vmId: number): Promise<void> {
  const { actionId } = ctx.payload
  const result = await ctx.step('reset', async () => {
    const res = await deps.solusvm.resetPassword(vmId)
    if (res.password !== null) {
      await deps.db
        .updateTable('server_actions')
        .set({ password_sealed: ctx.seal(res.password), updated_at: deps.clock.now() })
        .where('id', '=', actionId)
        .execute()
    }
    return { taskId: res.task?.id ?? null, delivery: res.password !== null ? ('shown' as const) : ('email' as const) }
  })
  await markActionRunning(deps, actionId, result.taskId)
  if (result.taskId !== null) await deps.solusvm.waitForTask(result.taskId, deps.taskTimeoutMs)
  await ctx.finish(trx => finishAction(deps, trx, actionId, { password_delivery: result.delivery }))
}

async function rescue(
  deps: RebuildDeps,
  ctx: JobContext<ServerActionPayload>,
  vmId: number,
  mode: 'rescue' | 'disk',
): Promise<void> {
  await ctx.step('boot_mode', async () => (await deps.solusvm.setBootMode(vmId, mode)).bootMode)
  // The mode takes effect at the next boot.
  const taskId = await ctx.step('task', async () => (await deps.solusvm.restartServer(vmId)).id)
  await markActionRunning(deps, ctx.payload.actionId, taskId)
  await deps.solusvm.waitForTask(taskId, deps.taskTimeoutMs)
  await ctx.finish(trx => finishAction(deps, trx, ctx.payload.actionId))
}
