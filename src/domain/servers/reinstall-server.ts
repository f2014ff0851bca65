import type { Deps } from '../../deps.ts'
import { generatePassword } from '../../lib/secret-box.ts'
import { validation } from '../../lib/errors.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { ServerActionView } from './action-view.ts'
import { queueServerAction, type ServerActionRequest } from './queue-server-action.ts'

export interface ReinstallInput extends ServerActionRequest {
  osId: string
}

/**
 * Queues a reinstall of an active server with `osId`, one of its plan's active images (else 400 at
 * field os_id). oxbill chooses the new root password and answers it here, once: it is kept only
 * sealed beside the `server.rebuild` job, which sends it to SolusVM and erases it when it ends.
 * Everything on the server's disk is lost; the refusals are those of every server action.
 */
export async function reinstallServer(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'runner' | 'secretBox'>,
  input: ReinstallInput,
): Promise<{ action: ServerActionView; rootPassword: string }> {
  const rootPassword = generatePassword()
  const action = await queueServerAction(deps, input, {
    action: 'reinstall',
    jobKind: JobKind.serverRebuild,
    auditAction: 'server.reinstall',
    auditDetails: { os_id: input.osId },
    secret: rootPassword,
    osImageId: input.osId,
    passwordDelivery: 'shown',
    async check(trx, server) {
      const plan = await trx
        .selectFrom('vps_plans')
        .select('os_image_ids')
        .where('id', '=', server.plan_id)
        .executeTakeFirstOrThrow()
      const os = await trx.selectFrom('os_images').select('is_active').where('id', '=', input.osId).executeTakeFirst()
      if (!plan.os_image_ids.includes(input.osId) || os?.is_active !== true) {
        throw validation(`os_id '${input.osId}' is not an active image of this server's plan`, 'os_id')
      }
    },
  })
  return { action, rootPassword }
}
