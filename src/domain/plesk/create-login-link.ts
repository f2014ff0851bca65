import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { actorOf, type Principal } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { notUsable } from './queue-plesk-action.ts'

/** How long the link is good for: Plesk's session token lives about this long (the fake enforces 5 min). */
export const LOGIN_LINK_TTL_MS = 5 * 60_000

/** The panel page the customer lands on: Websites & Domains. */
export const LOGIN_REDIRECT_PATH = '/smb/web/view'

export interface LoginLinkInput {
  principal: Principal
  requestId: string
  userId?: string
  subscriptionId: string
  /** The browser's address as the HTTP layer determined it (trusted proxies only). */
  clientIp: string
}

/**
 * Mints a one-time login link into Plesk for the subscription's own customer: `server/create_session`
 * for the Plesk customer login stored at provisioning (`plesk_clients.login`), bound to the
 * caller's IP, then the `rsession_init.php` link. No transaction is open during the call. The
 * link is a credential: it is returned once and never stored, logged or audited (the audit row
 * says who minted one, for which subscription and IP). Needs the subscription `active` with its
 * webspace and not suspended by an operator; an admin key may mint one for any subscription.
 */
export async function createLoginLink(
  deps: Pick<Deps, 'db' | 'clock' | 'plesk'>,
  input: LoginLinkInput,
): Promise<{ url: string; expires_at: string }> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  const sub = await requireOwned(deps.db, input.principal, 'plesk_subscriptions', input.subscriptionId, {
    access: 'use',
    owner: user,
    usable: s => {
      if (s.status !== 'active' || s.plesk_webspace_id === null) {
        throw notUsable(s, `${s.status}; the panel can be opened only while it is active`)
      }
      if (s.operator_suspended_at !== null) throw notUsable(s, 'suspended by an operator')
    },
  })
  const client = await deps.db
    .selectFrom('plesk_clients')
    .select(['login', 'status'])
    .where('id', '=', sub.client_id)
    .executeTakeFirstOrThrow()
  if (client.status !== 'active') {
    throw new AppError('invalid_state', `the Plesk customer of subscription '${sub.id}' is ${client.status}`, {
      details: { status: sub.status, client_status: client.status },
    })
  }
  const expiresAt = new Date(deps.clock.now().getTime() + LOGIN_LINK_TTL_MS)
  const url = await deps.plesk.createLoginUrl({
    login: client.login,
    userIp: input.clientIp,
    redirectPath: LOGIN_REDIRECT_PATH,
  })
  await writeAudit(deps.db, {
    actor: actorOf(input.principal),
    requestId: input.requestId,
    action: 'plesk.login_link',
    targetType: 'plesk_subscription',
    targetId: sub.id,
    details: { user_id: sub.user_id, ip: input.clientIp },
  })
  return { url, expires_at: expiresAt.toISOString() }
}
