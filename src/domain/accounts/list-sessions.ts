import type { Principal } from '../auth/api-keys.ts'
import { formatTimestamp } from '../orders/render.ts'
import { sessionEnds, type AccountDeps } from './views.ts'

/** The caller's live sessions, newest first; `current` marks the one making the request. */
export async function listSessions(deps: Pick<AccountDeps, 'db' | 'clock'>, input: { principal: Principal }) {
  const now = deps.clock.now()
  const rows = await deps.db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', input.principal.userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('idle_expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute()
  return rows.map(s => ({
    id: s.id,
    created_at: formatTimestamp(s.created_at)!,
    last_seen_at: formatTimestamp(s.last_seen_at)!,
    expires_at: formatTimestamp(sessionEnds(s))!,
    ip: s.ip,
    user_agent: s.user_agent,
    current: s.id === input.principal.sessionId,
  }))
}
