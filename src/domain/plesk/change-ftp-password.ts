import type { Deps } from '../../deps.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { checkNewFtpPassword } from './ftp-password-policy.ts'
import { notUsable, queuePleskAction } from './queue-plesk-action.ts'
import type { PleskActionView } from './action-view.ts'

export interface ChangeFtpPasswordInput {
  principal: Principal
  requestId: string
  userId?: string
  subscriptionId: string
  password: string
}

/**
 * Queues a change of the subscription's main FTP password. The password is checked here, then
 * lives only in the `plesk.action` job's sealed secret (erased when the job ends): never in a
 * row, an event, the audit log or a log line, and never echoed. Needs the subscription `active`
 * with its webspace, and not suspended by an operator.
 */
export async function changeFtpPassword(
  deps: Pick<Deps, 'db' | 'clock' | 'secretBox' | 'config' | 'runner'>,
  input: ChangeFtpPasswordInput,
): Promise<PleskActionView> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  return queuePleskAction(
    { ...deps, jobMaxAttempts: deps.config.jobMaxAttempts },
    {
      action: 'ftp_password',
      actor: actorOf(input.principal),
      requestId: input.requestId,
      subscriptionId: input.subscriptionId,
      lock: trx =>
        requireOwned(trx, input.principal, 'plesk_subscriptions', input.subscriptionId, {
          access: 'use',
          owner: user,
          forUpdate: true,
        }),
      usable: sub => {
        if (sub.status !== 'active' || sub.plesk_webspace_id === null) {
          throw notUsable(sub, `${sub.status}; the FTP password can be changed only while it is active`)
        }
        if (sub.operator_suspended_at !== null) throw notUsable(sub, 'suspended by an operator')
        // After ownership and state, so another customer's subscription answers 404 whatever is sent.
        checkNewFtpPassword(input.password, sub.ftp_login)
      },
      secret: input.password,
    },
  )
}
