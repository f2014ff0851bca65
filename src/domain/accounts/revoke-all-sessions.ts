import type { Principal } from '../auth/api-keys.ts'
import { revokeUserSessions } from '../auth/sessions.ts'
import type { AccountDeps } from './views.ts'

/** "Log out everywhere": every live session of the caller, or all but the current one. */
export async function revokeAllSessions(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { principal: Principal; keepCurrent: boolean },
): Promise<{ revoked: number }> {
  const keep = input.keepCurrent ? input.principal.sessionId : undefined
  return { revoked: await revokeUserSessions(deps.db, input.principal.userId, deps.clock.now(), keep) }
}
